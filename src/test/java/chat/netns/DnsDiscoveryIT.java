package chat.netns;

import static org.assertj.core.api.Assertions.assertThat;

import chat.netns.TestNetwork.Host;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DNS discovery as on Kubernetes: nodes on hosts of their own, configured as k8s/deployment.yaml configures a pod,
 * find each other through a DNS server answering the headless Service's name with their addresses.
 */
@Timeout(180)
class DnsDiscoveryIT {

  private static final Duration FORM = Duration.ofSeconds(60);
  private static final Duration SHORT = Duration.ofSeconds(20);

  private HostCluster cluster;

  @BeforeEach
  void network() throws Exception {
    cluster = HostCluster.create("dns");
  }

  @AfterEach
  void removeEverything() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void nodesInTheServiceAnswerFormOneClusterANodeAddedLaterJoinsAndARemovedOneLeaves() throws Exception {
    TestNetwork network = cluster.network();
    Host h1 = network.host("n1", 11);
    Host h2 = network.host("n2", 12);
    Host h3 = network.host("n3", 13);
    DnsServer dns = DnsServer.start(network, HostNode.SERVICE_DNS);
    dns.answer(List.of(h1, h2));
    HostNode n1 = cluster.add(HostNode.startWithDns(network, h1));
    HostNode n2 = cluster.add(HostNode.startWithDns(network, h2));
    cluster.awaitMembers(List.of(n1, n2), 2, FORM);
    Transcript ann = cluster.user(n1, "ann");
    Transcript ben = cluster.user(n2, "ben");
    ann.await("[ben] joined", SHORT);

    dns.answer(List.of(h1, h2, h3));
    long started = System.nanoTime();
    HostNode n3 = cluster.add(HostNode.startWithDns(network, h3));
    cluster.awaitMembers(List.of(n1, n2, n3), 3, FORM);
    cluster.figure("node added to the answer: a member everywhere after its start", HostCluster.since(started));
    Transcript cid = cluster.user(n3, "cid");
    ben.await("[cid] joined", SHORT);
    cid.send("hi from the new host");
    ann.await("[cid] hi from the new host", SHORT);
    ben.send("welcome");
    cid.await("[ben] welcome", SHORT);

    dns.answer(List.of(h1, h3));
    long killed = System.nanoTime();
    n2.kill();
    ann.await("[ben] left", SHORT);
    cid.await("[ben] left", SHORT);
    cluster.figure("node removed and killed: its users' leaves announced after kill -9", HostCluster.since(killed));
    cluster.awaitMembers(List.of(n1, n3), 2, SHORT);
    int mark = ann.size();
    Transcript benAgain = cluster.userEventually(n3, "ben", SHORT);
    ann.awaitFrom(mark, "[ben] joined"::equals, SHORT);
    assertThat(n1.changes("left")).isGreaterThanOrEqualTo(1);
    assertThat(n3.changes("merged")).isZero();
    benAgain.send("/who");
    int who = benAgain.await(line -> line.startsWith("*** lobby has "), SHORT);
    assertThat(benAgain.lines().get(who)).isEqualTo("*** lobby has 3: ann, cid, ben");
  }
}
