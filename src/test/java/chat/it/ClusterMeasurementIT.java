package chat.it;

import chat.LineClient;
import chat.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers for the operator, not assertions: detection time after kill -9 and SIGSTOP, time from SIGTERM to the
 * leaves, median of five runs each, and cross-node message latency. Off by default; run with
 * {@code mvn -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ClusterMeasurementIT
 * -Dchat.measure=true}. Results go to the log and to {@code target/cluster-measurements.txt}.
 */
@EnabledIfSystemProperty(named = "chat.measure", matches = "true")
@Timeout(1200)
class ClusterMeasurementIT {

  private static final Logger log = LoggerFactory.getLogger(ClusterMeasurementIT.class);
  private static final int RUNS = 5;
  private static final Map<String, String> ENV = Map.of("CHAT_LIMITS_LINES_PER_SECOND", "0");

  private final List<ServerProcess> nodes = new ArrayList<>();
  private final List<String> results = new ArrayList<>();
  private String members;
  private final int[] ports = new int[3];

  @AfterEach
  void stop() throws Exception {
    for (ServerProcess node : nodes) {
      node.close();
    }
    Files.write(Path.of("target", "cluster-measurements.txt"), results, StandardCharsets.UTF_8);
  }

  @Test
  void measure() throws Exception {
    for (int i = 0; i < 3; i++) {
      ports[i] = ServerProcess.freePort();
    }
    members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
    nodes.add(ServerProcess.startClusterNode(ports[0], members, ENV));
    nodes.add(ServerProcess.startClusterNode(ports[1], members, ENV));
    try (LineClient watcher = inRoom(nodes.get(0).tcpPort(), "watch", "m")) {
      report("kill -9 -> leave announced", detect(watcher, "k", node -> node.process().destroyForcibly()));
      report("SIGTERM -> leave announced", detect(watcher, "t", node -> node.process().destroy()));
      report("SIGSTOP -> leave announced", detect(watcher, "s", node -> node.signal("STOP")));
      latency();
    }
  }

  private interface Stimulus {
    void apply(ServerProcess node) throws Exception;
  }

  /** A third node with one user in the watcher's room, {@link #RUNS} times: milliseconds from stimulus to leave. */
  private long[] detect(LineClient watcher, String prefix, Stimulus stimulus) throws Exception {
    long[] millis = new long[RUNS];
    for (int run = 0; run < RUNS; run++) {
      ServerProcess third = ServerProcess.startClusterNode(ports[2], members, ENV);
      try {
        String name = prefix + run;
        LineClient user = inRoom(third.tcpPort(), name, "m");
        watcher.awaitLine(("[" + name + "] 접속")::equals);
        long start = System.nanoTime();
        stimulus.apply(third);
        watcher.awaitLine(("[" + name + "] 접속 해제")::equals, Duration.ofSeconds(30));
        millis[run] = (System.nanoTime() - start) / 1_000_000;
        user.close();
      } finally {
        third.close();
      }
      Awaitility.await("third node gone").atMost(Duration.ofSeconds(30)).until(() -> membersNow(nodes.get(0)) == 2);
    }
    return millis;
  }

  private static int membersNow(ServerProcess node) {
    String output = node.output();
    int at = output.lastIndexOf(" members)");
    int open = output.lastIndexOf('(', at);
    return Integer.parseInt(output.substring(open + 1, at));
  }

  // Cross-node latency: senders on node 0 at a steady 1,000 lines/s in all, timed on arrival at node 1.
  private void latency() throws Exception {
    int senders = 4;
    int perSender = 2_500;
    try (LineClient receiver = inRoom(nodes.get(1).tcpPort(), "recv", "lat")) {
      List<LineClient> clients = new ArrayList<>();
      for (int i = 0; i < senders; i++) {
        clients.add(inRoom(nodes.get(0).tcpPort(), "send" + i, "lat"));
      }
      receiver.awaitLine("[send3] 접속"::equals);
      ScheduledExecutorService pace = Executors.newScheduledThreadPool(senders);
      AtomicInteger failures = new AtomicInteger();
      for (LineClient client : clients) {
        AtomicInteger sent = new AtomicInteger();
        pace.scheduleAtFixedRate(() -> {
          if (sent.incrementAndGet() <= perSender) {
            try {
              client.send("t" + System.nanoTime());
            } catch (Exception e) {
              failures.incrementAndGet();
            }
          }
        }, 0, senders, TimeUnit.MILLISECONDS);
      }
      long[] micros = new long[senders * perSender];
      for (int i = 0; i < micros.length; i++) {
        List<String> seen = receiver.awaitLine(l -> l.startsWith("[send") && l.contains("] t"));
        String last = seen.get(seen.size() - 1);
        micros[i] = (System.nanoTime() - Long.parseLong(last.substring(last.indexOf("] t") + 3))) / 1000;
      }
      pace.shutdownNow();
      Arrays.sort(micros);
      String summary = String.format("cross-node latency at 1000 lines/s (%d lines, %d send failures): p50 %d us, "
              + "p99 %d us, max %d us", micros.length, failures.get(), micros[micros.length / 2],
          micros[micros.length * 99 / 100], micros[micros.length - 1]);
      results.add(summary);
      log.info("MEASURE {}", summary);
      for (LineClient client : clients) {
        client.close();
      }
    }
  }

  private void report(String what, long[] millis) {
    long[] sorted = millis.clone();
    Arrays.sort(sorted);
    String summary = what + ": median " + sorted[RUNS / 2] + " ms, runs " + Arrays.toString(millis);
    results.add(summary);
    log.info("MEASURE {}", summary);
  }

  private static LineClient inRoom(int port, String name, String room) throws Exception {
    LineClient client = LineClient.register(port, name);
    client.send("/join " + room);
    client.awaitLine(("[" + name + "] 접속")::equals);
    return client;
  }
}
