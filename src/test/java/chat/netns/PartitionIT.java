package chat.netns;

import static org.assertj.core.api.Assertions.assertThat;

import chat.netns.Chatter.Voice;
import chat.netns.TestNetwork.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Three nodes on hosts of their own, split by cutting links (not by pausing processes) while users on every side go
 * on chatting, then healed: one cluster again within 30 s, no name held twice, the cut-off users told and
 * disconnected, not a line lost between the users who stayed.
 */
@Timeout(240)
class PartitionIT {

  /** Three JVMs starting at once: on a 2-core machine also running other builds each can take over a minute. */
  private static final Duration FORM = Duration.ofSeconds(100);
  /** cluster.failureDetectionSeconds (8) plus cleanup, with room for a busy machine. */
  private static final Duration DETECTED = Duration.ofSeconds(25);
  /** The bound for one cluster again after the heal. */
  private static final Duration HEALED = Duration.ofSeconds(30);
  private static final Duration SPLIT = Duration.ofSeconds(20);
  private static final Duration SHORT = Duration.ofSeconds(20);
  private static final String MERGING = "disconnecting its users";
  private static final String MERGED = "merged back into the cluster (3 members)";

  private HostCluster cluster;
  private TestNetwork network;
  private final Chatter chatter = new Chatter();

  @BeforeEach
  void network(TestInfo test) throws Exception {
    cluster = HostCluster.create(test.getTestMethod().orElseThrow().getName().startsWith("two") ? "split-2-1"
        : "split-1-1-1");
    network = cluster.network();
  }

  @AfterEach
  void removeEverything() throws Exception {
    chatter.close();
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void twoAgainstOneForTwentySecondsThenHealedIsOneClusterWithEveryNameOnceAndNoLineLostOnTheMajority()
      throws Exception {
    List<Host> hosts = List.of(network.host("n1", 11), network.host("n2", 12), network.host("n3", 13));
    DnsServer.start(network, HostNode.SERVICE_DNS).answer(hosts);
    List<HostNode> nodes = new ArrayList<>();
    for (Host host : hosts) {
      nodes.add(cluster.add(HostNode.startWithDns(network, host)));
    }
    HostNode n1 = nodes.get(0);
    HostNode n2 = nodes.get(1);
    HostNode n3 = nodes.get(2);
    cluster.awaitMembers(nodes, 3, FORM);
    Transcript ada = cluster.user(n1, "ada");
    Transcript bea = cluster.user(n2, "bea");
    Transcript cy = cluster.user(n3, "cy");
    Transcript cyd = cluster.user(n3, "cyd");
    for (Transcript user : List.of(ada, bea, cy)) {
      user.await("[cyd] joined", SHORT);
    }
    Voice a = chatter.talk(ada, "a");
    Voice b = chatter.talk(bea, "b");
    Voice c = chatter.talk(cy, "c");

    long cut = System.nanoTime();
    network.partition(List.of(hosts.subList(0, 2), hosts.subList(2, 3)));
    cluster.figure("majority announces the cut-off node's users gone",
        HostCluster.until(cut, ada, ada.await("[cy] left", DETECTED)));
    cluster.figure("minority announces the majority's users gone",
        HostCluster.until(cut, cy, cy.await("[ada] left", DETECTED)));
    bea.await("[cyd] left", DETECTED);
    cyd.await("[bea] left", DETECTED);
    cluster.awaitMembers(List.of(n1, n2), 2, SHORT);
    cluster.awaitMembers(List.of(n3), 1, SHORT);
    assertThat(n1.changes("left")).isGreaterThanOrEqualTo(1);
    assertThat(n3.changes("left")).isGreaterThanOrEqualTo(2);
    // Each side gives out names the other holds: the majority a freed one, the minority whatever it cannot see.
    Transcript newCy = cluster.userEventually(n1, "cy", SHORT);
    bea.await("[cy] joined", SHORT);
    Transcript twin = tryUser(n3, "bea");
    Awaitility.await("a split of " + SPLIT).atMost(SPLIT.plusSeconds(20)).pollInterval(Duration.ofMillis(100))
        .until(() -> a.sentSince(cut + SPLIT.toNanos()) && c.sentSince(cut + SPLIT.toNanos()));

    long healed = System.nanoTime();
    network.healAll();
    cluster.awaitMembers(nodes, 3, HEALED);
    cluster.figure("heal to one cluster", HostCluster.since(healed));
    List<Transcript> minority = twin == null ? List.of(cy, cyd) : List.of(cy, cyd, twin);
    for (Transcript user : minority) {
      int notice = user.await(line -> line.startsWith("*** "), SHORT);
      user.awaitClosed(SHORT);
      cluster.figure("heal to the minority's users told", HostCluster.until(healed, user, notice));
    }
    Awaitility.await("n3 merged").atMost(SHORT).until(() -> n3.output().contains(MERGED));
    String log3 = n3.output();
    assertThat(log3.indexOf(MERGING)).as("users disconnected before the merge completes").isPositive()
        .isLessThan(log3.indexOf(MERGED));
    assertThat(n3.changes("merged")).isEqualTo(1);
    assertThat(n1.changes("merged") + n2.changes("merged")).isZero();

    // Not a line lost, doubled or reordered between the majority's users, through the split and the heal.
    long after = System.nanoTime();
    Awaitility.await("chatting after the heal").atMost(SHORT).until(() -> a.sentSince(after) && b.sentSince(after));
    int aSent = chatter.stop(a);
    int bSent = chatter.stop(b);
    bea.await("[ada] a" + (aSent - 1), SHORT);
    ada.await("[bea] b" + (bSent - 1), SHORT);
    assertThat(linesOf(bea, "[ada] a")).isEqualTo(a.expected("ada", aSent));
    assertThat(linesOf(ada, "[bea] b")).isEqualTo(b.expected("bea", bSent));
    // The minority's users chatted among themselves until they were disconnected.
    int cBeforeHeal = c.sentBefore(healed);
    assertThat(linesOf(cyd, "[cy] c")).startsWith(c.expected("cy", cBeforeHeal).toArray(String[]::new));

    assertEveryNameHeldOnce(nodes, List.of("ada", "bea", "cy"));
    Transcript cydAgain = cluster.userEventually(n2, "cyd", SHORT);
    Transcript dee = cluster.user(n3, "dee");
    ada.await("[dee] joined", SHORT);
    dee.send("hello from the healed side");
    bea.await("[dee] hello from the healed side", SHORT);
    newCy.send("welcome back");
    dee.await("[cy] welcome back", SHORT);
    cydAgain.await("[cy] welcome back", SHORT);
    awaitWho(dee, "ada", "bea", "cy", "cyd", "dee");
  }

  @Test
  void threeWaysThenHealedIsOneClusterWithEveryNameOnce() throws Exception {
    List<Host> hosts = List.of(network.host("n1", 11), network.host("n2", 12), network.host("n3", 13));
    List<HostNode> nodes = new ArrayList<>();
    for (Host host : hosts) {
      nodes.add(cluster.add(HostNode.startWithMembers(network, host, hosts)));
    }
    cluster.awaitMembers(nodes, 3, FORM);
    List<String> names = List.of("una", "uli", "uwe");
    Map<HostNode, List<Transcript>> users = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      users.put(nodes.get(i), new ArrayList<>(List.of(cluster.user(nodes.get(i), names.get(i)))));
    }
    for (int i = 0; i < 2; i++) {
      users.get(nodes.get(i)).get(0).await("[uwe] joined", SHORT);
    }

    long cut = System.nanoTime();
    network.partition(hosts.stream().map(List::of).toList());
    for (int i = 0; i < 3; i++) {
      Transcript user = users.get(nodes.get(i)).get(0);
      for (String other : names) {
        if (!other.equals(user.name())) {
          cluster.figure("a node announces another's user gone",
              HostCluster.until(cut, user, user.await("[" + other + "] left", DETECTED)));
        }
      }
    }
    cluster.awaitMembers(nodes, 1, SHORT);
    // Each node gives out the next node's user's name, freed on its side: every name held twice during the split.
    for (int i = 0; i < 3; i++) {
      users.get(nodes.get(i)).add(cluster.userEventually(nodes.get(i), names.get((i + 1) % 3), SHORT));
    }

    cluster.recordSockets("split");
    long healed = System.nanoTime();
    network.healAll();
    cluster.awaitMembers(nodes, 3, HEALED);
    cluster.figure("heal to one cluster", HostCluster.since(healed));
    // At least two of the three sides merge into another and disconnect their users; the one merged into keeps its.
    Awaitility.await("two merges").atMost(SHORT)
        .until(() -> nodes.stream().filter(node -> node.output().contains("merged back into")).count() >= 2);
    cluster.recordSockets("merged");
    List<HostNode> merged = nodes.stream().filter(node -> node.changes("merged") > 0).toList();
    assertThat(merged).hasSizeGreaterThanOrEqualTo(2);
    List<String> kept = new ArrayList<>();
    for (HostNode node : nodes) {
      for (Transcript user : users.get(node)) {
        if (merged.contains(node)) {
          user.await(line -> line.startsWith("*** "), SHORT);
          user.awaitClosed(SHORT);
        } else {
          int mark = user.size();
          user.send("still here");
          user.awaitFrom(mark, ("[" + user.name() + "] still here")::equals, SHORT);
          kept.add(user.name());
        }
      }
    }
    assertThat(kept).doesNotHaveDuplicates();
    assertEveryNameHeldOnce(nodes, kept);
    HostNode survivor = nodes.stream().filter(node -> !merged.contains(node)).findFirst().orElse(nodes.get(0));
    Transcript late = cluster.user(survivor, "late");
    awaitWho(late, java.util.stream.Stream.concat(kept.stream(), java.util.stream.Stream.of("late"))
        .toArray(String[]::new));
  }

  private Transcript tryUser(HostNode node, String name) throws Exception {
    chat.LineClient client = HostCluster.tryRegister(node, name);
    return client == null ? null : cluster.kept(new Transcript(name, client));
  }

  /**
   * No node gives out any of {@code names}, all held: each answers "name taken". An attempt left unanswered fails too:
   * it is what a node does when the reservation map has lost a name its own user holds (docs/faults.md).
   */
  private void assertEveryNameHeldOnce(List<HostNode> nodes, List<String> names) throws Exception {
    List<java.util.concurrent.CompletableFuture<Void>> checks = new ArrayList<>();
    java.util.concurrent.ExecutorService askers =
        java.util.concurrent.Executors.newFixedThreadPool(nodes.size() * names.size());
    for (HostNode node : nodes) {
      for (String name : names) {
        checks.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
          try {
            long asked = System.nanoTime();
            String where = name + " on " + node.host().address();
            String answer = HostCluster.answerTo(node, name, SHORT, Duration.ofSeconds(5), node::dumpThreads);
            assertThat(answer).as(where + ", answered after " + HostCluster.since(asked).toMillis() + " ms")
                .isEqualTo("name taken");
            if (HostCluster.since(asked).toSeconds() >= 5) {
              cluster.figure("registration of " + where + " answered late after the heal", HostCluster.since(asked));
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }, askers));
      }
    }
    try {
      java.util.concurrent.CompletableFuture.allOf(checks.toArray(java.util.concurrent.CompletableFuture[]::new))
          .get(SHORT.toSeconds() + 10, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      askers.shutdownNow();
    }
  }

  /**
   * Waits until /who, asked by {@code user}, lists exactly {@code names} (in any order), each once: entries the merge
   * brought back are removed just after it.
   */
  private static void awaitWho(Transcript user, String... names) {
    List<String> expected = java.util.Arrays.stream(names).sorted().toList();
    java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>();
    try {
      Awaitility.await("/who lists " + expected).atMost(SHORT).pollInterval(Duration.ofMillis(500)).until(() -> {
        int mark = user.size();
        user.send("/who");
        int answer = user.awaitFrom(mark, line -> line.startsWith("*** lobby has "), SHORT);
        String who = user.lines().get(answer);
        last.set(who);
        return List.of(who.substring(who.indexOf(": ") + 2).split(", ")).stream().sorted().toList()
            .equals(expected);
      });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("/who never listed " + expected + "; last answer: " + last.get(), e);
    }
  }

  private static List<String> linesOf(Transcript user, String prefix) {
    return user.lines().stream().filter(line -> line.startsWith(prefix)).collect(Collectors.toList());
  }
}
