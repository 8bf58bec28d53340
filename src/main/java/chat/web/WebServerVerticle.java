package chat.web;

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
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser front-end on one event loop: serves the page ({@code /}, its script and style, from the jar) and the
 * WebSocket endpoint ({@code /ws}) on {@code web.port}, and nothing else. Like NetServerVerticle it admits connections
 * within the node's {@link ConnectionLimits}, sends its users' requests to the rooms through its {@link RoomLink}, and
 * writes what comes back to its own connections.
 */
public final class WebServerVerticle extends VerticleBase implements Drain.Listener {

  private static final Logger log = LoggerFactory.getLogger(WebServerVerticle.class);

  /** A web user enters this room on registration, like a line user. */
  static final String FIRST_ROOM = "lobby";

  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "connect-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private static final Map<String, String> ASSETS = Map.of(
      "/", "index.html",
      "/app.js", "app.js",
      "/style.css", "style.css",
      "/icon.svg", "icon.svg");

  private final ChatConfig config;
  private final ChatMetrics metrics;
  private final String nodeId;
  /** Whether this node may give names out now (not while it merges back into its cluster). */
  private final BooleanSupplier granting;
  private final ConnectionLimits limits;
  private final Origins origins;
  private final WebProtocol protocol = new WebProtocol();
  private final Map<Long, WebConnection> connections = new HashMap<>();
  private final Map<String, Set<WebConnection>> rooms = new HashMap<>();
  private final Map<String, Buffer> assets = new HashMap<>();
  private RoomLink link;
  private Reservations names;
  private HttpServer server;
  private long nextConnectionId = 1;

  public WebServerVerticle(ChatConfig config, ChatMetrics metrics, String nodeId, BooleanSupplier granting,
      ConnectionLimits limits) {
    this.config = config;
    this.metrics = metrics;
    this.nodeId = nodeId;
    this.granting = granting;
    this.limits = limits;
    this.origins = new Origins(config.web().allowedOrigins());
  }

  @Override
  public Future<?> start() {
    ASSETS.values().forEach(file -> assets.put(file, resource("web/" + file)));
    server = vertx.createHttpServer(options()).requestHandler(router());
    startTimeoutSweep();
    Future<Void> lane = RoomLink.open(vertx, context, nodeId, new RoomsToSockets()).onSuccess(l -> link = l).mapEmpty();
    Future<Void> nameMap = Reservations.open(vertx, granting)
        .onSuccess(map -> names = map)
        .mapEmpty();
    return Future.all(lane, nameMap).compose(v -> server.listen());
  }

  // A frame may be larger than limits.maxLineBytes so that an oversized message gets an error event before the close;
  // past this bound Netty closes with 1009 by itself, so what one frame can hold in memory stays bounded.
  private HttpServerOptions options() {
    int limit = Math.max(2 * config.limits().maxLineBytes(), 64 * 1024);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.tcp().host())
        .setPort(Listener.WEB.of(config.web().port()))
        .setTcpNoDelay(true)
        .setMaxWebSocketFrameSize(limit)
        .setMaxWebSocketMessageSize(limit)
        .setUseProxyProtocol(config.proxyProtocol().enabled());
    if (config.tls().enabled()) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(config.tls().certPath())
          .setKeyPath(config.tls().keyPath()));
    }
    return options;
  }

  private Router router() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "no-referrer");
      ctx.next();
    });
    router.get("/ws").handler(this::upgrade);
    ASSETS.forEach((path, file) -> router.get(path).handler(ctx -> ctx.response()
        .putHeader("Content-Type", contentType(file))
        .putHeader("Cache-Control", "no-cache")
        .end(assets.get(file))));
    return router;
  }

  private static String contentType(String file) {
    if (file.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (file.endsWith(".svg")) {
      return "image/svg+xml";
    }
    return file.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
  }

  private static Buffer resource(String path) {
    try (InputStream in = WebServerVerticle.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Cross-site WebSocket hijacking is refused before the upgrade; the caps count WebSockets, not page loads.
  private void upgrade(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    String address = ctx.request().remoteAddress().hostAddress();
    if (!origins.allows(origin, ctx.request().getHeader("Host"))) {
      log.debug("refused a WebSocket from {} with origin {}", address, origin);
      ctx.response().setStatusCode(403).end("origin not allowed");
      return;
    }
    Optional<ChatMetrics.ConnectionRefusal> refusal = limits.admit(address);
    if (refusal.isPresent()) {
      metrics.connectionRefused(refusal.get());
      ctx.response().setStatusCode(503).end(refusal.get() == ChatMetrics.ConnectionRefusal.PER_IP
          ? "too many connections from your address" : "server full");
      return;
    }
    ctx.request().toWebSocket()
        .onSuccess(socket -> {
          WebConnection connection = new WebConnection(this, socket, nextConnectionId++, address);
          connections.put(connection.id(), connection);
          connection.start();
        })
        .onFailure(e -> {
          limits.release(address);
          log.debug("WebSocket upgrade from {} failed: {}", address, e.toString());
        });
  }

  /** Stops accepting, tells every client and closes it; completes once the rooms have taken their leaves. */
  @Override
  public Future<Void> drain(Duration timeout) {
    return Future.<Void>future(done -> context.runOnContext(v -> {
      List.copyOf(connections.values()).forEach(WebConnection::shutDown);
      done.complete();
    }))
        .compose(v -> server.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .compose(v -> link.barrier());
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void startTimeoutSweep() {
    long registration = TimeUnit.SECONDS.toNanos(config.limits().registrationTimeoutSeconds());
    long idle = TimeUnit.SECONDS.toNanos(config.limits().idleTimeoutSeconds());
    if (registration == 0 && idle == 0) {
      return;
    }
    long shortest = registration == 0 ? idle : idle == 0 ? registration : Math.min(registration, idle);
    long period = Math.max(100, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(shortest) / 4));
    vertx.setPeriodic(period, id -> {
      long now = System.nanoTime();
      List<WebConnection> expired = new ArrayList<>(0);
      connections.values().stream().filter(c -> c.expired(now, registration, idle) != null).forEach(expired::add);
      expired.forEach(c -> c.timeOut(c.expired(now, registration, idle)));
    });
  }

  /** What the rooms send, in order: a room event to this instance's members of its room, a reply to its connection. */
  private final class RoomsToSockets implements Event.Handler<Void> {

    @Override
    public Void room(RoomEvent event) {
      WebConnection added = connections.get(event.add());
      WebConnection removed = connections.get(event.remove());
      if (added != null) {
        index(event.room(), added);
      }
      Set<WebConnection> members = rooms.getOrDefault(event.room(), Set.of());
      if (!members.isEmpty()) {
        String encoded = protocol.room(event).encode();
        for (WebConnection member : List.copyOf(members)) {
          member.write(encoded);
        }
        if (event.isMessage()) {
          metrics.delivered(members.size());
          metrics.deliveryLatency((RoomEvent.nowMicros() - event.at()) * 1000);
        }
      }
      if (removed != null) {
        unindex(event.room(), removed);
      }
      return null;
    }

    @Override
    public Void direct(Event.Direct direct) {
      WebConnection target = connections.get(direct.connection());
      if (target != null) {
        target.reply(direct.reply());
      }
      return null;
    }

    @Override
    public Void evict(Event.Evict evict) {
      WebConnection target = connections.get(evict.connection());
      if (target != null) {
        List.copyOf(target.indexedRooms).forEach(room -> unindex(room, target));
        target.evict();
      }
      return null;
    }

    @Override
    public Void gone(Event.Gone gone) {
      WebConnection target = connections.get(gone.connection());
      if (target != null) {
        target.gone();
      }
      return null;
    }
  }

  private void index(String room, WebConnection connection) {
    if (rooms.computeIfAbsent(room, r -> new LinkedHashSet<>()).add(connection)) {
      connection.indexedRooms.add(room);
    }
  }

  private void unindex(String room, WebConnection connection) {
    Set<WebConnection> members = rooms.get(room);
    if (members != null && members.remove(connection) && members.isEmpty()) {
      rooms.remove(room);
    }
    connection.indexedRooms.remove(room);
  }

  void toRooms(Request request) {
    link.send(request);
  }

  /** A closed connection leaves the index at once; its rooms hear the leave when the RoomVerticle says. */
  void forget(WebConnection connection) {
    if (connections.remove(connection.id()) != null) {
      limits.release(connection.address());
    }
    List.copyOf(connection.indexedRooms).forEach(room -> unindex(room, connection));
  }

  WebProtocol protocol() {
    return protocol;
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

  Reservations names() {
    return names;
  }
}
