package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connection caps refuse with a notice, count the refusal, and leave connected users alone. */
@Timeout(60)
class ConnectionCapsTest {

  @Test
  void anAddressPastItsCapIsRefusedWithANoticeWhileOtherAddressesChatOn() throws Exception {
    try (TestServer server = TestServer.start(Map.of("CHAT_LIMITS_CONNECTIONS_PER_IP", "2"));
        LineClient alice = LineClient.register(server.port(), "alice");
        LineClient bob = LineClient.register(server.port(), "bob");
        LineClient first = LineClient.connectFrom("127.0.0.2", server.port());
        LineClient second = LineClient.connectFrom("127.0.0.2", server.port())) {
      first.expect("ID");
      second.expect("ID");

      List<String> refused = refusedAt("127.0.0.2", server.port());

      assertThat(refused).hasSize(1);
      assertThat(refused.get(0)).startsWith("*** ").contains("2");
      assertThat(server.count("chat.connections.refused", "per_ip")).isEqualTo(1.0);
      assertThat(server.count("chat.connections.refused", "max")).isZero();
      assertConversationFlows(alice, bob, 8);

      first.close();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 3);
      try (LineClient third = LineClient.connectFrom("127.0.0.2", server.port())) {
        third.expect("ID");
      }
    }
  }

  @Test
  void theNodeCapRefusesWithANoticeWhileConnectedUsersChatOn() throws Exception {
    try (TestServer server = TestServer.start(Map.of("CHAT_LIMITS_MAX_CONNECTIONS", "3"));
        LineClient alice = LineClient.register(server.port(), "alice");
        LineClient bob = LineClient.register(server.port(), "bob");
        LineClient idle = LineClient.connect(server.port())) {
      idle.expect("ID");

      List<String> refused = refusedAt("127.0.0.3", server.port());

      assertThat(refused).hasSize(1);
      assertThat(refused.get(0)).startsWith("*** ");
      assertThat(server.count("chat.connections.refused", "max")).isEqualTo(1.0);
      assertThat(server.openConnections()).isEqualTo(3);
      assertConversationFlows(alice, bob, 8);
    }
  }

  @Test
  void behindAProxyTheCapsSeeTheAddressFromTheProxyHeader() throws Exception {
    try (TestServer server = TestServer.start(Map.of(
            "CHAT_PROXY_PROTOCOL_ENABLED", "true", "CHAT_LIMITS_CONNECTIONS_PER_IP", "1"));
        LineClient alice = LineClient.over(proxied(server.port(), "127.0.0.7")).registerAs("alice");
        LineClient bob = LineClient.over(proxied(server.port(), "127.0.0.8")).registerAs("bob");
        LineClient again = LineClient.over(proxied(server.port(), "127.0.0.7"))) {

      List<String> refused = again.awaitClose();

      assertThat(refused).hasSize(1);
      assertThat(refused.get(0)).startsWith("*** ");
      assertThat(server.count("chat.connections.refused", "per_ip")).isEqualTo(1.0);
      assertConversationFlows(alice, bob, 5);
    }
  }

  /** Connects from {@code address} and returns what the server sent before closing. */
  private static List<String> refusedAt(String address, int port) throws IOException {
    try (LineClient refused = LineClient.connectFrom(address, port)) {
      List<String> lines = refused.awaitClose();
      assertThat(refused.closedByServer()).isTrue();
      return lines;
    }
  }

  /** A socket whose first bytes are a PROXY v1 header claiming {@code source} as the client's address. */
  private static java.net.Socket proxied(int port, String source) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setTcpNoDelay(true);
    String header = "PROXY TCP4 " + source + " 127.0.0.1 40000 " + port + "\r\n";
    socket.getOutputStream().write(header.getBytes(StandardCharsets.US_ASCII));
    return socket;
  }

  private static void assertConversationFlows(LineClient from, LineClient to, int messages) throws IOException {
    for (int i = 0; i < messages; i++) {
      from.send("message " + i);
    }
    List<String> received = new ArrayList<>(to.awaitLine(line -> line.endsWith("] message " + (messages - 1))));
    received.removeIf(line -> !line.contains("] message "));
    assertThat(received).hasSize(messages);
    for (int i = 0; i < messages; i++) {
      assertThat(received.get(i)).endsWith("] message " + i);
    }
  }
}
