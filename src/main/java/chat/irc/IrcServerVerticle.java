package chat.irc;

import chat.bus.Reservations;
import chat.config.ChatConfig;
import chat.core.Event;
import chat.core.Request;
import chat.core.RoomEvent;
import chat.net.ConnectionLimits;
import chat.net.Listener;
import chat.net.RoomLink;
import chat.ops.ChatMetrics;
import chat.ops.Drain;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The IRC listener on one event loop, beside the line listener: accepts connections within the node's
 * {@link ConnectionLimits}, hands each to an {@link IrcConnection}, and renders what the rooms send back for the
 * members it serves. Its own {@link RoomLink} is the lane of every connection it serves.
 */
public final class IrcServerVerticle extends VerticleBase implements Drain.Listener {


  private final ChatConfig config;
  private final ChatMetrics metrics;
  private final String nodeId;
  /** Whether this node may give names out now (not while it merges back into its cluster). */
  private final BooleanSupplier granting;
  private final ConnectionLimits limits;
  private final IrcUsers users;
  private final Map<Long, IrcConnection> connections = new HashMap<>();
  /** This instance's connections per room, changed only by room events (see {@code RoomEvent#add}). */
  private final Map<String, Set<IrcConnection>> rooms = new HashMap<>();
  private final long createdAt = System.currentTimeMillis();
  private RoomLink link;
  private Reservations names;
  private NetServer server;
  private NetServer tlsServer;
  private long nextConnectionId = 1;

  public IrcServerVerticle(ChatConfig config, ChatMetrics metrics, String nodeId, BooleanSupplier granting,
      ConnectionLimits limits,
      IrcUsers users) {
    this.users = users;
    this.config = config;
    this.metrics = metrics;
    this.nodeId = nodeId;
    this.granting = granting;
    this.limits = limits;
  }

  @Override
  public Future<?> start() {
    server = vertx.createNetServer(Listener.IRC.tcpOptions(config, config.irc().port()));
    server.connectHandler(this::accept);
    if (config.tls().enabled()) {
      tlsServer = vertx.createNetServer(Listener.IRC_TLS.tcpOptions(config, config.irc().tlsPort())
          .setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions()
              .setCertPath(config.tls().certPath())
              .setKeyPath(config.tls().keyPath())));
      tlsServer.connectHandler(this::accept);
    }
    startPingSweep();
    Future<Void> lane = RoomLink.open(vertx, context, nodeId, new RoomsToClients()).onSuccess(l -> link = l)
        .mapEmpty();
    Future<Void> nameMap = Reservations.open(vertx, granting)
        .onSuccess(map -> names = map)
        .mapEmpty();
    return Future.all(lane, nameMap)
        .compose(v -> tlsServer == null
            ? server.listen().mapEmpty()
            : Future.all(server.listen(), tlsServer.listen()).mapEmpty());
  }

  public int actualPort() {
    return server.actualPort();
  }


  /** Stops accepting, closes every client after an ERROR, and completes once the rooms took their leaves. */
  @Override
  public Future<Void> drain(Duration timeout) {
    Future<Void> plain = server.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Future<Void> tls = tlsServer == null
        ? Future.succeededFuture()
        : tlsServer.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return Future.all(plain, tls).compose(v -> link.barrier());
  }

  private void accept(NetSocket socket) {
    String address = socket.remoteAddress().hostAddress();
    Optional<ChatMetrics.ConnectionRefusal> refusal = limits.admit(address);
    if (refusal.isPresent()) {
      metrics.connectionRefused(refusal.get());
      socket.end(Buffer.buffer("ERROR :Closing link: too many connections\r\n"));
      return;
    }
    IrcConnection connection = new IrcConnection(this, socket, nextConnectionId++, address);
    connections.put(connection.id(), connection);
    connection.start();
  }

  // One sweep per instance: registration timeout, and a server PING to a quiet client, closed when it stays quiet.
  private void startPingSweep() {
    vertx.setPeriodic(1000, id -> {
      long now = System.nanoTime();
      for (IrcConnection connection : List.copyOf(connections.values())) {
        connection.sweep(now);
      }
    });
  }

  /** What the rooms send, in order, rendered per connection (capabilities differ from one client to the next). */
  private final class RoomsToClients implements Event.Handler<Void> {

    @Override
    public Void room(RoomEvent event) {
      IrcConnection added = connections.get(event.add());
      if (added != null) {
        rooms.computeIfAbsent(event.room(), r -> new LinkedHashSet<>()).add(added);
      }
      Set<IrcConnection> members = rooms.getOrDefault(event.room(), Set.of());
      for (IrcConnection member : members) {
        member.roomEvent(event);
      }
      IrcConnection removed = connections.get(event.remove());
      if (removed != null) {
        if (!members.contains(removed)) {
          removed.roomEvent(event);
        }
        leave(event.room(), removed);
      }
      if (event.isMessage()) {
        metrics.delivered(members.size());
      }
      return null;
    }

    @Override
    public Void direct(Event.Direct direct) {
      IrcConnection target = connections.get(direct.connection());
      if (target != null) {
        target.reply(direct.reply());
      }
      return null;
    }

    @Override
    public Void evict(Event.Evict evict) {
      IrcConnection target = connections.get(evict.connection());
      if (target != null) {
        forgetRooms(target);
        target.evict();
      }
      return null;
    }

    @Override
    public Void gone(Event.Gone gone) {
      IrcConnection target = connections.get(gone.connection());
      if (target != null) {
        target.gone();
      }
      return null;
    }
  }

  private void leave(String room, IrcConnection connection) {
    Set<IrcConnection> set = rooms.get(room);
    if (set != null && set.remove(connection) && set.isEmpty()) {
      rooms.remove(room);
    }
  }

  private void forgetRooms(IrcConnection connection) {
    for (String room : List.copyOf(rooms.keySet())) {
      leave(room, connection);
    }
  }

  void forget(IrcConnection connection) {
    if (connections.remove(connection.id()) != null) {
      limits.release(connection.address());
    }
    forgetRooms(connection);
  }

  void toRooms(Request request) {
    link.send(request);
  }

  ChatConfig settings() {
    return config;
  }

  ChatMetrics metrics() {
    return metrics;
  }

  io.vertx.core.Vertx vertx() {
    return vertx;
  }

  String instanceId() {
    return link.instanceId();
  }

  String nodeId() {
    return nodeId;
  }

  long createdAt() {
    return createdAt;
  }

  IrcUsers users() {
    return users;
  }

  Reservations names() {
    return names;
  }
}
