package chat.netns;

import chat.netns.TestNetwork.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's dnsmasq on host {@value TestNetwork#SUBNET}2 of a {@link TestNetwork}, answering one name with the
 * addresses of a set of hosts, as Kubernetes DNS answers a headless Service's name with its pods' addresses. It has no
 * upstream server and reads no system file: only the hosts file this class rewrites.
 */
final class DnsServer {

  private final TestNetwork network;
  private final Host client;
  private final String name;
  private final Path hosts;
  private final Process process;

  private DnsServer(TestNetwork network, Host client, String name, Path hosts, Process process) {
    this.network = network;
    this.client = client;
    this.name = name;
    this.hosts = hosts;
    this.process = process;
  }

  /** Skips the calling test, saying why, when dnsmasq is not installed. */
  static DnsServer start(TestNetwork network, String name) throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/dnsmasq")),
        "DNS discovery tests need dnsmasq (apt-get install dnsmasq-base)");
    Host host = network.host("dns", 2);
    Path hosts = network.dir().resolve("service.hosts");
    Files.writeString(hosts, "");
    hosts.toFile().setReadable(true, false);
    Process process = network.start(host, List.of("/usr/sbin/dnsmasq", "--no-daemon", "--conf-file=/dev/null",
        "--no-resolv", "--no-hosts", "--no-poll", "--pid-file", "--listen-address=" + host.address(),
        "--bind-interfaces", "--local=/local/", "--addn-hosts=" + hosts, "--log-facility=-", "--log-queries"),
        Map.of(), network.dir().resolve("dnsmasq.log"));
    // Until it has read its files it has no SIGHUP handler either, and a SIGHUP would end it.
    Awaitility.await("dnsmasq on " + host.address()).atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Files.readString(network.dir().resolve("dnsmasq.log")).contains("read " + hosts));
    return new DnsServer(network, network.client(), name, hosts, process);
  }

  /** From now on the name resolves to exactly {@code hosts}' addresses, as seen from the client host. */
  void answer(List<Host> targets) throws IOException, InterruptedException {
    String lines = targets.stream().map(h -> h.address() + " " + name + "\n").collect(Collectors.joining());
    Path next = network.dir().resolve("service.hosts.next");
    Files.writeString(next, lines);
    next.toFile().setReadable(true, false);
    Files.move(next, hosts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).start().waitFor();
    Set<String> expected = targets.stream().map(Host::address).collect(Collectors.toCollection(TreeSet::new));
    Awaitility.await(name + " -> " + expected).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> expected.equals(lookup()));
  }

  /** The addresses the name resolves to from the client host; none while it does not resolve. */
  private Set<String> lookup() {
    if (!process.isAlive()) {
      throw new IllegalStateException("dnsmasq exited " + process.exitValue());
    }
    try {
      String out = network.exec(client, "getent", "ahostsv4", name);
      return out.lines().map(line -> line.split("\\s+")[0]).collect(Collectors.toCollection(TreeSet::new));
    } catch (IllegalStateException notFound) {
      return Set.of();
    }
  }
}
