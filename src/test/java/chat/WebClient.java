package chat;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket chat client for tests, on Vert.x's WebSocket client: every text message is parsed and queued, and
 * {@link #next} waits for one with a bounded timeout. A close shows as {@code {"type":"closed","code":...}}.
 */
public final class WebClient implements AutoCloseable {

  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final WebSocket socket;
  private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();

  private WebClient(Vertx vertx, WebSocket socket) {
    this.vertx = vertx;
    this.socket = socket;
    socket.textMessageHandler(text -> events.add(new JsonObject(text)));
    socket.closeHandler(v -> events.add(new JsonObject().put("type", "closed")
        .put("code", socket.closeStatusCode() == null ? -1 : (int) socket.closeStatusCode())
        .put("reason", socket.closeReason())));
  }

  public static WebClient connect(int port) throws Exception {
    return connect(port, null);
  }

  /** With {@code origin} as the Origin header, or none when null. */
  public static WebClient connect(int port, String origin) throws Exception {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/ws").setAllowOriginHeader(origin != null);
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    return connect(options, new WebSocketClientOptions());
  }

  /** WSS to {@code port}, trusting any certificate (the tests' own). */
  public static WebClient connectTls(int port) throws Exception {
    return connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws").setSsl(true),
        new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
  }

  private static WebClient connect(WebSocketConnectOptions options, WebSocketClientOptions clientOptions)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      WebSocketClient client = vertx.createWebSocketClient(clientOptions);
      // Handlers are set on the socket's event loop as it opens, so the first message is not missed.
      return client.connect(options).map(socket -> new WebClient(vertx, socket)).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
  }

  /** Connects, registers {@code name} and waits for its own join in the lobby. */
  public static WebClient register(int port, String name) throws Exception {
    WebClient client = connect(port);
    client.expectType("prompt");
    client.send(new JsonObject().put("type", "register").put("name", name));
    client.expectType("registered");
    client.await(e -> e.getString("type").equals("joined") && e.getString("name").equals(name));
    return client;
  }

  public void send(JsonObject message) {
    sendText(message.encode());
  }

  public void send(String type, String... fieldsAndValues) {
    JsonObject message = new JsonObject().put("type", type);
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      message.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
    }
    send(message);
  }

  public void sendText(String text) {
    socket.writeTextMessage(text).await();
  }

  public JsonObject next() {
    try {
      JsonObject event = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (event == null) {
        throw new AssertionError("no event within " + TIMEOUT);
      }
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public JsonObject expectType(String type) {
    JsonObject event = next();
    if (!type.equals(event.getString("type"))) {
      throw new AssertionError("expected a " + type + " event but got " + event);
    }
    return event;
  }

  /** Skips events until one matches; returns it. */
  public JsonObject await(Predicate<JsonObject> match) {
    List<JsonObject> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject event = next();
      if (match.test(event)) {
        return event;
      }
      seen.add(event);
    }
    throw new AssertionError("no matching event; got " + seen);
  }

  /** True if nothing arrives within {@code quiet}. */
  public boolean silentFor(Duration quiet) throws InterruptedException {
    JsonObject event = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    if (event != null) {
      events.add(event);
    }
    return event == null;
  }

  @Override
  public void close() {
    try {
      socket.close().await(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closed by the server already
    } finally {
      vertx.close();
    }
  }
}
