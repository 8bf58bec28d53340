package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
        Socket stalled = stalledReader(server.port(), sender, reader)) {

      Relayed relayed = relayInBatches(sender, reader, lines, padding);

      assertThat(relayed.received()).isEqualTo(lines);
      if (!relayed.stalledLeft()) {
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
        Socket stalled = stalledReader(server.port(), sender, reader)) {
      long before = settledHeap();

      Relayed relayed = relayInBatches(sender, reader, lines, padding);
      if (!relayed.stalledLeft()) {
        reader.awaitLine("[stalled] 접속 해제"::equals);
      }
      long after = settledHeap();

      assertThat(relayed.received()).isEqualTo(lines);
      assertThat(server.metrics().registry().get("chat.slow.consumer.disconnects").counter().count()).isEqualTo(1.0);
      log.info("heap after GC: {} MB before, {} MB after {} lines of 400 bytes past a stalled reader",
          before / MB, after / MB, lines);
      assertThat(after - before).isLessThan(50 * MB);
    }
  }

  private record Relayed(int received, boolean stalledLeft) {
  }

  /**
   * Sends numbered lines through the room in batches of 500 and checks each arrives at the healthy reader, whole and
   * in order, before the next batch. One burst of megabytes would test the test: on two cores a client's reader
   * thread can fall a whole {@code limits.sendQueueBytes} behind and be cut off as a slow consumer itself.
   */
  private static Relayed relayInBatches(LineClient sender, LineClient reader, int lines, String padding)
      throws IOException {
    int received = 0;
    boolean stalledLeft = false;
    for (int batch = 0; batch < lines; batch += 500) {
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int i = batch; i < Math.min(lines, batch + 500); i++) {
        burst.writeBytes((String.format("%05d ", i) + padding + "\n").getBytes(StandardCharsets.UTF_8));
      }
      sender.sendRaw(burst.toByteArray());
      String last = String.format("[sender] %05d ", Math.min(lines, batch + 500) - 1);
      while (true) {
        String line = reader.next();
        if (line.startsWith("[sender] ")) {
          assertThat(line).isEqualTo(String.format("[sender] %05d ", received) + padding);
          received++;
        }
        stalledLeft |= line.equals("[stalled] 접속 해제");
        if (line.startsWith(last)) {
          break;
        }
      }
    }
    return new Relayed(received, stalledLeft);
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

  /** A registered client with a tiny receive buffer that never reads; returns once the watchers saw it join. */
  private static Socket stalledReader(int port, LineClient... watchers) throws Exception {
    Socket stalled = new Socket();
    stalled.setReceiveBufferSize(4096);
    stalled.connect(new InetSocketAddress("127.0.0.1", port));
    stalled.getOutputStream().write("stalled\n".getBytes(StandardCharsets.UTF_8));
    for (LineClient watcher : watchers) {
      watcher.awaitLine("[stalled] 접속"::equals);
    }
    return stalled;
  }
}
