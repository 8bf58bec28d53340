package chat;

import chat.bus.LocalCodec;
import chat.cluster.ClusterNode;
import chat.cluster.ClusterReplication;
import chat.config.ChatConfig;
import chat.config.ConfigException;
import chat.config.ConfigLoader;
import chat.irc.IrcServerVerticle;
import chat.irc.IrcUsers;
import chat.net.ConnectionLimits;
import chat.net.NetServerVerticle;
import chat.ops.ChatMetrics;
import chat.ops.Drain;
import chat.ops.MetricsBackend;
import chat.ops.OpsVerticle;
import chat.ops.Readiness;
import chat.room.RoomVerticle;
import chat.room.SingleNode;
import chat.web.WebServerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the configuration, starts Vert.x and deploys the verticles: nothing else. */
public final class ChatServer {

  private static final Logger log = LoggerFactory.getLogger(ChatServer.class);

  private static final long LEAVE_TIMEOUT_MILLIS = 3_000;

  /** What a started server exposes to its caller (the main method, or a test). */
  public record Running(Vertx vertx, ChatConfig config, ChatMetrics metrics, int tcpPort, int tlsPort, int httpPort,
      Readiness readiness, Drain drain, Optional<ClusterNode> cluster, int webPort, int ircPort) {

    /** Clustered, this node's users' leaves are announced to the cluster first, then the node leaves it. */
    public Future<Void> close() {
      return closeNode(vertx, cluster);
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
    try {
      Running running = start(config, new MetricsBackend()).await(180, TimeUnit.SECONDS);
      running.drain().onSignal();
      log.info("chat server listening on {}:{}, ops http on port {} (locale {}, {} transport)", config.tcp().host(),
          running.tcpPort(), running.httpPort(), config.texts().name().toLowerCase(java.util.Locale.ROOT),
          running.vertx().isNativeTransportEnabled() ? "native" : "nio");
      if (running.ircPort() != 0) {
        log.info("IRC listening on {}:{} as {}", config.tcp().host(), running.ircPort(), config.irc().serverName());
      }
      if (config.tls().enabled()) {
        log.info("chat server listening for TLS on {}:{}", config.tcp().host(), running.tlsPort());
      }
      if (running.webPort() != 0) {
        log.info("web chat listening on {}:{} ({})", config.tcp().host(), running.webPort(),
            config.tls().enabled() ? "https, wss" : "http, ws");
      }
    } catch (Exception e) {
      log.error("cannot start: {}", e.toString());
      System.exit(1);
    }
  }

  /** Starts Vert.x reporting into {@code backend}, clustered when {@code cluster.enabled}, and the server on it. */
  public static Future<Running> start(ChatConfig config, MetricsBackend backend) {
    ChatMetrics metrics = new ChatMetrics(backend.registry());
    // One event loop per NetServerVerticle instance: the instances, deployed together, take one loop each, so the
    // RoomVerticle shares its loop with one of them and that instance's lines reach it and come back without a
    // thread hand-off. Nothing here blocks, so more loops than instances would only add hand-offs.
    VertxOptions options = new VertxOptions()
        .setEventLoopPoolSize(config.tcp().effectiveInstances())
        .setPreferNativeTransport(config.tcp().nativeTransport());
    if (!config.cluster().enabled()) {
      return start(backend.builder(options).build(), config, metrics, null);
    }
    return ClusterNode.start(config.cluster(), config.history(), options, metrics, backend)
        .compose(cluster -> start(cluster.vertx(), config, metrics, cluster)
            .onFailure(e -> cluster.vertx().close()));
  }

  /**
   * Deploys the ops endpoint (so liveness answers during a slow start), the RoomVerticle, then {@code tcp.instances}
   * NetServerVerticles (one per two processors by default); ready once all are deployed and, clustered, the cluster is safe.
   * {@code cluster} null: a single node.
   */
  private static Future<Running> start(Vertx vertx, ChatConfig config, ChatMetrics metrics, ClusterNode cluster) {
    String nodeId = cluster == null ? UUID.randomUUID().toString() : cluster.nodeId();
    int instances = config.tcp().effectiveInstances();
    ClusterReplication clustered = cluster == null ? null : new ClusterReplication(cluster, config.history(), metrics);
    BooleanSupplier granting = clustered == null ? () -> true : clustered::grantsNames;
    Readiness readiness = new Readiness();
    if (cluster != null) {
      readiness.clusterSafety(cluster::isSafe);
    }
    OpsVerticle ops = new OpsVerticle(config.http().port(), metrics.registry(), readiness);
    List<NetServerVerticle> servers = new CopyOnWriteArrayList<>();
    List<WebServerVerticle> webServers = new CopyOnWriteArrayList<>();
    List<IrcServerVerticle> ircServers = new CopyOnWriteArrayList<>();
    IrcUsers ircUsers = new IrcUsers();
    ConnectionLimits limits = new ConnectionLimits(config.limits().connectionsPerIp(), config.limits().maxConnections());
    LocalCodec.register(vertx.eventBus());
    return vertx.deployVerticle(ops)
        .compose(id -> vertx.deployVerticle(new RoomVerticle(nodeId, metrics,
            clustered == null ? new SingleNode() : clustered, config.history())))
        .compose(id -> vertx.deployVerticle(() -> {
          NetServerVerticle server = new NetServerVerticle(config, metrics, nodeId, granting, limits);
          servers.add(server);
          return server;
        }, new DeploymentOptions().setInstances(instances)))
        .compose(id -> !config.web().enabled() ? Future.succeededFuture("") : optional("web chat", vertx.deployVerticle(() -> {
          WebServerVerticle web = new WebServerVerticle(config, metrics, nodeId, granting, limits);
          webServers.add(web);
          return web;
        }, new DeploymentOptions().setInstances(instances)), config.web().onDefaultPort(), webServers))
        .compose(id -> config.irc().enabled()
            ? optional("IRC", vertx.deployVerticle(() -> {
              IrcServerVerticle irc = new IrcServerVerticle(config, metrics, nodeId, granting, limits, ircUsers);
              ircServers.add(irc);
              return irc;
            }, new DeploymentOptions().setInstances(instances)), config.irc().onDefaultPorts(), ircServers)
            : Future.succeededFuture(""))
        .map(id -> {
          readiness.serving();
          Optional<ClusterNode> node = Optional.ofNullable(cluster);
          List<Drain.Listener> listeners = new ArrayList<>(servers);
          listeners.addAll(webServers);
          listeners.addAll(ircServers);
          Drain drain = new Drain(() -> closeNode(vertx, node), readiness, listeners,
              Duration.ofSeconds(config.shutdown().graceSeconds()));
          return new Running(vertx, config, metrics, servers.get(0).actualPort(), servers.get(0).actualTlsPort(),
              ops.actualPort(), readiness, drain, node, webServers.isEmpty() ? 0 : webServers.get(0).actualPort(),
              ircServers.isEmpty() ? 0 : ircServers.get(0).actualPort());
        });
  }

  /**
   * The IRC and web front-ends are on by default, on fixed ports: on a host that runs several nodes (or anything else
   * on those ports) the second node would fail to start. A front-end left on its default port that finds the port
   * taken is therefore skipped with a warning, and the node serves its other front-ends; one given a port of its own
   * must bind it, or the node does not start.
   */
  private static Future<String> optional(String frontEnd, Future<String> deployed, boolean onDefaultPort,
      List<?> instances) {
    return deployed.recover(e -> {
      if (!onDefaultPort || !addressInUse(e)) {
        return Future.failedFuture(e);
      }
      log.warn("{} not started: its default port is taken ({}); give it a port of its own to serve it", frontEnd,
          e.getMessage());
      instances.clear();
      return Future.succeededFuture("");
    });
  }

  private static boolean addressInUse(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.BindException
          || String.valueOf(cause.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  private static Future<Void> closeNode(Vertx vertx, Optional<ClusterNode> cluster) {
    return cluster.map(node -> node.leave(LEAVE_TIMEOUT_MILLIS)).orElse(Future.succeededFuture())
        .transform(ignored -> vertx.close());
  }
}
