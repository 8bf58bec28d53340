package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LaneSequences;
import chat.LineClient;
import chat.TestServer;
import chat.line.Texts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every answer to a connection's lines in the order of the lines, written in one write, on one node. */
@Timeout(60)
class LaneOrderTest {

  static Stream<LaneSequences.Case> cases() {
    return LaneSequences.cases(Texts.EN);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersArriveInLineOrder(LaneSequences.Case c) throws Exception {
    run(c, Map.of("CHAT_LOCALE", "en", "CHAT_LIMITS_LINES_PER_SECOND", "0"));
  }

  // Two lines at once, then one every 100 ms: most of each sequence waits in the flood queue.
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersArriveInLineOrderWhileFloodControlHoldsLines(LaneSequences.Case c) throws Exception {
    run(c, Map.of("CHAT_LOCALE", "en", "CHAT_LIMITS_LINES_PER_SECOND", "10", "CHAT_LIMITS_LINE_BURST", "2"));
  }

  // The close waits for the rooms to let the user go, so nothing the earlier lines caused is lost to it.
  @ParameterizedTest(name = "{0}")
  @MethodSource("quitters")
  void answersWrittenBeforeAQuitArriveBeforeTheClose(String name, String lines) throws Exception {
    try (TestServer server = TestServer.start(Map.of("CHAT_LOCALE", "en", "CHAT_LIMITS_LINES_PER_SECOND", "0"));
        LineClient watcher = LineClient.register(server.port(), "wat");
        LineClient sam = LineClient.register(server.port(), "sam")) {
      watcher.expect("[sam] joined");
      sam.sendRaw(lines.getBytes(StandardCharsets.UTF_8));
      assertThat(sam.awaitClose()).containsExactly(Texts.EN.who("lobby", List.of("wat", "sam")),
          Texts.EN.rooms(Map.of("lobby", 2)), Texts.EN.help(), "[sam] bye");
      watcher.expect("[sam] bye");
      watcher.expect("[sam] left");
    }
  }

  static Stream<Arguments> quitters() {
    return Stream.of(
        Arguments.of("/quit", "/who\n/rooms\n/help\nbye\n/quit\n"),
        Arguments.of("unterminated /quit, taken after the legacy pause", "/who\n/rooms\n/help\nbye\n/quit"));
  }

  private static void run(LaneSequences.Case c, Map<String, String> env) throws Exception {
    try (TestServer server = TestServer.start(env);
        LineClient sender = LineClient.register(server.port(), "sam");
        LineClient receiver = LineClient.register(server.port(), "rita")) {
      sender.expect("[rita] joined");
      LaneSequences.Users users = new LaneSequences.Users("sam", "rita", "lobby");
      LaneSequences.send(sender, c, users);
      LaneSequences.verify(c, users, sender, receiver);
    }
  }
}
