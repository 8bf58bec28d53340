package chat;

import chat.config.ChatConfig;
import chat.config.ConfigException;
import chat.config.ConfigLoader;
import chat.net.ConnectionLimits;
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
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the configuration, starts Vert.x and deploys the verticles: nothing else. */
public final class ChatServer {

  private static final Logger log = LoggerFactory.getLogger(ChatServer.class);

  /** What a started server exposes to its caller (the main method, or a test). */
  public record Running(Vertx vertx, ChatConfig config, ChatMetrics metrics, int tcpPort, int tlsPort) {

    public Future<Void> close() {
      return vertx.close();
    }
  }

  private ChatServer() {
  }

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
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
    Vertx vertx = Vertx.vertx(new VertxOptions());
    ChatMetrics metrics = new ChatMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    try {
      Running running = start(vertx, config, metrics).await(60, TimeUnit.SECONDS);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running), "chat-shutdown"));
      log.info("chat server listening on {}:{} (locale {})", config.tcp().host(), running.tcpPort(),
          config.texts().name().toLowerCase(java.util.Locale.ROOT));
      if (config.tls().enabled()) {
        log.info("chat server listening for TLS on {}:{}", config.tcp().host(), running.tlsPort());
      }
    } catch (Exception e) {
      log.error("cannot start: {}", e.toString());
      vertx.close();
      System.exit(1);
    }
  }

  /** Deploys the RoomVerticle, then one NetServerVerticle per event loop (or {@code tcp.instances}). */
  public static Future<Running> start(Vertx vertx, ChatConfig config, ChatMetrics metrics) {
    String nodeId = UUID.randomUUID().toString();
    int instances = config.tcp().instances() > 0
        ? config.tcp().instances()
        : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    List<NetServerVerticle> servers = new CopyOnWriteArrayList<>();
    ConnectionLimits limits = new ConnectionLimits(config.limits().connectionsPerIp(), config.limits().maxConnections());
    return vertx.deployVerticle(new RoomVerticle(nodeId, metrics))
        .compose(id -> vertx.deployVerticle(() -> {
          NetServerVerticle server = new NetServerVerticle(config, metrics, nodeId, limits);
          servers.add(server);
          return server;
        }, new DeploymentOptions().setInstances(instances)))
        .map(id -> new Running(vertx, config, metrics, servers.get(0).actualPort(), servers.get(0).actualTlsPort()));
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
