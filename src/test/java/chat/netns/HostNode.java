package chat.netns;

import chat.LineClient;
import chat.OpsClient;
import chat.netns.TestNetwork.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server on a host of a {@link TestNetwork}, started as on Kubernetes: {@code java -jar} with the
 * ports and cluster settings of k8s/deployment.yaml in its environment, the same ports on every host.
 */
final class HostNode implements AutoCloseable {

  static final int CHAT_PORT = 9900;
  static final int HTTP_PORT = 8080;
  static final int CLUSTER_PORT = 5701;
  static final int BUS_PORT = 5702;
  /** As k8s/deployment.yaml sets it, for the Kubernetes namespace {@code chat}. */
  static final String SERVICE_DNS = "chat-server-hazelcast.chat.svc.cluster.local";

  private static final Path JAR = Path.of(System.getProperty("chat.it.jar", "target/chat-server.jar")).toAbsolutePath();

  private final TestNetwork network;
  private final Host host;
  private final Process process;
  private final Path log;
  private final OpsClient ops;

  private HostNode(TestNetwork network, Host host, Process process, Path log) {
    this.network = network;
    this.host = host;
    this.process = process;
    this.log = log;
    this.ops = new OpsClient(network.reach(host, HTTP_PORT));
  }

  /** Joins the cluster by DNS discovery, as k8s/deployment.yaml configures a pod. */
  static HostNode startWithDns(TestNetwork network, Host host) throws IOException {
    return launch(network, host, Map.of("CHAT_CLUSTER_KUBERNETES_DNS", SERVICE_DNS, "CHAT_LOG_FORMAT", "json"));
  }

  /** Joins the cluster through a TCP-IP member list of {@code members}. */
  static HostNode startWithMembers(TestNetwork network, Host host, List<Host> members) throws IOException {
    String list = String.join(",", members.stream().map(m -> m.address() + ":" + CLUSTER_PORT).toList());
    return launch(network, host, Map.of("CHAT_CLUSTER_MEMBERS", list));
  }

  private static HostNode launch(TestNetwork network, Host host, Map<String, String> join) throws IOException {
    Map<String, String> env = new HashMap<>(join);
    env.put("CHAT_TCP_PORT", String.valueOf(CHAT_PORT));
    env.put("CHAT_HTTP_PORT", String.valueOf(HTTP_PORT));
    env.put("CHAT_LOCALE", "en");
    env.put("CHAT_LIMITS_LINES_PER_SECOND", "0");
    env.put("CHAT_CLUSTER_ENABLED", "true");
    env.put("CHAT_CLUSTER_HOST", host.address());
    env.put("CHAT_CLUSTER_PUBLIC_HOST", host.address());
    env.put("CHAT_CLUSTER_PORT", String.valueOf(CLUSTER_PORT));
    env.put("CHAT_CLUSTER_BUS_PORT", String.valueOf(BUS_PORT));
    Path log = network.dir().resolve(host.namespace() + ".log");
    Process process = network.start(host, List.of(TestNetwork.javaBinary(), "-Xmx256m",
        "-Dlogback.configurationFile=" + logConfig(network), "-jar", JAR.toString()), env, log);
    return new HostNode(network, host, process, log);
  }

  // The server's own logging, plus Hazelcast's INFO lines (member lists, merge decisions, connections), which the
  // packaged configuration leaves out.
  private static Path logConfig(TestNetwork network) throws IOException {
    Path config = network.dir().resolve("logback-host.xml");
    if (!Files.exists(config)) {
      Files.writeString(config, """
          <configuration>
            <include resource="logback-${CHAT_LOG_FORMAT:-text}.xml"/>
            <logger name="com.hazelcast" level="INFO"/>
            <logger name="io.netty" level="WARN"/>
            <root level="INFO">
              <appender-ref ref="CONSOLE"/>
            </root>
          </configuration>
          """);
    }
    return config;
  }

  /** Has the JVM print every thread's stack to its log (SIGQUIT), to see what a node waits for. */
  void dumpThreads() {
    try {
      new ProcessBuilder("kill", "-QUIT", String.valueOf(process.pid())).start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  Host host() {
    return host;
  }

  /** Whether the node answers a new chat connection with the prompt (it opens its listener after joining). */
  boolean serving() {
    if (!process.isAlive()) {
      throw new IllegalStateException(host + " exited " + process.exitValue() + ": " + output());
    }
    try (LineClient probe = LineClient.connect(chatPort())) {
      return "ID".equals(probe.next());
    } catch (IOException | AssertionError e) {
      return false;
    }
  }

  int chatPort() {
    return network.reach(host, CHAT_PORT);
  }

  LineClient connect() throws IOException {
    return LineClient.connect(chatPort());
  }

  /** Connects, registers {@code name} and waits for its own join line. */
  LineClient register(String name) throws IOException {
    return connect().registerAs(name);
  }

  /** One sample of a scrape, 0 for a series the scrape lacks. */
  double metric(String series) {
    try {
      return ops.scrape().getOrDefault(series, 0.0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code chat_cluster_members}, or -1 while the node does not answer. */
  int members() {
    try {
      return (int) ops.scrape().getOrDefault("chat_cluster_members", -1.0).doubleValue();
    } catch (IOException | AssertionError e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  double changes(String change) {
    return metric("chat_cluster_membership_changes_total{change=\"" + change + "\"}");
  }

  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keeps the node's log as {@code target/<name>.log}. */
  void keepLog(String name) throws IOException {
    Files.copy(log, Path.of("target", name + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
