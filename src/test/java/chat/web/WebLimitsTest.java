package chat.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.TestCertificates;
import chat.TestServer;
import chat.WebClient;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The web listener under the node's limits, timeouts, TLS and PROXY protocol settings. */
@Timeout(60)
class WebLimitsTest {

  @Test
  void aSilentConnectionIsClosedAtTheRegistrationTimeout() throws Exception {
    try (TestServer server = TestServer.start(Map.of("CHAT_LIMITS_REGISTRATION_TIMEOUT_SECONDS", "1"));
        WebClient quiet = WebClient.connect(server.webPort())) {
      quiet.expectType("prompt");
      JsonObject notice = quiet.expectType("notice");
      assertThat(notice.getString("code")).isEqualTo("registration_timeout");
      assertThat(quiet.expectType("closed").getInteger("code")).isEqualTo(1008);
      assertThat(server.count("chat.timeouts", "registration")).isEqualTo(1.0);
    }
  }

  @Test
  void aDrainTellsWebUsersAndClosesWith1001WhileTheirRoomSeesThemLeave() throws Exception {
    TestServer server = TestServer.start(Map.of("CHAT_SHUTDOWN_GRACE_SECONDS", "4"));
    try (WebClient ann = WebClient.register(server.webPort(), "ann");
        WebClient ben = WebClient.register(server.webPort(), "ben")) {
      ann.await(e -> e.getString("type").equals("joined") && e.getString("name").equals("ben"));
      server.drain().run();
      for (WebClient client : new WebClient[] {ann, ben}) {
        JsonObject notice = client.await(e -> e.getString("type").equals("notice"));
        assertThat(notice.getString("code")).isEqualTo("shutting_down");
        assertThat(client.await(e -> e.getString("type").equals("closed")).getInteger("code")).isEqualTo(1001);
      }
    }
  }

  @Test
  void theConnectionCapsCountWebSocketsAndRefuseBeforeTheUpgrade() throws Exception {
    try (TestServer server = TestServer.start(Map.of("CHAT_LIMITS_CONNECTIONS_PER_IP", "1"));
        WebClient first = WebClient.connect(server.webPort())) {
      first.expectType("prompt");
      assertThatThrownBy(() -> WebClient.connect(server.webPort())).hasMessageContaining("503");
      assertThat(server.count("chat.connections.refused", "per_ip")).isEqualTo(1.0);
    }
  }

  @Test
  void withTlsThePageAndTheSocketAreServedOverTls(@TempDir Path dir) throws Exception {
    TestCertificates certificates = TestCertificates.selfSigned(dir);
    try (TestServer server = TestServer.start(Map.of("CHAT_TLS_ENABLED", "true", "CHAT_TLS_PORT", "0",
        "CHAT_TLS_CERT_PATH", certificates.certPath().toString(),
        "CHAT_TLS_KEY_PATH", certificates.keyPath().toString()))) {
      try (SSLSocket socket = (SSLSocket) certificates.clientContext().getSocketFactory()
          .createSocket("127.0.0.1", server.webPort())) {
        assertThat(get(socket, "")).startsWith("HTTP/1.1 200");
      }
      try (WebClient secure = WebClient.connectTls(server.webPort())) {
        secure.expectType("prompt");
      }
    }
  }

  @Test
  void behindAProxyTheListenerReadsTheProxyHeader() throws Exception {
    try (TestServer server = TestServer.start(Map.of("CHAT_PROXY_PROTOCOL_ENABLED", "true"));
        Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.webPort()));
      String header = "PROXY TCP4 203.0.113.7 127.0.0.1 40000 " + server.webPort() + "\r\n";
      assertThat(get(socket, header)).startsWith("HTTP/1.1 200");
    }
  }

  private static String get(Socket socket, String prefix) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write((prefix + "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
