package chat.it;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of the node that orders a room (the owner of its ring's partition), in the middle of a burst from senders
 * on every node: the survivors go on with one sequence, with no line twice, and every line of a surviving sender is
 * in it unless that sender was told it was not delivered; the room's history, kept with a backup, is that sequence's
 * tail.
 */
@Timeout(300)
class RoomOrderFailoverIT {

  private static final Logger log = LoggerFactory.getLogger(RoomOrderFailoverIT.class);
  private static final Map<String, String> ENV = Map.of("CHAT_LIMITS_LINES_PER_SECOND", "0");
  private static final Pattern OWNER = Pattern.compile("following room crash, ordered by .*\\[127\\.0\\.0\\.1]:(\\d+)");
  private static final Pattern LINE = Pattern.compile("\\[(\\w+)] m(\\d+)");
  private static final String NOT_DELIVERED = "*** your line in crash was not delivered: try again";
  private static final int PER_SENDER = 600;

  private final List<ServerProcess> nodes = new ArrayList<>();
  private final List<LineClient> clients = new ArrayList<>();

  @AfterEach
  void stopEverything(TestInfo test) throws Exception {
    for (LineClient client : clients) {
      client.close();
    }
    for (int i = 0; i < nodes.size(); i++) {
      nodes.get(i).closeKeepingLog("cluster-it-" + test.getTestMethod().orElseThrow().getName() + "-node" + i);
    }
  }

  @Test
  void killingTheNodeThatOrdersARoomMidBurstLeavesTheSurvivorsOneSequenceWithEveryAcceptedLine() throws Exception {
    nodes.addAll(ServerProcess.startCluster(3, ENV));
    HttpClient http = HttpClient.newHttpClient();
    // Ready means the cluster is safe: every partition has its owner and backup in place, no migration running.
    Awaitility.await("three members, ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> {
          for (ServerProcess node : nodes) {
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
            if (!node.output().contains("(3 members)")
                || http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
              return false;
            }
          }
          return true;
        });

    List<LineClient> watchers = new ArrayList<>();
    for (int node = 0; node < 3; node++) {
      watchers.add(inRoom(node, "w" + node, "crash"));
    }
    int owner = Awaitility.await("who orders the room").atMost(Duration.ofSeconds(10)).until(() -> {
      Matcher m = OWNER.matcher(nodes.get(0).output());
      int port = -1;
      while (m.find()) {
        port = Integer.parseInt(m.group(1));
      }
      for (int i = 0; i < 3; i++) {
        if (nodes.get(i).clusterPort() == port) {
          return i;
        }
      }
      return -1;
    }, index -> index >= 0);
    List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
    survivors.remove(Integer.valueOf(owner));

    List<LineClient> senders = new ArrayList<>();
    for (int node = 0; node < 3; node++) {
      senders.add(inRoom(node, "s" + node, "crash"));
    }
    for (int node : survivors) {
      watchers.get(node).awaitLine("[s2] 접속"::equals);
      if (node != 2) {
        senders.get(node).awaitLine("[s2] 접속"::equals);
      }
    }

    // A steady stream of two lines every 2 ms per sender, so that the kill lands in the middle of it, within what a
    // node reads of a room behind its writers (history.orderBufferLines); each sender ends with "done".
    ScheduledExecutorService pool = Executors.newScheduledThreadPool(3);
    List<CompletableFuture<Void>> bursts = new ArrayList<>();
    for (LineClient sender : senders) {
      CompletableFuture<Void> burst = new CompletableFuture<>();
      AtomicInteger next = new AtomicInteger();
      ScheduledFuture<?> ticks = pool.scheduleAtFixedRate(() -> {
        try {
          for (int k = 0; k < 2 && next.get() < PER_SENDER; k++) {
            sender.send("m" + next.getAndIncrement());
          }
          if (next.get() == PER_SENDER && !burst.isDone()) {
            sender.send("done");
            burst.complete(null);
          }
        } catch (IOException e) {
          burst.completeExceptionally(e);
        }
      }, 0, 2, TimeUnit.MILLISECONDS);
      burst.whenComplete((done, failure) -> ticks.cancel(false));
      bursts.add(burst);
    }
    List<List<String>> seen = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      seen.add(new ArrayList<>());
    }
    List<LineClient> survivingMembers = List.of(watchers.get(survivors.get(0)), watchers.get(survivors.get(1)),
        senders.get(survivors.get(0)), senders.get(survivors.get(1)));
    // Mid-burst: once a survivor has seen a sender's hundredth line.
    seen.get(0).addAll(survivingMembers.get(0).awaitLine(line -> {
      Matcher m = LINE.matcher(line);
      return m.matches() && Integer.parseInt(m.group(2)) >= 100;
    }, Duration.ofSeconds(30)));
    nodes.get(owner).process().destroyForcibly();
    for (int i = 0; i < 2; i++) {
      bursts.get(survivors.get(i)).get(60, TimeUnit.SECONDS);
    }
    pool.shutdownNow();

    // Each surviving sender ends with "done", sent after the failover; the gone node's users' leaves are in the order.
    Set<String> ends = Set.of("[s" + survivors.get(0) + "] done", "[s" + survivors.get(1) + "] done",
        "[w" + owner + "] 접속 해제", "[s" + owner + "] 접속 해제");
    for (int i = 0; i < 4; i++) {
      List<String> lines = seen.get(i);
      Set<String> missing = new HashSet<>(ends);
      lines.forEach(missing::remove);
      while (!missing.isEmpty()) {
        String line = survivingMembers.get(i).next();
        lines.add(line);
        missing.remove(line);
      }
    }

    List<List<String>> sequences = seen.stream().map(RoomOrderFailoverIT::sequence).toList();
    for (List<String> sequence : sequences) {
      assertThat(sequence).as("every survivor's sequence").isEqualTo(sequences.get(0));
    }
    List<String> sequence = sequences.get(0);
    assertThat(new HashSet<>(sequence)).as("no line twice").hasSize(sequence.size());
    Map<String, List<Integer>> bySender = new HashMap<>();
    for (String line : sequence) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        bySender.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
      }
    }
    bySender.forEach((sender, numbers) -> assertThat(numbers).as(sender + "'s lines in order").isSorted());
    for (int i = 0; i < 2; i++) {
      String sender = "s" + survivors.get(i);
      long notices = seen.get(2 + i).stream().filter(NOT_DELIVERED::equals).count();
      assertThat(bySender.get(sender)).as("every line of " + sender + " it was not told about")
          .hasSize(PER_SENDER - (int) notices);
    }
    // The history survived its orderer: a newcomer on a survivor is replayed the tail of that same sequence.
    List<String> said = sequence.stream().filter(line -> !line.endsWith("] 접속 해제")).toList();
    LineClient late = inRoom(survivors.get(0), "late", "crash");
    List<String> replay = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      replay.add(late.next().replaceFirst("^\\*\\*\\* \\[\\d\\d:\\d\\d] ", ""));
    }
    assertThat(replay).as("history after the orderer's death").isEqualTo(said.subList(said.size() - 20, said.size()));

    List<Integer> killedSenders = bySender.getOrDefault("s" + owner, List.of());
    assertThat(killedSenders).as("the killed node's sender's lines that made it").hasSizeLessThanOrEqualTo(PER_SENDER);
    String figures = String.format("kill -9 of the room's orderer (node %d) mid-burst: %d lines in the survivors' one "
        + "sequence, %d of them from the killed node's sender, %d refused to the surviving senders%n", owner,
        sequence.size(), killedSenders.size(), seen.get(2).stream().filter(NOT_DELIVERED::equals).count()
            + seen.get(3).stream().filter(NOT_DELIVERED::equals).count());
    log.info(figures.strip());
    java.nio.file.Files.writeString(java.nio.file.Path.of("target", "order-figures.txt"), figures,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
  }

  /** The burst's lines and leaves, in the order seen. */
  private static List<String> sequence(List<String> lines) {
    return lines.stream()
        .filter(line -> LINE.matcher(line).matches() || line.endsWith("] 접속 해제") || line.endsWith("] done"))
        .toList();
  }

  private LineClient inRoom(int node, String name, String room) throws Exception {
    LineClient client = LineClient.register(nodes.get(node).tcpPort(), name);
    clients.add(client);
    client.send("/join " + room);
    client.awaitLine(("[" + name + "] 접속")::equals);
    return client;
  }
}
