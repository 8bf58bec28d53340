package chat.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.HazelcastInstanceImpl;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.server.ServerConnectionManager;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes Hazelcast member connections whose handshake has not completed within a timeout.
 *
 * <p>Why: Hazelcast writes its member handshake as soon as a TCP connection is up, but its outbound pipeline holds
 * that frame until the peer has sent its own protocol bytes. A peer whose kernel accepts connections while the process
 * does not run (a hung or SIGSTOPped JVM, a frozen container) never sends them, and the pipeline then reschedules itself
 * without end: the IO output thread it shares with other connections spins at full CPU and never selects again, so
 * every other connection of that thread that waits to become writable stalls. When one of those is a survivor's
 * connection to another survivor, its heartbeats stop and the survivors split as well. Reported upstream as
 * hazelcast/hazelcast#26473; the code involved is unchanged up to Hazelcast 5.7. Closing the half-open connection ends
 * the spin, and Hazelcast connects again when it next needs the peer.
 *
 * <p>This is the one class that reaches into Hazelcast internals ({@code com.hazelcast.instance.impl},
 * {@code com.hazelcast.internal.server}); {@code StalledConnectionsTest} fails if an upgrade moves them, and tells when
 * an upgrade fixes the spin.
 */
final class StalledConnections {

  private static final Logger log = LoggerFactory.getLogger(StalledConnections.class);

  /** A hung peer is connected to again every few seconds: its closes are logged at most this often, each counted. */
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Node node;
  private final long timeoutNanos;
  /** Connections seen without a completed handshake, with when they were first seen so. */
  private final Map<ServerConnection, Long> pending = new HashMap<>();
  /** When a close was last logged, per peer address. */
  private final Map<Address, Long> warned = new HashMap<>();

  private StalledConnections(Node node, long timeoutMillis) {
    this.node = node;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  /** The guard for {@code hazelcast}, an embedded member started by {@code Hazelcast.newHazelcastInstance}. */
  static StalledConnections of(HazelcastInstance hazelcast, long timeoutMillis) {
    return new StalledConnections(nodeOf(hazelcast), timeoutMillis);
  }

  static Node nodeOf(HazelcastInstance hazelcast) {
    if (hazelcast instanceof HazelcastInstanceProxy proxy) {
      return proxy.getOriginal().node;
    }
    if (hazelcast instanceof HazelcastInstanceImpl impl) {
      return impl.node;
    }
    throw new IllegalArgumentException("not an embedded Hazelcast member: " + hazelcast.getClass().getName());
  }

  /**
   * Closes the member connections that have been waiting for the peer's handshake for longer than the timeout, as of
   * {@code nowNanos} (a {@link System#nanoTime()} reading). Call it periodically, at a fraction of the timeout, from
   * one thread at a time; it does not block. Returns how many it closed.
   */
  synchronized int sweep(long nowNanos) {
    ServerConnectionManager manager = node.getServer() == null
        ? null : node.getServer().getConnectionManager(EndpointQualifier.MEMBER);
    if (manager == null) {
      pending.clear();
      return 0;
    }
    Set<ServerConnection> waiting = manager.getConnections().stream()
        .filter(connection -> connection.isAlive() && connection.getRemoteUuid() == null)
        .collect(Collectors.toSet());
    pending.keySet().retainAll(waiting);
    int closed = 0;
    for (ServerConnection connection : waiting) {
      long since = pending.computeIfAbsent(connection, c -> nowNanos);
      if (nowNanos - since >= timeoutNanos) {
        pending.remove(connection);
        log(connection.getRemoteAddress(), nowNanos);
        connection.close("no member handshake within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", null);
        closed++;
      }
    }
    return closed;
  }

  private void log(Address peer, long nowNanos) {
    warned.values().removeIf(last -> nowNanos - last >= WARN_EVERY_NANOS);
    String message = "closing the cluster connection to {}: no handshake from the peer within {} ms "
        + "(cluster.handshakeTimeoutMillis; a hung peer whose host still accepts connections)";
    if (warned.putIfAbsent(peer, nowNanos) == null) {
      log.warn(message, peer, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
    } else {
      log.debug(message, peer, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
    }
  }
}
