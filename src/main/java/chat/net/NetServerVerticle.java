package chat.net;

import chat.bus.Reservations;
import chat.config.ChatConfig;
import chat.core.Event;
import chat.core.Request;
import chat.core.RoomEvent;
import chat.line.LineRenderer;
import chat.ops.ChatMetrics;
import chat.ops.Drain;
import chat.vertx.EventLoopHooks;
import chat.vertx.SmallOutboundQueue;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The line protocol's listener on one event loop: accepts connections (plain and, when configured, TLS) within the
 * node's {@link ConnectionLimits}, hands each to a {@link Connection}, sends their requests to the node's rooms in
 * one ordered stream, writes what the rooms send back to its own members, and sweeps its connections for
 * registration and idle timeouts.
 */
public final class NetServerVerticle extends VerticleBase implements Drain.Listener {

  private static final Logger log = LoggerFactory.getLogger(NetServerVerticle.class);

  /** A line-protocol user enters this room on registration. */
  static final String FIRST_ROOM = "lobby";

  private final ChatConfig config;
  private final ChatMetrics metrics;
  private final String nodeId;
  /** Whether this node may give names out now (not while it merges back into its cluster). */
  private final BooleanSupplier granting;
  private final ConnectionLimits limits;
  private final Map<Long, Connection> connections = new HashMap<>();
  private final LocalRooms rooms = new LocalRooms();
  private final LineRenderer renderer;
  private final Event.Handler<Void> events = new RoomsToSockets();
  private Outbox outbox;
  private EventLoopHooks loop;
  private RoomLink link;
  private Reservations names;
  private NetServer server;
  private NetServer tlsServer;
  private long nextConnectionId = 1;

  public NetServerVerticle(ChatConfig config, ChatMetrics metrics, String nodeId, BooleanSupplier granting,
      ConnectionLimits limits) {
    this.config = config;
    this.metrics = metrics;
    this.nodeId = nodeId;
    this.granting = granting;
    this.limits = limits;
    this.renderer = new LineRenderer(config.texts(), config.history().zone());
  }

  @Override
  public Future<?> start() {
    loop = EventLoopHooks.of(context);
    outbox = new Outbox(loop, rooms);
    server = vertx.createNetServer(Listener.LINE.tcpOptions(config, config.tcp().port()));
    server.connectHandler(this::accept);
    if (config.tls().enabled()) {
      tlsServer = vertx.createNetServer(Listener.LINE_TLS.tcpOptions(config, config.tls().port())
          .setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions()
              .setCertPath(config.tls().certPath())
              .setKeyPath(config.tls().keyPath())));
      tlsServer.connectHandler(this::accept);
    }
    startTimeoutSweep();
    Future<Void> rooms = RoomLink.open(vertx, context, nodeId, events).onSuccess(l -> link = l).mapEmpty();
    Future<Void> nameMap = Reservations.open(vertx, granting)
        .onSuccess(map -> names = map)
        .mapEmpty();
    return Future.all(rooms, nameMap)
        .compose(v -> tlsServer == null
            ? server.listen().mapEmpty()
            : Future.all(server.listen(), tlsServer.listen()).mapEmpty());
  }

  /**
   * Stops accepting; every client gets a notice and a clean close (see {@link Connection}); past {@code timeout} the
   * rest are closed regardless. Completes once the RoomVerticle has taken the leaves those closes sent.
   */
  @Override
  public Future<Void> drain(Duration timeout) {
    Future<Void> plain = server.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Future<Void> tls = tlsServer == null
        ? Future.succeededFuture()
        : tlsServer.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS);
    // The closes' leaves are queued before the barrier, so its completion means the rooms handled them.
    return Future.all(plain, tls).compose(v -> link.barrier());
  }

  /** The port actually bound, useful when configured as 0. */
  public int actualPort() {
    return server.actualPort();
  }

  /** The TLS listener's port, or 0 when TLS is off. */
  public int actualTlsPort() {
    return tlsServer == null ? 0 : tlsServer.actualPort();
  }

  // The remote address is the client's own, taken from the PROXY header when proxyProtocol.enabled.
  private void accept(NetSocket socket) {
    String address = socket.remoteAddress().hostAddress();
    Optional<ChatMetrics.ConnectionRefusal> refusal = limits.admit(address);
    if (refusal.isPresent()) {
      refuse(socket, address, refusal.get());
      return;
    }
    SmallOutboundQueue.install(socket);
    Connection connection = new Connection(this, socket, nextConnectionId++, address);
    connections.put(connection.id(), connection);
    connection.start();
  }

  private void refuse(NetSocket socket, String address, ChatMetrics.ConnectionRefusal refusal) {
    metrics.connectionRefused(refusal);
    log.debug("refused a connection from {}: {}", address, refusal);
    String notice = refusal == ChatMetrics.ConnectionRefusal.PER_IP
        ? config.texts().tooManyFromAddress(config.limits().connectionsPerIp())
        : config.texts().serverFull();
    socket.end(Buffer.buffer(notice + "\n"));
  }

  // Timeouts: one periodic sweep per instance rather than a timer per connection, so an idle connection costs
  // two timestamps and nothing else.

  private void startTimeoutSweep() {
    long registration = TimeUnit.SECONDS.toNanos(config.limits().registrationTimeoutSeconds());
    long idle = TimeUnit.SECONDS.toNanos(config.limits().idleTimeoutSeconds());
    if (registration == 0 && idle == 0) {
      return;
    }
    long shortest = registration == 0 ? idle : idle == 0 ? registration : Math.min(registration, idle);
    long period = Math.max(100, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(shortest) / 4));
    vertx.setPeriodic(period, id -> sweep(registration, idle));
  }

  private void sweep(long registration, long idle) {
    long now = System.nanoTime();
    List<Connection> expired = null;
    for (Connection connection : connections.values()) {
      if (connection.expired(now, registration, idle) != null) {
        if (expired == null) {
          expired = new ArrayList<>();
        }
        expired.add(connection);
      }
    }
    if (expired != null) {
      for (Connection connection : expired) {
        connection.timeOut(connection.expired(now, registration, idle));
      }
    }
  }

  /** What the rooms send, in order: room lines through the outbox, a connection's own lines straight to it. */
  private final class RoomsToSockets implements Event.Handler<Void> {

    @Override
    public Void room(RoomEvent event) {
      Connection added = connections.get(event.add());
      Connection removed = connections.get(event.remove());
      if (added != null || removed != null) {
        outbox.release(event.room());
      }
      if (added != null) {
        rooms.add(event.room(), added);
      }
      if (removed != null) {
        rooms.remove(event.room(), removed);
      }
      int members = rooms.in(event.room()).size();
      if (members > 0) {
        outbox.toRoom(event.room(), renderer.room(event));
      }
      if (event.isMessage()) {
        metrics.delivered(members);
        metrics.deliveryLatency((RoomEvent.nowMicros() - event.at()) * 1000);
      }
      return null;
    }

    @Override
    public Void direct(Event.Direct direct) {
      Connection target = connections.get(direct.connection());
      if (target != null) {
        target.reply(direct.reply());
      }
      return null;
    }

    @Override
    public Void evict(Event.Evict evict) {
      Connection target = connections.get(evict.connection());
      if (target != null) {
        rooms.removeEverywhere(target);
        target.evict();
      }
      return null;
    }

    @Override
    public Void gone(Event.Gone gone) {
      Connection target = connections.get(gone.connection());
      if (target != null) {
        target.gone();
      }
      return null;
    }
  }

  void toRooms(Request request) {
    link.send(request);
  }

  /** A closed connection leaves this instance's index at once; its room hears the leave when the RoomVerticle says. */
  void forget(Connection connection) {
    if (connections.remove(connection.id()) != null) {
      limits.release(connection.address());
    }
    for (String room : connection.indexedRooms) {
      outbox.release(room);
    }
    rooms.removeEverywhere(connection);
  }

  ChatMetrics metrics() {
    return metrics;
  }

  ChatConfig settings() {
    return config;
  }

  Vertx vertx() {
    return vertx;
  }

  String instanceId() {
    return link.instanceId();
  }

  String nodeId() {
    return nodeId;
  }

  Outbox outbox() {
    return outbox;
  }

  LineRenderer renderer() {
    return renderer;
  }

  Reservations names() {
    return names;
  }
}
