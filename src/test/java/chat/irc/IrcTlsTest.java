package chat.irc;

import chat.LineClient;
import chat.ServerProcess;
import chat.TestCertificates;
import chat.TestServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** With tls.enabled, IRC over TLS on irc.tlsPort, with the line listener's certificate, in the same rooms. */
@Timeout(60)
class IrcTlsTest {

  @TempDir
  static Path dir;
  private static TestCertificates certificates;
  private static TestServer server;
  private static int tlsPort;

  @BeforeAll
  static void start() throws Exception {
    certificates = TestCertificates.selfSigned(dir);
    tlsPort = ServerProcess.freePort();
    server = TestServer.start(Map.of(
        "CHAT_TLS_ENABLED", "true",
        "CHAT_TLS_PORT", "0",
        "CHAT_TLS_CERT_PATH", certificates.certPath().toString(),
        "CHAT_TLS_KEY_PATH", certificates.keyPath().toString(),
        "CHAT_IRC_TLS_PORT", String.valueOf(tlsPort),
        "CHAT_IRC_SERVER_NAME", "irc.test",
        "CHAT_LOCALE", "en"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void anIrcClientRegistersOverTlsAndChatsWithAPlainIrcClient() throws Exception {
    SSLSocket socket = (SSLSocket) certificates.clientContext().getSocketFactory().createSocket();
    socket.connect(new InetSocketAddress("127.0.0.1", tlsPort), 10_000);
    socket.startHandshake();
    try (LineClient secure = LineClient.over(socket);
        LineClient plain = LineClient.connect(server.ircPort())) {
      secure.ircRegisterAs("sam");
      plain.ircRegisterAs("pat");

      secure.send("JOIN #tls");
      secure.awaitLine(l -> l.strip().equals(":sam!sam@irc.test JOIN #tls"));
      plain.send("JOIN #tls");
      secure.awaitLine(l -> l.strip().equals(":pat!pat@irc.test JOIN #tls"));
      plain.send("PRIVMSG #tls :over tcp");
      secure.awaitLine(l -> l.strip().equals(":pat!pat@irc.test PRIVMSG #tls :over tcp"));
      secure.send("PRIVMSG #tls :over tls");
      plain.awaitLine(l -> l.strip().equals(":sam!sam@irc.test PRIVMSG #tls :over tls"));
      secure.send("QUIT :done");
      secure.awaitLine(l -> l.strip().startsWith("ERROR "));
      plain.awaitLine(l -> l.strip().equals(":sam!sam@irc.test QUIT :Quit: done"));
    }
  }
}
