package chat.netns;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.netns.TestNetwork.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS discovery as on Kubernetes: nodes on hosts of their own, configured as k8s/deployment.yaml configures a pod,
 * find each other through a DNS server answering the headless Service's name with their addresses.
 */
@Timeout(180)
class DnsDiscoveryIT {

  private static final Logger log = LoggerFactory.getLogger(DnsDiscoveryIT.class);

  private TestNetwork network;
  private final List<HostNode> nodes = new ArrayList<>();
  private final List<LineClient> clients = new ArrayList<>();

  @BeforeEach
  void network() throws Exception {
    network = TestNetwork.create();
  }

  @AfterEach
  void removeEverything() throws Exception {
    for (LineClient client : clients) {
      client.close();
    }
    for (HostNode node : nodes) {
      node.keepLog("netns-dns-" + node.host().namespace().replaceAll(".*-", ""));
    }
    network.close();
  }

  @Test
  void nodesInTheServiceAnswerFormOneClusterANodeAddedLaterJoinsAndARemovedOneLeaves() throws Exception {
    Host h1 = network.host("n1", 11);
    Host h2 = network.host("n2", 12);
    Host h3 = network.host("n3", 13);
    DnsServer dns = DnsServer.start(network, HostNode.SERVICE_DNS);
    dns.answer(List.of(h1, h2));
    HostNode n1 = node(HostNode.startWithDns(network, h1));
    HostNode n2 = node(HostNode.startWithDns(network, h2));
    awaitMembers(List.of(n1, n2), 2, Duration.ofSeconds(60));
    LineClient ann = client(n1.register("ann"));
    LineClient ben = client(n2.register("ben"));
    ann.awaitLine("[ben] joined"::equals);

    dns.answer(List.of(h1, h2, h3));
    long started = System.nanoTime();
    HostNode n3 = node(HostNode.startWithDns(network, h3));
    awaitMembers(List.of(n1, n2, n3), 3, Duration.ofSeconds(60));
    log.info("figure dns-join: a node added to the answer is a member everywhere {} ms after its start",
        HostNode.since(started).toMillis());
    LineClient cid = client(n3.register("cid"));
    ben.awaitLine("[cid] joined"::equals);
    cid.send("hi from the new host");
    ann.awaitLine("[cid] hi from the new host"::equals);
    ben.send("welcome");
    cid.awaitLine("[ben] welcome"::equals);

    dns.answer(List.of(h1, h3));
    long killed = System.nanoTime();
    n2.kill();
    ann.awaitLine("[ben] left"::equals, Duration.ofSeconds(20));
    cid.awaitLine("[ben] left"::equals, Duration.ofSeconds(20));
    awaitMembers(List.of(n1, n3), 2, Duration.ofSeconds(20));
    log.info("figure dns-remove: a killed node's users announced gone {} ms after kill -9",
        HostNode.since(killed).toMillis());
    LineClient benAgain = client(n3.register("ben"));
    ann.awaitLine("[ben] joined"::equals);
    assertThat(n1.changes("left")).isGreaterThanOrEqualTo(1);
    assertThat(n1.changes("joined")).isGreaterThanOrEqualTo(2);
    benAgain.send("/who");
    assertThat(benAgain.awaitLine(line -> line.startsWith("*** lobby has ")))
        .last().isEqualTo("*** lobby has 3: ann, cid, ben");
  }

  private static void awaitMembers(List<HostNode> nodes, int members, Duration within) {
    Awaitility.await(members + " members").atMost(within).pollInterval(Duration.ofMillis(250))
        .until(() -> nodes.stream().allMatch(node -> node.members() == members && node.serving()));
  }

  private HostNode node(HostNode node) {
    nodes.add(node);
    return node;
  }

  private LineClient client(LineClient client) {
    clients.add(client);
    return client;
  }
}
