package chat.net;

import chat.bus.Addresses;
import chat.bus.RoomEvent;
import chat.bus.RoomRequest;
import chat.config.ChatConfig;
import chat.ops.ChatMetrics;
import chat.protocol.Texts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Owns the chat sockets of one event loop: accepts connections, hands each to a {@link Connection}, and fans room
 * events out to its own members.
 */
public final class NetServerVerticle extends VerticleBase {

  /** Cluster-wide name reservations: lower-cased name to the owning connection. */
  public static final String NAMES_MAP = "chat.names";

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final ChatConfig config;
  private final ChatMetrics metrics;
  private final String nodeId;
  private final String instanceId = UUID.randomUUID().toString();
  private final Map<Long, Connection> connections = new HashMap<>();
  private final LocalRooms rooms = new LocalRooms();
  private Flusher flusher;
  private AsyncMap<String, String> names;
  private NetServer server;
  private long nextConnectionId = 1;

  public NetServerVerticle(ChatConfig config, ChatMetrics metrics, String nodeId) {
    this.config = config;
    this.metrics = metrics;
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    flusher = new Flusher(context);
    // Port 0 would give every instance its own random port; a negative port asks Vert.x for one shared random port.
    int port = config.tcp().port() == 0 ? -1 : config.tcp().port();
    server = vertx.createNetServer(new NetServerOptions()
        .setHost(config.tcp().host())
        .setPort(port)
        .setTcpNoDelay(true)
        .setSendBufferSize(config.tcp().sendBufferBytes()));
    server.connectHandler(this::accept);
    Future<Void> consumer = vertx.eventBus()
        .<JsonObject>localConsumer(Addresses.instance(instanceId), this::onRoomEvent)
        .completion();
    Future<Void> nameMap = vertx.sharedData().<String, String>getAsyncMap(NAMES_MAP)
        .onSuccess(map -> names = map)
        .mapEmpty();
    return Future.all(consumer, nameMap).compose(v -> server.listen());
  }

  /** The port actually bound, useful when configured as 0. */
  public int actualPort() {
    return server.actualPort();
  }

  private void accept(NetSocket socket) {
    Connection connection = new Connection(this, (NetSocketInternal) socket, nextConnectionId++);
    connections.put(connection.id(), connection);
    connection.start();
  }

  private void onRoomEvent(Message<JsonObject> message) {
    RoomEvent event = RoomEvent.fromJson(message.body());
    if (event.target() != 0) {
      Connection target = connections.get(event.target());
      if (target != null && event.kind() == RoomEvent.Kind.EVICTED) {
        rooms.removeEverywhere(target);
        target.evict(event.text());
      } else if (target != null) {
        target.sendNow(format(config.texts(), event));
        if (event.kind() == RoomEvent.Kind.WHISPERED) {
          metrics.delivered(1);
        }
      }
      return;
    }
    Connection added = connections.get(event.add());
    if (added != null) {
      rooms.add(event.room(), added);
    }
    Connection removed = connections.get(event.remove());
    if (removed != null) {
      rooms.remove(event.room(), removed);
    }
    ByteBuf line = encode(format(config.texts(), event));
    Collection<Connection> members = rooms.in(event.room());
    for (Connection member : members) {
      member.write(line.retainedDuplicate());
    }
    line.release();
    if (event.sentAt() != 0) {
      metrics.delivered(members.size());
      metrics.deliveryLatency((nowMicros() - event.sentAt()) * 1000);
    }
  }

  /** Wall-clock microseconds: message timestamps are compared across nodes, so not {@code System.nanoTime()}. */
  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  private static String format(Texts texts, RoomEvent event) {
    return switch (event.kind()) {
      case JOINED -> texts.joined(event.name());
      case LEFT -> texts.left(event.name());
      case SAID -> texts.said(event.name(), event.text());
      case ACTED -> texts.acted(event.name(), event.text());
      case RENAMED -> texts.renamed(event.name(), event.other());
      case WHISPERED -> texts.whispered(event.name(), event.other(), event.text());
      case DIRECT, EVICTED -> event.text();
    };
  }

  /** One server line as bytes, encoded once however many sockets it goes to. */
  static ByteBuf encode(String line) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(ByteBufUtil.utf8MaxBytes(line) + 1);
    ByteBufUtil.writeUtf8(buf, line);
    buf.writeByte('\n');
    return buf;
  }

  void toRooms(RoomRequest request) {
    vertx.eventBus().send(Addresses.rooms(nodeId), request.toJson(), LOCAL);
  }

  Future<JsonObject> askRooms(RoomRequest request) {
    return vertx.eventBus().<JsonObject>request(Addresses.rooms(nodeId), request.toJson(), LOCAL)
        .map(Message::body);
  }

  /** A closed connection leaves this instance's index at once; its room hears the leave when the RoomVerticle says. */
  void forget(Connection connection) {
    connections.remove(connection.id());
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
    return instanceId;
  }

  String nodeId() {
    return nodeId;
  }

  Flusher flusher() {
    return flusher;
  }

  AsyncMap<String, String> names() {
    return names;
  }
}
