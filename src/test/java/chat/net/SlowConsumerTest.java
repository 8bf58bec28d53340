package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class SlowConsumerTest {

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
}
