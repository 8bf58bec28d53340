package chat.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.ServerProcess;
import chat.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One order per room across three real clustered nodes in this JVM: senders on every node bursting into one room at
 * once, and every member on every node sees the same sequence; a newcomer on any node gets the tail of it as history.
 */
@Timeout(240)
class RoomOrderTest {

  private static final Map<String, String> ENV = Map.of("CHAT_LIMITS_LINES_PER_SECOND", "0",
      "CHAT_HISTORY_REPLAY_LINES", "20");
  private static final Pattern LINE = Pattern.compile("\\[(s\\d)] m(\\d+)");
  private static final int PER_SENDER = 300;

  private static final List<TestServer> nodes = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    int[] ports = {ServerProcess.freePort(), ServerProcess.freePort(), ServerProcess.freePort()};
    String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
    for (int port : ports) {
      nodes.add(TestServer.startClustered(port, members, ENV));
    }
    Awaitility.await("three members").atMost(Duration.ofSeconds(90))
        .until(() -> nodes.stream().allMatch(node -> node.cluster().memberCount() == 3));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  private static LineClient inRoom(int node, String name, String room) throws Exception {
    LineClient client = LineClient.register(nodes.get(node).port(), name);
    client.send("/join " + room);
    client.awaitLine(("[" + name + "] 접속")::equals);
    return client;
  }

  /** The burst's lines as {@code client} saw them, in order, until it has seen them all. */
  private static List<String> sequence(LineClient client, int total) {
    List<String> seen = new ArrayList<>();
    while (seen.size() < total) {
      String line = client.next();
      if (LINE.matcher(line).matches()) {
        seen.add(line);
      }
    }
    return seen;
  }

  @Test
  void sendersOnThreeNodesBurstingIntoOneRoomAreSeenInOneOrderEverywhereAndItsTailIsTheHistory() throws Exception {
    List<LineClient> senders = new ArrayList<>();
    List<LineClient> watchers = new ArrayList<>();
    try {
      for (int node = 0; node < 3; node++) {
        senders.add(inRoom(node, "s" + node, "burst"));
        watchers.add(inRoom(node, "w" + node, "burst"));
      }
      for (LineClient client : List.of(senders.get(0), watchers.get(0))) {
        client.awaitLine("[w2] 접속"::equals);
      }
      ExecutorService pool = Executors.newFixedThreadPool(3);
      CyclicBarrier start = new CyclicBarrier(3);
      List<Future<?>> bursts = new ArrayList<>();
      for (LineClient sender : senders) {
        bursts.add(pool.submit(() -> {
          start.await();
          StringBuilder burst = new StringBuilder();
          for (int i = 0; i < PER_SENDER; i++) {
            burst.append('m').append(i).append('\n');
          }
          sender.sendRaw(burst.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
          return null;
        }));
      }
      for (Future<?> burst : bursts) {
        burst.get();
      }
      pool.shutdown();

      int total = 3 * PER_SENDER;
      List<List<String>> sequences = new ArrayList<>();
      for (LineClient member : concat(senders, watchers)) {
        sequences.add(sequence(member, total));
      }
      List<String> first = sequences.get(0);
      for (List<String> other : sequences) {
        assertThat(other).as("every member's sequence").isEqualTo(first);
      }
      Map<String, Integer> next = new HashMap<>();
      for (String line : first) {
        var m = LINE.matcher(line);
        assertThat(m.matches()).isTrue();
        assertThat(Integer.parseInt(m.group(2))).as("each sender's lines in order, once")
            .isEqualTo(next.merge(m.group(1), 1, Integer::sum) - 1);
      }
      assertThat(next).containsOnlyKeys("s0", "s1", "s2").allSatisfy((name, count) -> assertThat(count).isEqualTo(300));

      List<String> tail = first.subList(total - 20, total);
      for (int node = 0; node < 3; node++) {
        try (LineClient late = LineClient.register(nodes.get(node).port(), "late" + node)) {
          late.send("/join burst");
          late.expect("[late" + node + "] 접속");
          List<String> replay = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            replay.add(late.next().replaceFirst("^\\*\\*\\* \\[\\d\\d:\\d\\d] ", ""));
          }
          assertThat(replay).as("history on node " + node).isEqualTo(tail);
        }
      }
    } finally {
      for (LineClient client : concat(senders, watchers)) {
        client.close();
      }
    }
  }

  private static List<LineClient> concat(List<LineClient> a, List<LineClient> b) {
    List<LineClient> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
