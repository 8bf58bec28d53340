package chat.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chat meters. Labels are bounded enums (a reason), never a user or room name. Shared by every verticle of a
 * node, so the live values are atomics.
 */
public final class ChatMetrics {

  /** Why a name was refused at registration or /nick. */
  public enum NameRejection { TAKEN, INVALID }

  /** Why a line was refused; {@code INVALID_MESSAGE}: a WebSocket message that is not JSON or not a known type. */
  public enum InputRejection { TOO_LONG, INVALID_UTF8, FLOOD, INVALID_MESSAGE }

  /** The front-end a connection speaks: the {@code protocol} label. */
  public enum Protocol { LINE, IRC, WEB }

  /** Why a new connection was refused: {@code limits.connectionsPerIp} or {@code limits.maxConnections}. */
  public enum ConnectionRefusal { PER_IP, MAX }

  /** Why a connection was closed by a timer: no valid name in time, or silent for too long. */
  public enum Timeout { REGISTRATION, IDLE }

  /**
   * A change in this node's view of the cluster: another node joined it or left it (crashed, stopped, or cut off), or
   * this node, cut off and alone, merged back into the cluster. A split shows as {@code left} on both sides, its heal
   * as {@code merged} on the smaller side and {@code joined} on the larger.
   */
  public enum ClusterChange { JOINED, LEFT, MERGED }

  private final MeterRegistry registry;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger webConnections = new AtomicInteger();
  private final AtomicInteger registered = new AtomicInteger();
  private final AtomicInteger rooms = new AtomicInteger();
  private final AtomicInteger clusterMembers = new AtomicInteger(1);
  private final AtomicInteger historyRooms = new AtomicInteger();
  private final AtomicInteger historyLines = new AtomicInteger();
  private final Counter historyServed;
  private final Counter orderGaps;
  private final Counter orderRefused;
  private final Counter stalledHandshakes;
  private final Counter received;
  private final Counter delivered;
  private final Counter slowConsumers;
  private final Timer deliveryLatency;
  private final Map<Enum<?>, Counter> rejections = new ConcurrentHashMap<>();
  private final Map<ClusterChange, Counter> clusterChanges = new ConcurrentHashMap<>();
  private final Map<Protocol, Map<InputRejection, Counter>> inputRejections = new ConcurrentHashMap<>();

  public ChatMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("chat.connections.active", connections, AtomicInteger::get)
        .description("Open chat connections on this node").tag("protocol", "line").register(registry);
    Gauge.builder("chat.connections.active", webConnections, AtomicInteger::get)
        .description("Open chat connections on this node").tag("protocol", "web").register(registry);
    Gauge.builder("chat.users.registered", registered, AtomicInteger::get)
        .description("Users with a name on this node").register(registry);
    Gauge.builder("chat.rooms", rooms, AtomicInteger::get)
        .description("Non-empty rooms").register(registry);
    Gauge.builder("chat.cluster.members", clusterMembers, AtomicInteger::get)
        .description("Server nodes in the cluster as this node sees it").register(registry);
    Gauge.builder("chat.history.rooms", historyRooms, AtomicInteger::get)
        .description("Rooms whose history this node holds (in a cluster: its copy of the rooms it follows)")
        .register(registry);
    Gauge.builder("chat.history.lines", historyLines, AtomicInteger::get)
        .description("History lines this node holds, all rooms together").register(registry);
    historyServed = Counter.builder("chat.history.served")
        .description("History lines sent to users: replayed on entering a room, or asked for").register(registry);
    orderGaps = Counter.builder("chat.room.order.gaps")
        .description("Room lines this node missed because it fell further behind a room's sequence than it keeps")
        .register(registry);
    orderRefused = Counter.builder("chat.room.order.refused")
        .description("Room lines the cluster did not accept into their room's sequence (their senders were told)")
        .register(registry);
    stalledHandshakes = Counter.builder("chat.cluster.stalled.handshakes")
        .description("Connections to other nodes closed because the peer never completed the handshake (a hung node)")
        .register(registry);
    received = Counter.builder("chat.messages.received")
        .description("Chat lines (messages, actions, private messages) accepted from users").register(registry);
    delivered = Counter.builder("chat.messages.delivered")
        .description("Room lines written to user sockets").register(registry);
    slowConsumers = Counter.builder("chat.slow.consumer.disconnects")
        .description("Clients disconnected because their pending output passed limits.sendQueueBytes")
        .register(registry);
    deliveryLatency = Timer.builder("chat.delivery.latency")
        .description("From a message's publish by the sender's node to its write to the recipients' sockets")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
    for (NameRejection reason : NameRejection.values()) {
      rejection("chat.names.rejected", "Names refused at registration or /nick", reason);
    }
    // Only the reasons each protocol can have: a line is never invalid JSON, a WebSocket text frame never bad UTF-8.
    inputRejection(Protocol.LINE, InputRejection.TOO_LONG, InputRejection.INVALID_UTF8, InputRejection.FLOOD);
    inputRejection(Protocol.IRC, InputRejection.TOO_LONG, InputRejection.INVALID_UTF8, InputRejection.FLOOD);
    inputRejection(Protocol.WEB, InputRejection.TOO_LONG, InputRejection.INVALID_MESSAGE, InputRejection.FLOOD);
    for (ConnectionRefusal reason : ConnectionRefusal.values()) {
      rejection("chat.connections.refused", "Connections refused by a connection limit", reason);
    }
    for (Timeout reason : Timeout.values()) {
      rejection("chat.timeouts", "Connections closed by the registration or idle timeout", reason);
    }
    for (ClusterChange change : ClusterChange.values()) {
      clusterChanges.put(change, Counter.builder("chat.cluster.membership.changes")
          .description("Other nodes joining or leaving this node's cluster, and this node merging back after a split")
          .tag("change", change.name().toLowerCase(java.util.Locale.ROOT))
          .register(registry));
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void connectionOpened() {
    connections.incrementAndGet();
  }

  public void connectionClosed() {
    connections.decrementAndGet();
  }

  public void connectionOpened(Protocol protocol) {
    (protocol == Protocol.WEB ? webConnections : connections).incrementAndGet();
  }

  public void connectionClosed(Protocol protocol) {
    (protocol == Protocol.WEB ? webConnections : connections).decrementAndGet();
  }

  public void userRegistered() {
    registered.incrementAndGet();
  }

  public void userLeft() {
    registered.decrementAndGet();
  }

  public void roomCount(int count) {
    rooms.set(count);
  }

  public void history(int roomCount, int lineCount) {
    historyRooms.set(roomCount);
    historyLines.set(lineCount);
  }

  public void historyServed(int lines) {
    historyServed.increment(lines);
  }

  public void orderGap(long lines) {
    orderGaps.increment(lines);
  }

  public void orderRefused() {
    orderRefused.increment();
  }

  public void stalledHandshakesClosed(int connections) {
    stalledHandshakes.increment(connections);
  }

  public void clusterMembers(int count) {
    clusterMembers.set(count);
  }

  public void clusterChanged(ClusterChange change) {
    clusterChanges.get(change).increment();
  }

  public void messageReceived() {
    received.increment();
  }

  public void delivered(int recipients) {
    delivered.increment(recipients);
  }

  public void deliveryLatency(long nanos) {
    deliveryLatency.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  public void slowConsumerDisconnected() {
    slowConsumers.increment();
  }

  public void nameRejected(NameRejection reason) {
    rejections.get(reason).increment();
  }

  public void inputRejected(InputRejection reason) {
    inputRejected(Protocol.LINE, reason);
  }

  public void inputRejected(Protocol protocol, InputRejection reason) {
    inputRejections.get(protocol).get(reason).increment();
  }

  public void connectionRefused(ConnectionRefusal reason) {
    rejections.get(reason).increment();
  }

  public void timedOut(Timeout reason) {
    rejections.get(reason).increment();
  }

  private void inputRejection(Protocol protocol, InputRejection... reasons) {
    Map<InputRejection, Counter> counters = new java.util.EnumMap<>(InputRejection.class);
    for (InputRejection reason : reasons) {
      counters.put(reason, Counter.builder("chat.input.rejected")
          .description("Input lines refused")
          .tag("protocol", protocol.name().toLowerCase(java.util.Locale.ROOT))
          .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
          .register(registry));
    }
    inputRejections.put(protocol, counters);
  }

  private void rejection(String name, String description, Enum<?> reason) {
    rejections.put(reason, Counter.builder(name)
        .description(description)
        .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT))
        .register(registry));
  }
}
