package chat.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts on this machine: each host a network namespace with one address in {@value #SUBNET}0/24, linked by a veth
 * pair to a bridge that lives in a namespace of its own, so nothing is added to the root namespace and no packet
 * leaves the namespaces (none of them has a route out). A "client" host runs a {@link Relay}; the test reaches any
 * host's port through a loopback port of its own ({@link #reach}) that the relay connects onward from inside.
 *
 * <p>Links are cut with blackhole routes inside the hosts (this kernel has no tc classifiers and no netem), both
 * ways, so a cut host keeps answering the client host. Everything made here (namespaces, their /etc/netns files,
 * processes) is removed by {@link #close}, by a shutdown hook if the JVM stops first, and, after a run killed outright,
 * by the next run ({@link #removeStale}), which recognises leftovers by the prefix and a process id that is gone.
 */
final class TestNetwork implements AutoCloseable {

  static final String SUBNET = "10.231.7.";
  static final String CLIENT = SUBNET + "100";

  private static final Logger log = LoggerFactory.getLogger(TestNetwork.class);
  private static final String PREFIX = "chatit-";
  private static final Pattern OURS = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*");
  private static final Path NETNS_ETC = Path.of("/etc/netns");
  private static final AtomicInteger NETWORKS = new AtomicInteger();

  private final String name;
  private final String bridge;
  private final Path dir;
  private final List<String> namespaces = new CopyOnWriteArrayList<>();
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final Set<String> cuts = ConcurrentHashMap.newKeySet();
  private final Map<String, ServerSocket> forwards = new ConcurrentHashMap<>();
  private final Thread hook = new Thread(this::remove, "test-network-cleanup");
  private Path relaySocket;
  private Host client;

  /** One host: its namespace and its address. */
  record Host(String namespace, String address) {
  }

  private TestNetwork(String name, Path dir) {
    this.name = name;
    this.bridge = name + "-br";
    this.dir = dir;
  }

  /**
   * The bridge and the client host with its relay running. Skips the calling test, saying why, where namespaces
   * cannot be made (not root, no iproute2).
   */
  static TestNetwork create() throws IOException {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "host tests need root to create network namespaces (ip netns); running as " + System.getProperty("user.name"));
    removeStale();
    String name = PREFIX + ProcessHandle.current().pid() + "-" + NETWORKS.incrementAndGet();
    Path dir = Files.createTempDirectory("chat-netns-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    TestNetwork network = new TestNetwork(name, dir);
    Runtime.getRuntime().addShutdownHook(network.hook);
    try {
      Result made = run("ip", "netns", "add", network.bridge);
      Assumptions.assumeTrue(made.ok(), "cannot create network namespaces (ip netns add): " + made.output());
      network.namespaces.add(network.bridge);
      network.ip(network.bridge, "link", "add", "br0", "type", "bridge");
      network.ip(network.bridge, "link", "set", "br0", "up");
      network.client = network.host("client", 100);
      network.startRelay(network.client);
      return network;
    } catch (RuntimeException | Error | IOException e) {
      network.close();
      throw e;
    }
  }

  /** A new host {@code label} at {@value #SUBNET}{@code octet}, resolving names through {@value #SUBNET}2. */
  Host host(String label, int octet) throws IOException {
    String namespace = name + "-" + label;
    ip(null, "netns", "add", namespace);
    namespaces.add(namespace);
    // ip netns exec bind-mounts /etc/netns/<namespace>/* over /etc: the host's resolver is the test's DNS server.
    Path etc = Files.createDirectories(NETNS_ETC.resolve(namespace));
    Files.writeString(etc.resolve("resolv.conf"), "nameserver " + SUBNET + "2\noptions timeout:1 attempts:2\n");
    String veth = "v" + octet;
    Host host = new Host(namespace, SUBNET + octet);
    ip(bridge, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", namespace);
    ip(bridge, "link", "set", veth, "master", "br0", "up");
    ip(namespace, "addr", "add", host.address() + "/24", "dev", "eth0");
    ip(namespace, "link", "set", "eth0", "up");
    ip(namespace, "link", "set", "lo", "up");
    return host;
  }

  /** Starts {@code command} inside {@code host} with {@code env} (and no inherited {@code CHAT_*}), output to {@code log}. */
  Process start(Host host, List<String> command, Map<String, String> env, Path log) throws IOException {
    List<String> inNamespace = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
    inNamespace.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(inNamespace).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("CHAT_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /** Runs {@code command} inside {@code host} to completion (at most 10 s) and returns its output. */
  String exec(Host host, String... command) {
    List<String> inNamespace = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
    inNamespace.addAll(List.of(command));
    Result result = run(inNamespace.toArray(String[]::new));
    if (!result.ok()) {
      throw new IllegalStateException(String.join(" ", command) + " in " + host + " failed: " + result.output());
    }
    return result.output();
  }

  /** Splits the hosts into {@code sides} that cannot reach each other; every host still reaches the client host. */
  void partition(List<List<Host>> sides) {
    for (List<Host> side : sides) {
      for (List<Host> other : sides) {
        if (other != side) {
          side.forEach(from -> other.forEach(to -> cut(from, to)));
        }
      }
    }
  }

  /** Packets from {@code from} to {@code to} are dropped from now on (one direction). */
  void cut(Host from, Host to) {
    ip(from.namespace(), "route", "add", "blackhole", to.address() + "/32");
    cuts.add(from.namespace() + " " + to.address());
  }

  /** Every cut restored. */
  void healAll() {
    for (String cut : List.copyOf(cuts)) {
      String[] parts = cut.split(" ");
      ip(parts[0], "route", "del", "blackhole", parts[1] + "/32");
      cuts.remove(cut);
    }
  }

  /**
   * A loopback port of this JVM that leads to {@code port} of {@code host}: each connection to it goes through the
   * client host's relay, so the host sees a client at {@value #CLIENT}.
   */
  int reach(Host host, int port) {
    return forwards.computeIfAbsent(host.address() + " " + port, this::forward).getLocalPort();
  }

  /** The host the test's connections come from. */
  Host client() {
    return client;
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    remove();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private synchronized void remove() {
    forwards.values().forEach(TestNetwork::closeQuietly);
    forwards.clear();
    for (Process process : processes) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
    List<String> reversed = new ArrayList<>(namespaces);
    java.util.Collections.reverse(reversed);
    reversed.forEach(TestNetwork::removeNamespace);
    namespaces.clear();
    deleteTree(dir);
  }

  /** Namespaces (and their processes and /etc/netns files) left by runs whose JVM is gone. */
  static void removeStale() {
    for (String namespace : ourNamespaces()) {
      Matcher m = OURS.matcher(namespace);
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
        log.warn("removing network namespace {} left by an earlier run", namespace);
        removeNamespace(namespace);
      }
    }
  }

  private static List<String> ourNamespaces() {
    Set<String> found = new LinkedHashSet<>();
    Result list = run("ip", "netns", "list");
    if (list.ok()) {
      list.output().lines().map(line -> line.split(" ")[0]).filter(n -> n.startsWith(PREFIX)).forEach(found::add);
    }
    if (Files.isDirectory(NETNS_ETC)) {
      try (Stream<Path> entries = Files.list(NETNS_ETC)) {
        entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX)).forEach(found::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return List.copyOf(found);
  }

  // A namespace lives on while a process is in it, whatever `ip netns del` says: kill those first.
  private static void removeNamespace(String namespace) {
    Result pids = run("ip", "netns", "pids", namespace);
    if (pids.ok()) {
      pids.output().lines().filter(line -> !line.isBlank())
          .map(line -> ProcessHandle.of(Long.parseLong(line.trim())))
          .forEach(handle -> handle.ifPresent(ProcessHandle::destroyForcibly));
    }
    run("ip", "netns", "del", namespace);
    deleteTree(NETNS_ETC.resolve(namespace));
  }

  private void startRelay(Host client) throws IOException {
    relaySocket = dir.resolve("relay.sock");
    Path classes;
    try {
      classes = Path.of(Relay.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    // The relay exits when its standard input closes, that is when this JVM goes, however it goes.
    start(client, List.of(javaBinary(), "-Xmx64m", "-cp", classes.toString(), Relay.class.getName(),
        relaySocket.toString()), Map.of(), dir.resolve("relay.log"));
    Awaitility.await("relay in " + client.namespace()).atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Files.exists(relaySocket));
  }

  private ServerSocket forward(String target) {
    try {
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      daemon("forward " + target, () -> {
        while (!server.isClosed()) {
          try {
            Socket socket = server.accept();
            daemon("forward " + target + " " + socket.getPort(), () -> splice(socket, target));
          } catch (IOException closed) {
            return;
          }
        }
      });
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void splice(Socket socket, String target) {
    try (socket; SocketChannel relay = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      socket.setTcpNoDelay(true);
      relay.connect(UnixDomainSocketAddress.of(relaySocket));
      relay.write(ByteBuffer.wrap((target + "\n").getBytes(StandardCharsets.US_ASCII)));
      Thread up = daemon("up " + target, () -> {
        try {
          copy(socket.getInputStream(), relay);
          relay.shutdownOutput();
        } catch (IOException e) {
          closeQuietly(relay);
        }
      });
      ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
      OutputStream out = socket.getOutputStream();
      while (relay.read(buffer) >= 0) {
        out.write(buffer.array(), 0, buffer.position());
        out.flush();
        buffer.clear();
      }
      socket.shutdownOutput();
      up.join();
    } catch (IOException | InterruptedException e) {
      // the connection is over, from either end
    }
  }

  private static void copy(InputStream in, SocketChannel to) throws IOException {
    byte[] bytes = new byte[16 * 1024];
    int n;
    while ((n = in.read(bytes)) >= 0) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, n);
      while (buffer.hasRemaining()) {
        to.write(buffer);
      }
    }
  }

  private void ip(String namespace, String... args) {
    List<String> command = new ArrayList<>(List.of("ip"));
    if (namespace != null) {
      command.addAll(List.of("-n", namespace));
    }
    command.addAll(List.of(args));
    Result result = run(command.toArray(String[]::new));
    if (!result.ok()) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
    }
  }

  private record Result(int code, String output) {
    boolean ok() {
      return code == 0;
    }
  }

  private static Result run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + output);
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    }
  }

  private static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete {}: {}", root, e.toString());
    }
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
