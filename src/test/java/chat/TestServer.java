package chat;

import chat.cluster.ClusterNode;
import chat.config.ChatConfig;
import chat.config.ConfigLoader;
import chat.ops.ChatMetrics;
import chat.ops.Drain;
import chat.ops.MetricsBackend;
import chat.ops.Readiness;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts a real server in this JVM on free ports (chat and ops HTTP), with configuration overrides given as environment
 * variables, its meters in a Prometheus registry of its own.
 */
public final class TestServer implements AutoCloseable {

  private final ChatServer.Running running;

  private TestServer(ChatServer.Running running) {
    this.running = running;
  }

  /** A single node started the way {@code main} starts it, Vert.x and its event loops included. */
  public static TestServer start(Map<String, String> env) throws Exception {
    Map<String, String> withPort = new HashMap<>(env);
    withPort.putIfAbsent("CHAT_TCP_PORT", "0");
    withPort.putIfAbsent("CHAT_TCP_HOST", "127.0.0.1");
    withPort.putIfAbsent("CHAT_HTTP_PORT", "0");
    withPort.putIfAbsent("CHAT_WEB_PORT", "0");
    withPort.putIfAbsent("CHAT_IRC_PORT", "0");
    withPort.putIfAbsent("CHAT_IRC_TLS_PORT", "0");
    return new TestServer(ChatServer.start(load(withPort), new MetricsBackend()).await(30, TimeUnit.SECONDS));
  }

  private static ChatConfig load(Map<String, String> env) throws Exception {
    Vertx bootstrap = Vertx.vertx();
    try {
      return ConfigLoader.load(bootstrap, env).await(30, TimeUnit.SECONDS);
    } finally {
      bootstrap.close();
    }
  }

  /** A clustered node: Hazelcast on 127.0.0.1:{@code clusterPort}, joining {@code members} ({@code host:port,...}). */
  public static TestServer startClustered(int clusterPort, String members, Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("CHAT_TCP_PORT", "0");
    all.putIfAbsent("CHAT_TCP_HOST", "127.0.0.1");
    all.putIfAbsent("CHAT_HTTP_PORT", "0");
    all.putIfAbsent("CHAT_WEB_PORT", "0");
    all.putIfAbsent("CHAT_IRC_PORT", "0");
    all.putIfAbsent("CHAT_IRC_TLS_PORT", "0");
    all.putIfAbsent("CHAT_TCP_INSTANCES", "2");
    all.put("CHAT_CLUSTER_ENABLED", "true");
    all.put("CHAT_CLUSTER_HOST", "127.0.0.1");
    all.put("CHAT_CLUSTER_PORT", String.valueOf(clusterPort));
    all.put("CHAT_CLUSTER_MEMBERS", members);
    return new TestServer(ChatServer.start(load(all), new MetricsBackend()).await(120, TimeUnit.SECONDS));
  }

  public static TestServer start() throws Exception {
    return start(Map.of());
  }

  public int port() {
    return running.tcpPort();
  }

  public int httpPort() {
    return running.httpPort();
  }

  /** The web listener's port (page and WebSocket); 0 when CHAT_WEB_ENABLED=false. */
  public int webPort() {
    return running.webPort();
  }

  public Readiness readiness() {
    return running.readiness();
  }

  public Drain drain() {
    return running.drain();
  }

  /** The TLS listener's port; 0 unless started with CHAT_TLS_ENABLED=true. */
  public int ircPort() {
    return running.ircPort();
  }

  public int tlsPort() {
    return running.tlsPort();
  }

  public ChatMetrics metrics() {
    return running.metrics();
  }

  /** The count of a counter labelled with {@code reason}, e.g. {@code chat.input.rejected} / {@code flood}. */
  public double count(String counter, String reason) {
    return metrics().registry().get(counter).tag("reason", reason).counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
  }

  /** Open chat connections on this node, as the {@code chat.connections.active} gauge says. */
  public int openConnections() {
    return (int) metrics().registry().get("chat.connections.active").gauges().stream()
        .mapToDouble(io.micrometer.core.instrument.Gauge::value).sum();
  }

  public Vertx vertx() {
    return running.vertx();
  }

  public ClusterNode cluster() {
    return running.cluster().orElseThrow();
  }

  @Override
  public void close() throws Exception {
    running.close().await(30, TimeUnit.SECONDS);
  }
}
