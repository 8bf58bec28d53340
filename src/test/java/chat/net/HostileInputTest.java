package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Seeded garbage at a live server: nothing escapes, and the valid lines around the garbage arrive intact. */
@Timeout(90)
class HostileInputTest {

  private static final int MAX_LINE = 512;

  @Test
  void validLinesBetweenGarbageLinesInRandomSplitsArriveIntactAndInOrder() throws Exception {
    Random random = new Random(20_240_601);
    try (TestServer server = start();
        LineClient fuzzer = LineClient.register(server.port(), "fuzzer");
        LineClient observer = LineClient.register(server.port(), "observer")) {
      List<Throwable> escaped = escapes(server);
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      List<String> valid = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        if (random.nextInt(3) == 0) {
          valid.add("valid " + i);
          stream.writeBytes(("valid " + i + (random.nextBoolean() ? "\n" : "\r\n")).getBytes(StandardCharsets.UTF_8));
        } else {
          stream.writeBytes(garbageLine(random));
          stream.write('\n');
        }
      }
      stream.writeBytes("valid end\n".getBytes(StandardCharsets.UTF_8));
      valid.add("valid end");
      writeInRandomSplits(fuzzer, stream.toByteArray(), random);

      List<String> seen = observer.awaitLine("[fuzzer] valid end"::equals);

      assertThat(seen.stream().filter(l -> l.startsWith("[fuzzer] valid ")))
          .containsExactlyElementsOf(valid.stream().map(v -> "[fuzzer] " + v).toList());
      assertThat(seen).allSatisfy(line -> assertThat(line).doesNotContainPattern("[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f]"));
      assertThat(escaped).isEmpty();
    }
  }

  @Test
  void clientsThrowingRandomBytesAreCutOffOrIgnoredWhileOthersChatOn() throws Exception {
    Random random = new Random(7_777);
    try (TestServer server = start();
        LineClient alice = LineClient.register(server.port(), "alice");
        LineClient bob = LineClient.register(server.port(), "bob")) {
      List<Throwable> escaped = escapes(server);
      for (int round = 0; round < 20; round++) {
        try (Socket noise = new Socket()) {
          noise.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
          byte[] bytes = new byte[random.nextInt(16 * MAX_LINE)];
          random.nextBytes(bytes);
          for (int i = 0; i < bytes.length; i++) {
            if (random.nextInt(64) == 0) {
              bytes[i] = '\n';
            }
          }
          try {
            writeInRandomSplits(noise.getOutputStream(), bytes, random);
          } catch (IOException e) {
            // cut off for an overlong line while still writing
          }
        }
        alice.send("round " + round);
        bob.awaitLine(("[alice] round " + round)::equals);
      }

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 2);
      assertThat(escaped).isEmpty();
      assertThat(server.count("chat.input.rejected", "too_long")
          + server.count("chat.input.rejected", "invalid_utf8")).isPositive();
    }
  }

  private static TestServer start() throws Exception {
    return TestServer.start(Map.of(
        "CHAT_LIMITS_LINES_PER_SECOND", "0",
        "CHAT_LIMITS_MAX_LINE_BYTES", String.valueOf(MAX_LINE),
        "CHAT_LEGACY_FLUSH_MILLIS", "0"));
  }

  /** Everything thrown out of a handler on the server's event loops. */
  private static List<Throwable> escapes(TestServer server) {
    List<Throwable> escaped = new CopyOnWriteArrayList<>();
    server.vertx().exceptionHandler(escaped::add);
    return escaped;
  }

  private static byte[] garbageLine(Random random) {
    byte[] line = new byte[1 + random.nextInt(MAX_LINE - 1)];
    random.nextBytes(line);
    for (int i = 0; i < line.length; i++) {
      if (line[i] == '\n') {
        line[i] = '\r';
      }
    }
    line[0] = '#';
    return line;
  }

  private static void writeInRandomSplits(LineClient client, byte[] bytes, Random random) throws IOException {
    int at = 0;
    while (at < bytes.length) {
      int chunk = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 16 : 4 * MAX_LINE));
      client.sendRaw(java.util.Arrays.copyOfRange(bytes, at, at + chunk));
      at += chunk;
    }
  }

  private static void writeInRandomSplits(OutputStream out, byte[] bytes, Random random) throws IOException {
    int at = 0;
    while (at < bytes.length) {
      int chunk = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 16 : 4 * MAX_LINE));
      out.write(bytes, at, chunk);
      out.flush();
      at += chunk;
    }
  }
}
