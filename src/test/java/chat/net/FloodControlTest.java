package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One client sending too fast is slowed down, then cut off; nobody else notices. */
@Timeout(60)
class FloodControlTest {

  private static final Logger log = LoggerFactory.getLogger(FloodControlTest.class);

  @Test
  void linesOverTheRateAreDelayedInOrderNotDropped() throws Exception {
    try (TestServer server = TestServer.start(Map.of(
            "CHAT_LIMITS_LINES_PER_SECOND", "20", "CHAT_LIMITS_LINE_BURST", "5", "CHAT_LIMITS_FLOOD_QUEUE_LINES", "20"));
        LineClient burster = LineClient.register(server.port(), "burster");
        LineClient observer = LineClient.register(server.port(), "observer")) {
      // Every line counts, the name included: 4 tokens are left of the burst, and 20 lines may wait for more.
      StringBuilder burst = new StringBuilder();
      for (int i = 0; i < 24; i++) {
        burst.append("line ").append(i).append('\n');
      }
      long sent = System.nanoTime();
      burster.sendRaw(burst.toString().getBytes(StandardCharsets.UTF_8));

      List<String> seen = observer.awaitLine("[burster] line 23"::equals);
      long spread = System.nanoTime() - sent;

      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        expected.add("[burster] line " + i);
      }
      assertThat(seen).containsExactlyElementsOf(expected);
      // 4 lines go at once, the other 20 at 20 per second: the token bucket cannot release them any sooner.
      assertThat(spread).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(950));
      burster.send("still here");
      burster.awaitLine("[burster] still here"::equals);
      assertThat(server.count("chat.input.rejected", "flood")).isZero();
    }
  }

  @Test
  void aHundredLinesPerSecondAreThrottledThenDisconnectedWhileOthersGetEveryMessage() throws Exception {
    try (TestServer server = TestServer.start(Map.of());
        LineClient flooder = LineClient.register(server.port(), "flooder");
        LineClient calm = LineClient.register(server.port(), "calm");
        LineClient observer = LineClient.register(server.port(), "observer")) {
      flooder.awaitLine("[observer] 접속"::equals);
      calm.awaitLine("[observer] 접속"::equals);
      CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> sendPaced(flooder, 100, 5));

      List<String> seen = new ArrayList<>();
      List<Long> latencies = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        LockSupport.parkNanos(start + i * 250_000_000L - System.nanoTime());
        String line = "calm " + i;
        long sent = System.nanoTime();
        calm.send(line);
        seen.addAll(observer.awaitLine(("[calm] " + line)::equals));
        latencies.add(System.nanoTime() - sent);
      }
      int floodLinesWritten = flood.get(20, TimeUnit.SECONDS);
      if (!seen.contains("[flooder] 접속 해제")) {
        seen.addAll(observer.awaitLine("[flooder] 접속 해제"::equals));
      }

      List<String> calmLines = seen.stream().filter(l -> l.startsWith("[calm] ")).toList();
      List<String> floodLines = seen.stream().filter(l -> l.startsWith("[flooder] flood ")).toList();
      for (int i = 0; i < 20; i++) {
        assertThat(calmLines.get(i)).isEqualTo("[calm] calm " + i);
      }
      assertThat(calmLines).hasSize(20);
      // Throttled: the burst of 10 went through, then about 5 a second, in order and without gaps, until cut off.
      assertThat(floodLines.size()).isBetween(10, 10 + 5 * 5);
      for (int i = 0; i < floodLines.size(); i++) {
        assertThat(floodLines.get(i)).isEqualTo("[flooder] flood " + i);
      }
      List<String> flooderGot = flooder.awaitClose();
      assertThat(flooderGot).isNotEmpty();
      assertThat(flooderGot.get(flooderGot.size() - 1)).startsWith("*** ");
      assertThat(server.count("chat.input.rejected", "flood")).isEqualTo(1.0);
      calm.send("after");
      calm.awaitLine("[calm] after"::equals);
      latencies.sort(null);
      log.info("flood: {} lines written by the flooder, {} relayed; calm user's echo latency ms p50 {} max {}",
          floodLinesWritten, floodLines.size(), latencies.get(latencies.size() / 2) / 1e6,
          latencies.get(latencies.size() - 1) / 1e6);
    }
  }

  /** Sends numbered lines at {@code perSecond} for {@code seconds}, or until the server cuts the client off. */
  private static int sendPaced(LineClient client, int perSecond, int seconds) {
    long start = System.nanoTime();
    long interval = 1_000_000_000L / perSecond;
    int i = 0;
    try {
      for (; i < perSecond * seconds && !client.closedByServer(); i++) {
        LockSupport.parkNanos(start + i * interval - System.nanoTime());
        client.send("flood " + i);
      }
    } catch (IOException e) {
      // cut off by the server
    }
    return i;
  }
}
