package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestServer;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Timeout(120)
class SlowConsumerTest {

  private static final Logger log = LoggerFactory.getLogger(SlowConsumerTest.class);
  private static final long MB = 1024 * 1024;

  @Test
  void clientThatNeverReadsIsDisconnectedAndNobodyElseWaits() throws Exception {
    int lines = 10_000;
    String padding = "p".repeat(200);
    try (TestServer server = TestServer.start(Map.of("CHAT_LIMITS_LINES_PER_SECOND", "0"));
        LineClient sender = LineClient.register(server.port(), "sender");
        LineClient reader = LineClient.register(server.port(), "reader");
        Socket stalled = new Socket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
      stalled.getOutputStream().write("stalled\n".getBytes(StandardCharsets.UTF_8));
      sender.awaitLine("[stalled] 접속"::equals);
      reader.awaitLine("[stalled] 접속"::equals);

      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int i = 0; i < lines; i++) {
        burst.writeBytes((i + " " + padding + "\n").getBytes(StandardCharsets.UTF_8));
      }
      sender.sendRaw(burst.toByteArray());

      List<String> received = reader.awaitLine(line -> line.startsWith("[sender] " + (lines - 1) + " "));
      List<String> messages = received.stream().filter(l -> l.startsWith("[sender] ")).toList();
      assertThat(messages).hasSize(lines);
      for (int i = 0; i < lines; i++) {
        assertThat(messages.get(i)).isEqualTo("[sender] " + i + " " + padding);
      }
      if (!received.contains("[stalled] 접속 해제")) {
        reader.awaitLine("[stalled] 접속 해제"::equals);
      }
      sender.awaitLine("[stalled] 접속 해제"::equals);
    }
  }

  @Test
  void aSlowReaderIsCutOffPastItsBoundAndTheHeapSettlesWhereItStarted() throws Exception {
    int lines = 10_000;
    String padding = "q".repeat(400);
    try (TestServer server = TestServer.start(Map.of("CHAT_LIMITS_LINES_PER_SECOND", "0"));
        LineClient sender = LineClient.register(server.port(), "sender");
        LineClient reader = LineClient.register(server.port(), "reader");
        Socket stalled = new Socket()) {
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
      stalled.getOutputStream().write("stalled\n".getBytes(StandardCharsets.UTF_8));
      reader.awaitLine("[stalled] 접속"::equals);
      sender.awaitLine("[stalled] 접속"::equals);
      long before = settledHeap();

      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int i = 0; i < lines; i++) {
        burst.writeBytes((String.format("%05d ", i) + padding + "\n").getBytes(StandardCharsets.UTF_8));
      }
      sender.sendRaw(burst.toByteArray());
      burst = null;
      int received = 0;
      boolean stalledLeft = false;
      String last = String.format("[sender] %05d ", lines - 1);
      while (true) {
        String line = reader.next();
        if (line.startsWith("[sender] ")) {
          assertThat(line).startsWith(String.format("[sender] %05d ", received)).hasSize(9 + 6 + 400);
          received++;
        }
        stalledLeft |= line.equals("[stalled] 접속 해제");
        if (line.startsWith(last)) {
          break;
        }
      }
      if (!stalledLeft) {
        reader.awaitLine("[stalled] 접속 해제"::equals);
      }
      long after = settledHeap();

      assertThat(received).isEqualTo(lines);
      assertThat(server.metrics().registry().get("chat.slow.consumer.disconnects").counter().count()).isEqualTo(1.0);
      log.info("heap after GC: {} MB before, {} MB after {} lines of 400 bytes past a stalled reader",
          before / MB, after / MB, lines);
      assertThat(after - before).isLessThan(50 * MB);
    }
  }

  /** Used heap after a full GC, once two readings in a row agree within a megabyte. */
  private static long settledHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong previous = new AtomicLong(-10 * MB);
    AtomicLong current = new AtomicLong();
    Awaitility.await("heap settles").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          memory.gc();
          current.set(memory.getHeapMemoryUsage().getUsed());
          return Math.abs(current.get() - previous.getAndSet(current.get())) < MB;
        });
    return current.get();
  }
}
