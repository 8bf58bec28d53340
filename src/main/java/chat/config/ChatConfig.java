package chat.config;

import chat.line.Texts;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The whole configuration, typed and validated once at start.
 *
 * <p>Built from the merged tree of {@code application.yaml} and environment overrides (see {@link ConfigLoader}).
 */
public record ChatConfig(Tcp tcp, Http http, Texts texts, Legacy legacy, Limits limits, Tls tls,
    ProxyProtocol proxyProtocol, Shutdown shutdown, Cluster cluster, Web web, Irc irc, History history) {

  /**
   * {@code instances} 0 means one NetServerVerticle per two available processors, at least one;
   * {@code nativeTransport}: Netty's epoll transport where it loads (Linux), NIO otherwise.
   */
  public record Tcp(String host, int port, int instances, int sendBufferBytes, boolean nativeTransport) {

    /** NetServerVerticle instances to deploy, which is also the number of event loops Vert.x gets. */
    public int effectiveInstances() {
      // Every line passes the node's one RoomVerticle loop, and the kernel's network stack, the collector and the
      // compiler need cores of their own: measured on 2 processors, one loop beats two on throughput, CPU per delivery
      // and latency (docs/benchmarks.md).
      return instances > 0 ? instances : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
  }

  public record Http(int port) {
  }

  public record Legacy(int flushMillis) {
  }

  /** A 0 turns the limit it belongs to off (for flood control, either of {@code linesPerSecond} and {@code lineBurst}). */
  public record Limits(int maxLineBytes, int sendQueueBytes, int linesPerSecond, int lineBurst, int floodQueueLines,
      int registrationTimeoutSeconds, int idleTimeoutSeconds, int connectionsPerIp, int maxConnections) {

    public boolean floodControl() {
      return linesPerSecond > 0 && lineBurst > 0;
    }
  }

  /** A second listener speaking the same protocol over TLS; PEM certificate chain and private key. */
  public record Tls(boolean enabled, int port, String certPath, String keyPath) {
  }

  /** Expect a PROXY protocol (v1 or v2) header on every connection, as sent by a load balancer. */
  public record ProxyProtocol(boolean enabled) {
  }

  /**
   * The IRC listener: {@code serverName} is the source of every server message ("" means the host name),
   * {@code password} "" means none, {@code motd} "" means no message of the day (422). With {@code tls.enabled} it
   * also listens for TLS on {@code tlsPort}, with the line listener's certificate.
   */
  public record Irc(boolean enabled, int port, int tlsPort, String serverName, String network, String password,
      String motd) {

    public static final int DEFAULT_PORT = 6667;
    public static final int DEFAULT_TLS_PORT = 6697;

    /** On its default ports, the listener yields them to another process (see {@code ChatServer}). */
    public boolean onDefaultPorts() {
      return port == DEFAULT_PORT && tlsPort == DEFAULT_TLS_PORT;
    }
  }

  /**
   * Rooms' last lines: {@code lines} per room (0 = no history), none older than {@code maxAgeSeconds}, at most
   * {@code maxRooms} rooms (least recently used dropped first); {@code replayLines} of them (at most {@code lines})
   * shown to a user entering a room, stamped in {@code zone}. In a cluster each room's order is kept in a buffer of
   * max({@code lines}, {@code orderBufferLines}) lines, which a node may fall that far behind without missing any.
   */
  public record History(int lines, int maxAgeSeconds, int maxRooms, int replayLines, java.time.ZoneId zone,
      int orderBufferLines) {
  }

  /** {@code graceSeconds}: from SIGTERM to exit, clients' notices and the cluster leave included. */
  public record Shutdown(int graceSeconds) {
  }

  /**
   * Hazelcast clustering. Empty strings mean unset: {@code members} (TCP-IP join, {@code host:port} entries) and
   * {@code kubernetesDns} (DNS discovery) are exclusive, and one of them is required when enabled.
   */
  public record Cluster(boolean enabled, List<String> members, String kubernetesDns, String host, String publicHost,
      int port, int busPort, int failureDetectionSeconds, int handshakeTimeoutMillis) {
  }

  /**
   * The browser front-end: a page and a WebSocket endpoint on {@code port}. {@code allowedOrigins}: origins
   * ({@code scheme://host[:port]}) allowed to open a WebSocket besides the page's own; {@code *} allows any.
   */
  public record Web(boolean enabled, int port, List<String> allowedOrigins) {

    public static final int DEFAULT_PORT = 8081;

    /** On its default port, the listener yields it to another process (see {@code ChatServer}). */
    public boolean onDefaultPort() {
      return port == DEFAULT_PORT;
    }
  }

  public static ChatConfig from(JsonObject tree) {
    Reader in = new Reader(tree);
    return new ChatConfig(
        new Tcp(in.text("tcp.host"), in.port("tcp.port"), in.integer("tcp.instances", 0, 1024),
            in.integer("tcp.sendBufferBytes", 1024, 64 * 1024 * 1024), in.bool("tcp.nativeTransport")),
        new Http(in.port("http.port")),
        Texts.forLocale(in.text("locale"))
            .orElseThrow(() -> new ConfigException("locale", "must be ko or en, got '" + in.text("locale") + "'")),
        new Legacy(in.integer("legacy.flushMillis", 0, 60_000)),
        new Limits(in.integer("limits.maxLineBytes", 16, 16 * 1024 * 1024),
            in.integer("limits.sendQueueBytes", 1024, Integer.MAX_VALUE),
            in.integer("limits.linesPerSecond", 0, 1_000_000),
            in.integer("limits.lineBurst", 0, 1_000_000),
            in.integer("limits.floodQueueLines", 0, 100_000),
            in.integer("limits.registrationTimeoutSeconds", 0, 86_400),
            in.integer("limits.idleTimeoutSeconds", 0, 7 * 86_400),
            in.integer("limits.connectionsPerIp", 0, 10_000_000),
            in.integer("limits.maxConnections", 0, 10_000_000)),
        tls(in),
        new ProxyProtocol(in.bool("proxyProtocol.enabled")),
        new Shutdown(in.integer("shutdown.graceSeconds", 1, 3600)),
        cluster(in),
        web(in),
        irc(in),
        history(in));
  }

  private static History history(Reader in) {
    java.time.ZoneId zone;
    try {
      zone = java.time.ZoneId.of(in.text("history.timeZone"));
    } catch (java.time.DateTimeException e) {
      throw new ConfigException("history.timeZone", "unknown time zone '" + in.text("history.timeZone") + "'");
    }
    // No more lines are replayed than are kept: history.lines 0 alone turns replay off too.
    int lines = in.integer("history.lines", 0, 100_000);
    return new History(lines, in.integer("history.maxAgeSeconds", 1, 365 * 86_400),
        in.integer("history.maxRooms", 0, 10_000_000), Math.min(lines, in.integer("history.replayLines", 0, 100_000)),
        zone, in.integer("history.orderBufferLines", 16, 1_000_000));
  }

  private static Web web(Reader in) {
    List<String> origins = Arrays.stream(in.optionalText("web.allowedOrigins").split(","))
        .map(String::strip)
        .filter(origin -> !origin.isEmpty())
        .toList();
    for (String origin : origins) {
      if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
        throw new ConfigException("web.allowedOrigins",
            "bad origin '" + origin + "', expected scheme://host[:port] or *");
      }
    }
    Web web = new Web(in.bool("web.enabled"), in.port("web.port"), origins);
    if (web.enabled() && web.port() != 0 && web.port() == in.port("tcp.port")) {
      throw new ConfigException("web.port", "must differ from tcp.port, got " + web.port());
    }
    return web;
  }

  private static Irc irc(Reader in) {
    String serverName = in.optionalText("irc.serverName");
    if (serverName.isEmpty()) {
      try {
        serverName = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        serverName = "localhost";
      }
    }
    if (serverName.contains(" ")) {
      throw new ConfigException("irc.serverName", "must not contain spaces, got '" + serverName + "'");
    }
    return new Irc(in.bool("irc.enabled"), in.port("irc.port"), in.port("irc.tlsPort"), serverName,
        in.text("irc.network"), in.optionalText("irc.password"), in.optionalText("irc.motd"));
  }

  private static Tls tls(Reader in) {
    Tls tls = new Tls(in.bool("tls.enabled"), in.port("tls.port"), in.optionalText("tls.certPath"),
        in.optionalText("tls.keyPath"));
    if (tls.enabled()) {
      readableFile("tls.certPath", tls.certPath());
      readableFile("tls.keyPath", tls.keyPath());
      if (tls.port() != 0 && tls.port() == in.port("tcp.port")) {
        throw new ConfigException("tls.port", "must differ from tcp.port, got " + tls.port());
      }
    }
    return tls;
  }

  private static void readableFile(String key, String path) {
    if (path.isBlank()) {
      throw new ConfigException(key, "required when tls.enabled is true");
    }
    if (!Files.isReadable(Path.of(path))) {
      throw new ConfigException(key, "cannot read '" + path + "'");
    }
  }

  private static Cluster cluster(Reader in) {
    List<String> members = Arrays.stream(in.optionalText("cluster.members").split(","))
        .map(String::strip)
        .filter(member -> !member.isEmpty())
        .toList();
    members.forEach(member -> checkMember(member));
    Cluster cluster = new Cluster(in.bool("cluster.enabled"), members, in.optionalText("cluster.kubernetesDns"),
        in.optionalText("cluster.host"), in.optionalText("cluster.publicHost"), in.integer("cluster.port", 1, 65535),
        in.port("cluster.busPort"), in.integer("cluster.failureDetectionSeconds", 2, 300),
        in.integer("cluster.handshakeTimeoutMillis", 100, 60_000));
    if (cluster.enabled() && members.isEmpty() == cluster.kubernetesDns().isEmpty()) {
      throw new ConfigException("cluster.members",
          "set exactly one of cluster.members and cluster.kubernetesDns when cluster.enabled is true");
    }
    return cluster;
  }

  // host or host:port, as Hazelcast's TCP-IP join takes it.
  private static void checkMember(String member) {
    int colon = member.lastIndexOf(':');
    if (colon == 0 || member.contains(" ")) {
      throw new ConfigException("cluster.members", "bad member '" + member + "', expected host or host:port");
    }
    if (colon > 0) {
      String port = member.substring(colon + 1);
      if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
        throw new ConfigException("cluster.members", "bad port in '" + member + "'");
      }
    }
  }

  /** Reads dotted keys out of the tree, naming the key in every complaint. */
  private record Reader(JsonObject tree) {

    Object value(String key) {
      JsonObject node = tree;
      String[] parts = key.split("\\.");
      for (int i = 0; i < parts.length - 1; i++) {
        Object child = node.getValue(parts[i]);
        if (!(child instanceof JsonObject object)) {
          throw new ConfigException(key, "missing");
        }
        node = object;
      }
      Object value = node.getValue(parts[parts.length - 1]);
      if (value == null) {
        throw new ConfigException(key, "missing");
      }
      return value;
    }

    String text(String key) {
      Object value = value(key);
      if (!(value instanceof String text) || text.isBlank()) {
        throw new ConfigException(key, "must be a non-empty string, got '" + value + "'");
      }
      return text;
    }

    /** A string that may be empty (an unset path, say). */
    String optionalText(String key) {
      Object value = value(key);
      if (!(value instanceof String text)) {
        throw new ConfigException(key, "must be a string, got '" + value + "'");
      }
      return text.strip();
    }

    boolean bool(String key) {
      Object value = value(key);
      if (!(value instanceof Boolean flag)) {
        throw new ConfigException(key, "must be true or false, got '" + value + "'");
      }
      return flag;
    }

    int integer(String key, int min, int max) {
      Object value = value(key);
      if (!(value instanceof Number number) || number.doubleValue() != number.longValue()) {
        throw new ConfigException(key, "must be an integer, got '" + value + "'");
      }
      long n = number.longValue();
      if (n < min || n > max) {
        throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + n);
      }
      return (int) n;
    }

    int port(String key) {
      return integer(key, 0, 65535);
    }
  }
}
