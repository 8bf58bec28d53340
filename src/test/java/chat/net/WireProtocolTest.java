package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The wire protocol of DESIGN.md section 2, one rule per test, against a real server on a free port. */
@Timeout(60)
class WireProtocolTest {

  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void originalTranscriptIsKeptByteForByte() throws Exception {
    try (LineClient alice = LineClient.connect(server.port());
        LineClient bob = LineClient.connect(server.port());
        LineClient carol = LineClient.connect(server.port())) {
      alice.expect("ID");
      alice.send("alice");
      alice.expect("[alice] 접속");

      bob.expect("ID");
      bob.send("alice");
      bob.expect("등록된 사용자");
      bob.expect("ID");
      bob.send("bob");
      bob.expect("[bob] 접속");
      alice.expect("[bob] 접속");

      carol.expect("ID");
      carol.send("  carol  ");
      carol.expect("[carol] 접속");
      alice.expect("[carol] 접속");
      bob.expect("[carol] 접속");

      bob.send("hello everyone");
      for (LineClient c : new LineClient[] {alice, bob, carol}) {
        c.expect("[bob] hello everyone");
      }

      bob.send("/quit");
      assertThat(bob.awaitClose()).isEmpty();
      alice.expect("[bob] 접속 해제");
      carol.expect("[bob] 접속 해제");

      carol.close();
      alice.expect("[carol] 접속 해제");
    }
  }

  @Test
  void clientThatNeverSendsNewlinesIsServedByTheIdleFlush() throws Exception {
    try (LineClient watcher = LineClient.register(server.port(), "watcher");
        LineClient legacy = LineClient.connect(server.port())) {
      legacy.expect("ID");
      legacy.sendRaw("old".getBytes(StandardCharsets.UTF_8));
      legacy.expect("[old] 접속");
      watcher.expect("[old] 접속");
      legacy.sendRaw("안녕하세요".getBytes(StandardCharsets.UTF_8));
      legacy.expect("[old] 안녕하세요");
      watcher.expect("[old] 안녕하세요");
      legacy.sendRaw("/quit".getBytes(StandardCharsets.UTF_8));
      legacy.awaitClose();
      watcher.expect("[old] 접속 해제");
    }
  }

  @Test
  void crlfLineEndingsAreAccepted() throws Exception {
    try (LineClient alice = LineClient.connect(server.port())) {
      alice.expect("ID");
      alice.sendRaw("alice\r\nhi there\r\n".getBytes(StandardCharsets.UTF_8));
      alice.expect("[alice] 접속");
      alice.expect("[alice] hi there");
    }
  }

  @Test
  void twoMessagesInOneWriteStayTwoMessages() throws Exception {
    try (LineClient alice = LineClient.register(server.port(), "alice")) {
      alice.sendRaw("first\nsecond\n".getBytes(StandardCharsets.UTF_8));
      alice.expect("[alice] first");
      alice.expect("[alice] second");
    }
  }

  @Test
  void blankLinesAreDroppedAndSurroundingWhitespaceKept() throws Exception {
    try (LineClient alice = LineClient.register(server.port(), "alice")) {
      alice.sendRaw("\n   \n\t\n  spaced out  \n".getBytes(StandardCharsets.UTF_8));
      alice.expect("[alice]   spaced out  ");
    }
  }

  @Test
  void blankLineAtThePromptIsAnsweredWithIdAlone() throws Exception {
    try (LineClient client = LineClient.connect(server.port())) {
      client.expect("ID");
      client.send("");
      client.expect("ID");
    }
  }

  @Test
  void invalidNameGetsANoticeThenIdAgain() throws Exception {
    try (LineClient client = LineClient.connect(server.port())) {
      client.expect("ID");
      for (String bad : new String[] {"bad name", "[x]", "*star", "/slash", "a".repeat(33), "zero\u200Dwidth"}) {
        client.send(bad);
        assertThat(client.next()).startsWith("*** ");
        client.expect("ID");
      }
      client.send("좋은이름");
      client.expect("[좋은이름] 접속");
    }
  }

  @Test
  void namesAreUniqueWhateverTheirCase() throws Exception {
    try (LineClient alice = LineClient.register(server.port(), "Alice");
        LineClient other = LineClient.connect(server.port())) {
      other.expect("ID");
      other.send("alice");
      other.expect("등록된 사용자");
      other.expect("ID");
      other.send("ALICE");
      other.expect("등록된 사용자");
      other.expect("ID");
    }
  }

  @Test
  void quitAtThePromptClosesTheConnection() throws Exception {
    try (LineClient client = LineClient.connect(server.port())) {
      client.expect("ID");
      client.send("/quit");
      assertThat(client.awaitClose()).isEmpty();
    }
  }

  @Test
  void controlCharactersAndEscapesAreRemovedBeforeAnyoneSeesThem() throws Exception {
    try (LineClient alice = LineClient.register(server.port(), "alice");
        LineClient bob = LineClient.register(server.port(), "bob")) {
      alice.expect("[bob] 접속");
      alice.send("\u001b[31mred\u0007 and\ttab\u0085");
      bob.expect("[alice] [31mred and tab");
      alice.expect("[alice] [31mred and tab");
    }
  }

  @Test
  void invalidUtf8IsRejectedWithANoticeToTheSenderOnly() throws Exception {
    try (LineClient alice = LineClient.register(server.port(), "alice");
        LineClient bob = LineClient.register(server.port(), "bob")) {
      alice.expect("[bob] 접속");
      alice.sendRaw(new byte[] {'b', 'a', 'd', (byte) 0xC3, (byte) 0x28, '\n'});
      assertThat(alice.next()).startsWith("*** ");
      alice.send("still here");
      alice.expect("[alice] still here");
      bob.expect("[alice] still here");
    }
  }

  @Test
  void overlongLineIsNeverRelayedAndClosesOnlyItsSender() throws Exception {
    try (LineClient alice = LineClient.register(server.port(), "alice");
        LineClient bob = LineClient.register(server.port(), "bob");
        LineClient mallory = LineClient.register(server.port(), "mallory")) {
      alice.awaitLine(l -> l.equals("[mallory] 접속"));
      bob.awaitLine(l -> l.equals("[mallory] 접속"));
      byte[] huge = new byte[1024 * 1024 + 1];
      java.util.Arrays.fill(huge, (byte) 'x');
      huge[huge.length - 1] = '\n';
      try {
        mallory.sendRaw(huge);
      } catch (java.io.IOException closedWhileWriting) {
        // the server may close before the whole megabyte is written; what arrived before is checked below
      }
      assertThat(mallory.awaitClose()).singleElement().asString().startsWith("*** ");
      alice.expect("[mallory] 접속 해제");
      bob.expect("[mallory] 접속 해제");
      bob.send("carry on");
      alice.expect("[bob] carry on");
      bob.expect("[bob] carry on");
    }
  }

  @Test
  void unfinishedLineIsProcessedWhenTheClientCloses() throws Exception {
    try (LineClient alice = LineClient.register(server.port(), "alice")) {
      try (LineClient bob = LineClient.register(server.port(), "bob")) {
        alice.expect("[bob] 접속");
        bob.sendRaw("last words".getBytes(StandardCharsets.UTF_8));
      }
      alice.expect("[bob] last words");
      alice.expect("[bob] 접속 해제");
    }
  }

  @Test
  void englishLocaleSwitchesTheFixedLines() throws Exception {
    try (TestServer en = TestServer.start(Map.of("CHAT_LOCALE", "en"));
        LineClient alice = LineClient.connect(en.port());
        LineClient other = LineClient.connect(en.port())) {
      alice.expect("ID");
      alice.send("alice");
      alice.expect("[alice] joined");
      other.expect("ID");
      other.send("alice");
      other.expect("name taken");
      other.expect("ID");
      other.send("bob");
      other.expect("[bob] joined");
      alice.expect("[bob] joined");
      other.send("/quit");
      alice.expect("[bob] left");
    }
  }
}
