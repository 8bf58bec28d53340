package chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.config.ChatConfig;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The web and IRC front-ends are on by default on fixed ports. A front-end left on its default port yields it when
 * another process holds it (several nodes on one host), and the node starts without it; a port given explicitly must
 * be bound, or the node does not start.
 */
@Timeout(60)
class FrontEndPortsTest {

  @Test
  void aFrontEndOnItsTakenDefaultPortIsSkippedAndTheNodeServesTheOthers() throws Exception {
    try (ServerSocket holder = holding(ChatConfig.Web.DEFAULT_PORT);
        TestServer server = TestServer.start(Map.of("CHAT_WEB_PORT", String.valueOf(ChatConfig.Web.DEFAULT_PORT),
            "CHAT_IRC_ENABLED", "false"));
        LineClient alice = LineClient.register(server.port(), "alice")) {
      assertThat(server.webPort()).isZero();
    }
  }

  @Test
  void aFrontEndOnAnExplicitTakenPortStopsTheStart() throws Exception {
    try (ServerSocket holder = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> TestServer.start(Map.of("CHAT_WEB_PORT", String.valueOf(holder.getLocalPort()),
          "CHAT_IRC_ENABLED", "false")).close())
          .hasStackTraceContaining("in use");
    }
  }

  // Held on every address; a port another process holds already serves the test as well.
  private static ServerSocket holding(int port) throws Exception {
    ServerSocket socket = new ServerSocket();
    try {
      socket.bind(new InetSocketAddress(port));
    } catch (java.net.BindException takenAlready) {
      assertThat(takenAlready).hasMessageContaining("in use");
    }
    return socket;
  }
}
