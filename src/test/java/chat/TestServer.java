package chat;

import chat.cluster.ClusterNode;
import chat.config.ChatConfig;
import chat.config.ConfigLoader;
import chat.ops.ChatMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts a real server in this JVM on a free port, with configuration overrides given as environment variables. */
public final class TestServer implements AutoCloseable {

  private final ChatServer.Running running;

  private TestServer(ChatServer.Running running) {
    this.running = running;
  }

  public static TestServer start(Map<String, String> env) throws Exception {
    Map<String, String> withPort = new HashMap<>(env);
    withPort.putIfAbsent("CHAT_TCP_PORT", "0");
    withPort.putIfAbsent("CHAT_TCP_HOST", "127.0.0.1");
    Vertx vertx = Vertx.vertx();
    ChatConfig config = ConfigLoader.load(vertx, withPort).await(30, TimeUnit.SECONDS);
    ChatMetrics metrics = new ChatMetrics(new SimpleMeterRegistry());
    return new TestServer(ChatServer.start(vertx, config, metrics).await(30, TimeUnit.SECONDS));
  }

  /** A clustered node: Hazelcast on 127.0.0.1:{@code clusterPort}, joining {@code members} ({@code host:port,...}). */
  public static TestServer startClustered(int clusterPort, String members, Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("CHAT_TCP_PORT", "0");
    all.putIfAbsent("CHAT_TCP_HOST", "127.0.0.1");
    all.putIfAbsent("CHAT_TCP_INSTANCES", "2");
    all.put("CHAT_CLUSTER_ENABLED", "true");
    all.put("CHAT_CLUSTER_HOST", "127.0.0.1");
    all.put("CHAT_CLUSTER_PORT", String.valueOf(clusterPort));
    all.put("CHAT_CLUSTER_MEMBERS", members);
    Vertx bootstrap = Vertx.vertx();
    ChatConfig config;
    try {
      config = ConfigLoader.load(bootstrap, all).await(30, TimeUnit.SECONDS);
    } finally {
      bootstrap.close();
    }
    ChatMetrics metrics = new ChatMetrics(new SimpleMeterRegistry());
    return new TestServer(ChatServer.start(config, metrics).await(120, TimeUnit.SECONDS));
  }

  public static TestServer start() throws Exception {
    return start(Map.of());
  }

  public int port() {
    return running.tcpPort();
  }

  public ChatMetrics metrics() {
    return running.metrics();
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
