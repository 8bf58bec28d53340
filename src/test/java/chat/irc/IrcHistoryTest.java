package chat.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestServer;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A room's history for IRC clients: replay on JOIN, in a batch or as notices, and IRCv3 CHATHISTORY. */
@Timeout(60)
class IrcHistoryTest {

  private static final Pattern MSGID = Pattern.compile("msgid=([^; ]+)");

  private TestServer server;
  private LineClient line;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(Map.of("CHAT_IRC_SERVER_NAME", "irc.test", "CHAT_LOCALE", "en",
        "CHAT_HISTORY_REPLAY_LINES", "3"));
    line = LineClient.register(server.port(), "lina");
    for (String text : List.of("one", "two", "three", "four")) {
      line.send(text);
      line.awaitLine(("[lina] " + text)::equals);
    }
    line.send("/me waves");
    line.awaitLine("* lina waves"::equals);
  }

  @AfterEach
  void stop() throws Exception {
    line.close();
    server.close();
  }

  private LineClient irc(String nick, String... caps) throws Exception {
    LineClient client = LineClient.connect(server.ircPort());
    if (caps.length > 0) {
      client.send("CAP LS 302");
      client.send("CAP REQ :" + String.join(" ", caps));
      client.awaitLine(l -> l.contains(" ACK "));
    }
    client.send("NICK " + nick);
    client.send("USER " + nick + " 0 * :" + nick);
    if (caps.length > 0) {
      client.send("CAP END");
    }
    List<String> burst = client.awaitLine(l -> l.contains(" 422 ") || l.contains(" 376 "));
    assertThat(String.join("\n", burst)).contains("CHATHISTORY=100", "MSGREFTYPES=msgid,timestamp");
    return client;
  }

  @Test
  void aClientWithBatchAndServerTimeGetsTheReplayInAChathistoryBatch() throws Exception {
    LineClient ivan = irc("ivan", "batch", "server-time", "message-tags");
    ivan.send("JOIN #lobby");
    List<String> seen = stripped(ivan.awaitLine(l -> l.startsWith(":irc.test BATCH -")));
    int start = indexOf(seen, ":irc.test BATCH +");
    assertThat(start).as("a batch opens after the join").isGreaterThan(indexOf(seen, ":ivan!ivan@irc.test JOIN #lobby"));
    String ref = seen.get(start).split(" ")[2].substring(1);
    assertThat(seen.get(start)).isEqualTo(":irc.test BATCH +" + ref + " chathistory #lobby");
    List<String> lines = seen.subList(start + 1, seen.size() - 1);
    assertThat(lines).hasSize(3);
    assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("@").contains("batch=" + ref, "time=", "msgid="));
    assertThat(texts(lines)).containsExactly("three", "four", "\u0001ACTION waves\u0001");
    assertThat(IrcMessage.parse(lines.get(0)).source()).isEqualTo("lina!lina@irc.test");
    assertThat(seen.get(seen.size() - 1)).isEqualTo(":irc.test BATCH -" + ref);
  }

  @Test
  void aPlainClientGetsTheReplayAsTimedNotices() throws Exception {
    LineClient plain = irc("pat");
    plain.send("JOIN #lobby");
    List<String> seen = stripped(plain.awaitLine(l -> l.contains("* lina waves")));
    List<String> notices = seen.stream().filter(l -> l.startsWith(":irc.test NOTICE #lobby :")).toList();
    assertThat(notices).hasSize(3);
    assertThat(notices.get(0)).matches(":irc.test NOTICE #lobby :\\[\\d\\d:\\d\\d] <lina> three");
    assertThat(notices.get(2)).matches(":irc.test NOTICE #lobby :\\[\\d\\d:\\d\\d] \\* lina waves");
  }

  @Test
  void chathistoryAnswersLatestBeforeAfterAndAroundByMessageIdAndTime() throws Exception {
    LineClient ivan = irc("ivan", "batch", "server-time", "message-tags", "draft/chathistory");
    ivan.send("JOIN #lobby");
    ivan.awaitLine(l -> l.startsWith(":irc.test BATCH -"));

    List<String> latest = history(ivan, "CHATHISTORY LATEST #lobby * 10");
    assertThat(texts(latest)).containsExactly("one", "two", "three", "four", "\u0001ACTION waves\u0001");
    String twoId = msgid(latest.get(1));
    String fourId = msgid(latest.get(3));
    assertThat(texts(history(ivan, "CHATHISTORY BEFORE #lobby msgid=" + fourId + " 2"))).containsExactly("two", "three");
    assertThat(texts(history(ivan, "CHATHISTORY AFTER #lobby msgid=" + twoId + " 2"))).containsExactly("three", "four");
    assertThat(texts(history(ivan, "CHATHISTORY AROUND #lobby msgid=" + twoId + " 3")))
        .containsExactly("one", "two", "three");
    // Timestamps have millisecond precision, and a line sent in the same millisecond as "three" is not after it.
    String time = timeOf(latest.get(2));
    List<String> stampedLater = latest.stream().filter(l -> timeOf(l).compareTo(time) > 0).toList();
    assertThat(texts(history(ivan, "CHATHISTORY AFTER #lobby timestamp=" + time + " 5")))
        .containsExactlyElementsOf(texts(stampedLater));

    // Live lines carry the message id that CHATHISTORY takes.
    line.send("five");
    List<String> upToFive = stripped(ivan.awaitLine(l -> l.strip().endsWith("PRIVMSG #lobby five")));
    String live = upToFive.get(upToFive.size() - 1);
    assertThat(texts(history(ivan, "CHATHISTORY BEFORE #lobby msgid=" + msgid(live) + " 1")))
        .containsExactly("\u0001ACTION waves\u0001");

    ivan.send("CHATHISTORY LATEST #elsewhere * 10");
    assertThat(ivan.next().strip()).isEqualTo(":irc.test FAIL CHATHISTORY INVALID_TARGET LATEST #elsewhere "
        + ":No history of a channel you are not on");
    ivan.send("CHATHISTORY BETWEEN #lobby * * 10");
    assertThat(ivan.next().strip()).startsWith(":irc.test FAIL CHATHISTORY INVALID_PARAMS BETWEEN ");
    ivan.send("CHATHISTORY BEFORE #lobby * 10");
    assertThat(ivan.next().strip()).startsWith(":irc.test FAIL CHATHISTORY INVALID_PARAMS BEFORE ");
  }

  @Test
  void historyQueriesParseMessageIdsTimestampsAndLimits() {
    assertThat(IrcConnection.historyQuery(chat.core.RoomHistory.Query.Kind.BEFORE, "msgid=abc-lina", "5"))
        .isEqualTo(new chat.core.RoomHistory.Query(chat.core.RoomHistory.Query.Kind.BEFORE, -1,
            Long.parseLong("abc", 36), "lina", 5));
    assertThat(IrcConnection.historyQuery(chat.core.RoomHistory.Query.Kind.AFTER,
        "timestamp=2026-01-02T03:04:05.678Z", "1").atMicros()).isEqualTo(1767323045678999L);
    assertThat(IrcConnection.historyQuery(chat.core.RoomHistory.Query.Kind.BEFORE,
        "timestamp=2026-01-02T03:04:05.678Z", "1").atMicros()).isEqualTo(1767323045678000L);
    assertThat(IrcConnection.historyQuery(chat.core.RoomHistory.Query.Kind.LATEST, "*", "0")).isNull();
    assertThat(IrcConnection.historyQuery(chat.core.RoomHistory.Query.Kind.LATEST, "*", "x")).isNull();
    assertThat(IrcConnection.historyQuery(chat.core.RoomHistory.Query.Kind.AFTER, "*", "3")).isNull();
    assertThat(IrcConnection.historyQuery(chat.core.RoomHistory.Query.Kind.AFTER, "msgid=nodash", "3")).isNull();
    assertThat(IrcConnection.historyQuery(chat.core.RoomHistory.Query.Kind.AFTER, "timestamp=yesterday", "3")).isNull();
  }

  /** The lines of the batch that answers {@code command}. */
  private static List<String> history(LineClient client, String command) throws Exception {
    client.send(command);
    List<String> seen = stripped(client.awaitLine(l -> l.startsWith(":irc.test BATCH -")));
    int start = indexOf(seen, ":irc.test BATCH +");
    return seen.subList(start + 1, seen.size() - 1);
  }

  private static List<String> stripped(List<String> lines) {
    return lines.stream().map(String::strip).toList();
  }

  /** Each message's text, its last parameter. */
  private static List<String> texts(List<String> lines) {
    return lines.stream().map(l -> {
      List<String> params = IrcMessage.parse(l).params();
      return params.get(params.size() - 1);
    }).toList();
  }

  private static String timeOf(String line) {
    return line.replaceFirst(".*time=([^; ]+).*", "$1");
  }

  private static String msgid(String line) {
    Matcher m = MSGID.matcher(line);
    assertThat(m.find()).as("msgid in " + line).isTrue();
    return m.group(1);
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
