package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestCertificates;
import chat.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The TLS listener speaks the same protocol as the plain one, on the same instances and in the same rooms. */
@Timeout(60)
class TlsTest {

  @TempDir
  static Path dir;
  private static TestCertificates certificates;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    certificates = TestCertificates.selfSigned(dir);
    server = TestServer.start(Map.of(
        "CHAT_TLS_ENABLED", "true",
        "CHAT_TLS_PORT", "0",
        "CHAT_TLS_CERT_PATH", certificates.certPath().toString(),
        "CHAT_TLS_KEY_PATH", certificates.keyPath().toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void aTlsClientAndAPlainClientChatInOneRoom() throws Exception {
    try (LineClient secure = LineClient.over(tls()).registerAs("secure");
        LineClient plain = LineClient.register(server.port(), "plain")) {
      secure.awaitLine("[plain] 접속"::equals);

      secure.send("over tls");
      plain.awaitLine("[secure] over tls"::equals);
      plain.send("over tcp");
      secure.awaitLine("[secure] over tls"::equals);
      secure.expect("[plain] over tcp");
      secure.send("/msg plain 비밀");
      plain.awaitLine("[secure → plain] 비밀"::equals);
      secure.send("/quit");
      plain.awaitLine("[secure] 접속 해제"::equals);
    }
  }

  @Test
  void plainTextOnTheTlsPortIsDroppedAndHarmsNobody() throws Exception {
    try (LineClient secure = LineClient.over(tls()).registerAs("sure");
        Socket confused = new Socket()) {
      confused.connect(new InetSocketAddress("127.0.0.1", server.tlsPort()), 10_000);
      confused.setSoTimeout(10_000);
      confused.getOutputStream().write("alice\nhello\n".getBytes(StandardCharsets.UTF_8));

      assertThat(readsToEnd(confused)).isTrue();
      secure.send("still fine");
      secure.awaitLine("[sure] still fine"::equals);
    }
  }

  private static SSLSocket tls() throws IOException {
    SSLSocket socket = (SSLSocket) certificates.clientContext().getSocketFactory().createSocket();
    socket.connect(new InetSocketAddress("127.0.0.1", server.tlsPort()), 10_000);
    socket.setTcpNoDelay(true);
    socket.startHandshake();
    return socket;
  }

  /** True once the server has closed the connection (an end of stream or a reset). */
  private static boolean readsToEnd(Socket socket) {
    try {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[1024];
      while (in.read(buffer) != -1) {
        // the server's TLS alert, if any
      }
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
