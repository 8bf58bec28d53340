package chat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The packaged server as a user runs it: {@code java -jar target/chat-server.jar} in its own process, configured
 * through environment variables, its output captured to a file for the test to read.
 */
public final class ServerProcess implements AutoCloseable {

  /** The packaged jar; {@code -Dchat.it.jar} points at a copy, e.g. to keep it apart from other runs on one host. */
  private static final Path JAR = Path.of(System.getProperty("chat.it.jar", "target/chat-server.jar"));
  /**
   * Extra JVM options for every server started, space-separated, from {@code -Dchat.it.jvmArgs}: e.g. a GC log, or a
   * logback configuration with Hazelcast's heartbeats at DEBUG, to look into a cluster fault.
   */
  private static final String JVM_ARGS = System.getProperty("chat.it.jvmArgs", "");
  /** Where {@link #freePort()} starts looking, well clear of the well-known ports. */
  private static final int LOW_PORTS = 10_000;
  private static final java.util.Random RANDOM = new java.util.Random();
  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  private final Process process;
  private final Path log;
  private final int tcpPort;
  private final int httpPort;
  private final int webPort;
  private final int clusterPort;

  private ServerProcess(Process process, Path log, int tcpPort, int httpPort, int webPort, int clusterPort) {
    this.process = process;
    this.log = log;
    this.tcpPort = tcpPort;
    this.httpPort = httpPort;
    this.webPort = webPort;
    this.clusterPort = clusterPort;
  }

  /** Starts the jar with free TCP and HTTP ports plus {@code env}, and waits until the chat port accepts. */
  public static ServerProcess start(Map<String, String> env) throws IOException {
    Map<String, String> all = new HashMap<>();
    all.put("CHAT_TCP_PORT", String.valueOf(freePort()));
    all.put("CHAT_HTTP_PORT", String.valueOf(freePort()));
    all.put("CHAT_WEB_PORT", String.valueOf(freePort()));
    all.putIfAbsent("CHAT_IRC_PORT", String.valueOf(freePort()));
    all.putIfAbsent("CHAT_IRC_TLS_PORT", String.valueOf(freePort()));
    all.putAll(env);
    ServerProcess server = launch(all);
    Awaitility.await("chat port of " + server.log).atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (!server.process.isAlive()) {
            throw new IllegalStateException("server exited " + server.process.exitValue() + ": " + server.output());
          }
          return accepts(server.tcpPort);
        });
    return server;
  }

  /**
   * Starts a clustered node: Hazelcast on 127.0.0.1:{@code clusterPort} joining {@code members}, waiting until it
   * serves chat (it joins the cluster first).
   */
  public static ServerProcess startClusterNode(int clusterPort, String members, Map<String, String> env)
      throws IOException {
    Map<String, String> all = new HashMap<>(env);
    all.put("CHAT_TCP_HOST", "127.0.0.1");
    all.put("CHAT_CLUSTER_ENABLED", "true");
    all.put("CHAT_CLUSTER_HOST", "127.0.0.1");
    all.put("CHAT_CLUSTER_PORT", String.valueOf(clusterPort));
    all.put("CHAT_CLUSTER_MEMBERS", members);
    return start(all);
  }

  /**
   * Starts {@code count} clustered nodes on 127.0.0.1, each listing all of them as members, each waiting until it
   * serves chat; the caller waits for the cluster to form.
   */
  public static List<ServerProcess> startCluster(int count, Map<String, String> env) throws IOException {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ports.add(freePort());
    }
    String members = String.join(",", ports.stream().map(port -> "127.0.0.1:" + port).toList());
    List<ServerProcess> nodes = new ArrayList<>();
    for (int port : ports) {
      nodes.add(startClusterNode(port, members, env));
    }
    return nodes;
  }

  /** Kills the process and closes this, keeping what it printed as {@code target/<name>.log}. */
  public void closeKeepingLog(String name) throws Exception {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Files.writeString(Path.of("target", name + ".log"), output());
    close();
  }

  /** Sends a signal ({@code TERM}, {@code STOP}, {@code CONT}, ...) to the server process. */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** Starts the jar without waiting for anything, for tests of a failing start. */
  public static ServerProcess launch(Map<String, String> env) throws IOException {
    Path log = Files.createTempFile("chat-server-", ".log");
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m"));
    if (!JVM_ARGS.isBlank()) {
      command.addAll(List.of(JVM_ARGS.strip().split("\\s+")));
    }
    command.addAll(List.of("-jar", JAR.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("CHAT_"));
    builder.environment().putAll(env);
    int webPort = env.containsKey("CHAT_WEB_PORT") ? Integer.parseInt(env.get("CHAT_WEB_PORT")) : freePort();
    builder.environment().put("CHAT_WEB_PORT", String.valueOf(webPort));
    int port = Integer.parseInt(env.getOrDefault("CHAT_TCP_PORT", "9900"));
    int httpPort = Integer.parseInt(env.getOrDefault("CHAT_HTTP_PORT", "8080"));
    int clusterPort = Integer.parseInt(env.getOrDefault("CHAT_CLUSTER_PORT", "0"));
    return new ServerProcess(builder.start(), log, port, httpPort, webPort, clusterPort);
  }

  /**
   * A port nothing listens on, for a server to bind later. It is taken below the kernel's ephemeral range when there is
   * room: a port from that range can be taken by any outgoing connection (the nodes' own, to each other) between this
   * check and the server's bind, which failed a cluster node's start about once in 40. Never the same port twice in
   * one test run.
   */
  public static synchronized int freePort() throws IOException {
    int ephemeralStart = ephemeralRangeStart();
    for (int attempt = 0; ephemeralStart > LOW_PORTS + 1000 && attempt < 100; attempt++) {
      int port = LOW_PORTS + RANDOM.nextInt(ephemeralStart - LOW_PORTS);
      if (HANDED_OUT.add(port) && bindable(port)) {
        return port;
      }
    }
    try (ServerSocket socket = new ServerSocket(0)) {
      HANDED_OUT.add(socket.getLocalPort());
      return socket.getLocalPort();
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ephemeralRangeStart() {
    try {
      return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip()
          .split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  public int tcpPort() {
    return tcpPort;
  }

  public int httpPort() {
    return httpPort;
  }

  /** The web listener's port (page and WebSocket). */
  public int webPort() {
    return webPort;
  }

  /** The Hazelcast member port of a clustered node (0 when not clustered). */
  public int clusterPort() {
    return clusterPort;
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the process to end by itself; returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout + ": " + output());
    }
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Files.deleteIfExists(log);
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : ""))
        .toString();
  }
}
