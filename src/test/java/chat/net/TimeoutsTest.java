package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connections that never register or fall silent are reaped by their instance's sweep, with a notice first. */
@Timeout(90)
class TimeoutsTest {

  private static final Logger log = LoggerFactory.getLogger(TimeoutsTest.class);

  @Test
  void aClientThatNeverSendsAValidNameIsClosedWithANotice() throws Exception {
    try (TestServer server = TestServer.start(Map.of("CHAT_LIMITS_REGISTRATION_TIMEOUT_SECONDS", "1"));
        LineClient silent = LineClient.connect(server.port());
        LineClient invalid = LineClient.connect(server.port())) {
      silent.expect("ID");
      invalid.expect("ID");
      invalid.send("*bad*");

      List<String> silentGot = silent.awaitClose();
      List<String> invalidGot = invalid.awaitClose();

      assertThat(silentGot).hasSize(1);
      assertThat(silentGot.get(0)).startsWith("*** ").contains("1");
      assertThat(invalidGot.get(invalidGot.size() - 1)).startsWith("*** ").contains("1");
      assertThat(server.count("chat.timeouts", "registration")).isEqualTo(2.0);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
    }
  }

  @Test
  void aClientThatStopsReadingAndWritingIsReapedByTheIdleTimeoutWhileTalkersStay() throws Exception {
    try (TestServer server = TestServer.start(Map.of("CHAT_LIMITS_IDLE_TIMEOUT_SECONDS", "2"));
        Socket gone = new Socket();
        LineClient talker = LineClient.register(server.port(), "talker")) {
      gone.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
      gone.getOutputStream().write("gone\n".getBytes(StandardCharsets.UTF_8));
      talker.awaitLine("[gone] 접속"::equals);
      LineClient listener = LineClient.register(server.port(), "listener");
      long start = System.nanoTime();
      List<String> heard = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        LockSupport.parkNanos(start + i * 500_000_000L - System.nanoTime());
        talker.send("tick " + i);
        listener.send("tock " + i);
        // The two senders race each other into the room: wait for both lines in either order.
        String tick = "[talker] tick " + i;
        String tock = "[listener] tock " + i;
        List<String> got = listener.awaitLine(line -> line.equals(tick) || line.equals(tock));
        heard.addAll(got);
        heard.addAll(listener.awaitLine((got.contains(tick) ? tock : tick)::equals));
      }

      listener.close();
      // It read nothing while connected: everything it was sent, the notice last, waits in its socket buffer.
      List<String> goneGot = readToEnd(gone);

      assertThat(goneGot).startsWith("ID", "[gone] 접속", "[listener] 접속");
      assertThat(goneGot.get(goneGot.size() - 1)).startsWith("*** ").contains("2");
      assertThat(heard).contains("[gone] 접속 해제");
      assertThat(heard.stream().filter(l -> l.startsWith("[talker] tick ")))
          .containsExactly("[talker] tick 0", "[talker] tick 1", "[talker] tick 2", "[talker] tick 3",
              "[talker] tick 4", "[talker] tick 5", "[talker] tick 6", "[talker] tick 7");
      assertThat(server.count("chat.timeouts", "idle")).isEqualTo(1.0);
      assertThat(server.count("chat.timeouts", "registration")).isZero();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 1);
    }
  }

  @Test
  void twoThousandConnectionsThatNeverSpeakAreAllClosedByTheRegistrationTimeout() throws Exception {
    int count = 2000;
    try (TestServer server = TestServer.start(Map.of("CHAT_LIMITS_REGISTRATION_TIMEOUT_SECONDS", "2"));
        LineClient alice = LineClient.register(server.port(), "alice");
        LineClient bob = LineClient.register(server.port(), "bob")) {
      alice.awaitLine("[bob] 접속"::equals);
      List<Socket> mute = new ArrayList<>();
      try {
        for (int i = 0; i < count; i++) {
          Socket socket = new Socket();
          socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
          mute.add(socket);
          if (i % 200 == 0) {
            alice.send("while " + i);
          }
        }
        for (int i = 0; i < count; i += 200) {
          bob.awaitLine(("[alice] while " + i)::equals);
        }

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> server.openConnections() == 2);
        for (Socket socket : mute) {
          List<String> got = readToEnd(socket);
          assertThat(got).hasSize(2);
          assertThat(got.get(0)).isEqualTo("ID");
          assertThat(got.get(1)).startsWith("*** ");
        }
      } finally {
        for (Socket socket : mute) {
          socket.close();
        }
      }
      assertThat(server.count("chat.timeouts", "registration")).isEqualTo(count);
      alice.send("after");
      bob.awaitLine("[alice] after"::equals);
      log.info("{} mute connections reaped by the registration timeout", count);
    }
  }

  private static List<String> readToEnd(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[1024];
    int n;
    while ((n = in.read(buffer)) != -1) {
      bytes.write(buffer, 0, n);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }
}
