package chat.net;

import chat.LaneSequences;
import chat.LineClient;
import chat.TestServer;
import chat.line.Texts;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
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
