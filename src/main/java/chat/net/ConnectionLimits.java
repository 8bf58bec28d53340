package chat.net;

import chat.ops.ChatMetrics.ConnectionRefusal;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's connection caps ({@code limits.connectionsPerIp}, {@code limits.maxConnections}), 0 meaning no cap.
 *
 * <p>Shared by every NetServerVerticle of the node, since a client's connections land on any event loop: the one piece
 * of net state touched from several threads, so it is made of atomic counters instead of being confined to a verticle.
 * An address's entry lives only while it has connections open.
 */
public final class ConnectionLimits {

  private final int perAddress;
  private final int total;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<String, Integer> openByAddress = new ConcurrentHashMap<>();

  public ConnectionLimits(int perAddress, int total) {
    this.perAddress = perAddress;
    this.total = total;
  }

  /** Counts the connection in, or answers why not. Every admitted connection is {@link #release}d exactly once. */
  public Optional<ConnectionRefusal> admit(String address) {
    if (total > 0 && open.incrementAndGet() > total) {
      open.decrementAndGet();
      return Optional.of(ConnectionRefusal.MAX);
    }
    if (perAddress > 0) {
      boolean[] full = new boolean[1];
      openByAddress.compute(address, (a, count) -> {
        if (count != null && count >= perAddress) {
          full[0] = true;
          return count;
        }
        return count == null ? 1 : count + 1;
      });
      if (full[0]) {
        if (total > 0) {
          open.decrementAndGet();
        }
        return Optional.of(ConnectionRefusal.PER_IP);
      }
    }
    return Optional.empty();
  }

  public void release(String address) {
    if (total > 0) {
      open.decrementAndGet();
    }
    if (perAddress > 0) {
      openByAddress.computeIfPresent(address, (a, count) -> count == 1 ? null : count - 1);
    }
  }

  /** Addresses with connections open, for tests: entries must not outlive their connections. */
  int addressesTracked() {
    return openByAddress.size();
  }
}
