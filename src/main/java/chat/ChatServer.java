package chat;

import chat.cluster.ClusterNode;
import chat.config.ChatConfig;
import chat.config.ConfigException;
import chat.config.ConfigLoader;
import chat.net.NetServerVerticle;
import chat.ops.ChatMetrics;
import chat.room.RoomVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the configuration, starts Vert.x and deploys the verticles: nothing else. */
public final class ChatServer {

  private static final Logger log = LoggerFactory.getLogger(ChatServer.class);
  /** A node that cannot reach the cluster does not hold up its shutdown longer: the survivors announce its users. */
  private static final long LEAVE_TIMEOUT_MILLIS = 3_000;

  /** What a started server exposes to its caller (the main method, or a test). */
  public record Running(Vertx vertx, ChatConfig config, ChatMetrics metrics, int tcpPort, Optional<ClusterNode> cluster) {

    /** Clustered, this node's users' leaves are announced to the cluster first, then the node leaves it. */
    public Future<Void> close() {
      return cluster.map(node -> node.leave(LEAVE_TIMEOUT_MILLIS)).orElse(Future.succeededFuture())
          .transform(ignored -> vertx.close());
    }
  }

  private ChatServer() {
  }

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    // Before Hazelcast reads cluster.xml, which logs through java.util.logging otherwise.
    System.setProperty("hazelcast.logging.type", "slf4j");
    Vertx bootstrap = Vertx.vertx();
    ChatConfig config;
    try {
      config = ConfigLoader.load(bootstrap, System.getenv()).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null && e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      log.error("cannot start: {}", cause instanceof ConfigException ? cause.getMessage() : cause.toString());
      System.exit(2);
      return;
    } finally {
      bootstrap.close();
    }
    ChatMetrics metrics = new ChatMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    try {
      Running running = start(config, metrics).await(180, TimeUnit.SECONDS);
      // Vert.x installs no JVM shutdown hook, and Hazelcast's own is off: without this, SIGTERM acts like a crash.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running), "chat-shutdown"));
      log.info("chat server listening on {}:{} (locale {})", config.tcp().host(), running.tcpPort(),
          config.texts().name().toLowerCase(java.util.Locale.ROOT));
    } catch (Exception e) {
      log.error("cannot start: {}", e.toString());
      System.exit(1);
    }
  }

  /** Starts Vert.x, clustered when {@code cluster.enabled}, and the server on it. */
  public static Future<Running> start(ChatConfig config, ChatMetrics metrics) {
    if (!config.cluster().enabled()) {
      return start(Vertx.vertx(new VertxOptions()), config, metrics);
    }
    return ClusterNode.start(config.cluster(), metrics)
        .compose(cluster -> start(cluster.vertx(), config, metrics, cluster)
            .onFailure(e -> cluster.vertx().close()));
  }

  /** A single node on {@code vertx}. */
  public static Future<Running> start(Vertx vertx, ChatConfig config, ChatMetrics metrics) {
    return start(vertx, config, metrics, null);
  }

  /** Deploys the RoomVerticle, then one NetServerVerticle per event loop (or {@code tcp.instances}). */
  private static Future<Running> start(Vertx vertx, ChatConfig config, ChatMetrics metrics, ClusterNode cluster) {
    String nodeId = cluster == null ? UUID.randomUUID().toString() : cluster.nodeId();
    int instances = config.tcp().instances() > 0
        ? config.tcp().instances()
        : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    List<NetServerVerticle> servers = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(new RoomVerticle(nodeId, metrics, cluster, config.texts()))
        .compose(id -> vertx.deployVerticle(() -> {
          NetServerVerticle server = new NetServerVerticle(config, metrics, nodeId);
          servers.add(server);
          return server;
        }, new DeploymentOptions().setInstances(instances)))
        .map(id -> new Running(vertx, config, metrics, servers.get(0).actualPort(), Optional.ofNullable(cluster)));
  }

  private static void stop(Running running) {
    log.info("shutting down");
    try {
      running.close().await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("shutdown did not complete: {}", e.toString());
    }
  }
}
