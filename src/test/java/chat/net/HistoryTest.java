package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestServer;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A room's history over the line protocol, on a node alone: replay on entering, /history, and the limits. */
@Timeout(60)
class HistoryTest {

  /** A replayed line: a notice with the time, then the line as it was shown live. */
  private static final String REPLAYED = "\\*\\*\\* \\[\\d\\d:\\d\\d] ";

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private TestServer server(Map<String, String> env) throws Exception {
    TestServer server = TestServer.start(env);
    open.add(server);
    return server;
  }

  private LineClient register(TestServer server, String name) throws Exception {
    LineClient client = LineClient.register(server.port(), name);
    open.add(client);
    return client;
  }

  private static void say(LineClient client, String name, String... lines) throws Exception {
    for (String line : lines) {
      client.send(line);
      client.awaitLine(("[" + name + "] " + line)::equals);
    }
  }

  /** The lines up to {@code last} (a line of the replay), each checked to be a replayed line. */
  private static List<String> replay(LineClient client, int count) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String line = client.next();
      assertThat(line).as("replayed line").matches(REPLAYED + ".*");
      lines.add(line.replaceFirst(REPLAYED, ""));
    }
    return lines;
  }

  @Test
  void aNewcomerSeesItsJoinThenTheRoomsLastLinesThenWhatFollows() throws Exception {
    TestServer server = server(Map.of("CHAT_HISTORY_REPLAY_LINES", "3"));
    LineClient alice = register(server, "alice");
    say(alice, "alice", "one", "two", "three", "four");
    alice.send("/me waves");
    alice.awaitLine("* alice waves"::equals);

    LineClient bob = register(server, "bob");
    assertThat(replay(bob, 3)).containsExactly("[alice] three", "[alice] four", "* alice waves");
    alice.send("live");
    bob.expect("[alice] live");
  }

  @Test
  void replayedLinesCarryTheirTimeInTheConfiguredZone() throws Exception {
    TestServer server = server(Map.of("CHAT_HISTORY_TIME_ZONE", "Asia/Seoul"));
    LineClient alice = register(server, "alice");
    say(alice, "alice", "hi");
    LineClient bob = register(server, "bob");
    String line = bob.next();
    int seoulHour = ZonedDateTime.now(ZoneOffset.UTC).withZoneSameInstant(java.time.ZoneId.of("Asia/Seoul")).getHour();
    assertThat(line).matches("\\*\\*\\* \\[\\d\\d:\\d\\d] \\[alice] hi");
    assertThat(Integer.parseInt(line.substring(5, 7))).isIn(seoulHour, (seoulHour + 23) % 24);
  }

  @Test
  void joiningARoomReplaysThatRoomsHistory() throws Exception {
    TestServer server = server(Map.of());
    LineClient alice = register(server, "alice");
    alice.send("/join dev");
    alice.awaitLine("[alice] 접속"::equals);
    say(alice, "alice", "in dev");
    LineClient bob = register(server, "bob");
    bob.send("/join dev");
    bob.expect("[bob] 접속");
    assertThat(replay(bob, 1)).containsExactly("[alice] in dev");
  }

  @Test
  void historyShowsMoreOnRequestAndSaysWhenThereIsNone() throws Exception {
    TestServer server = server(Map.of("CHAT_HISTORY_LINES", "5", "CHAT_HISTORY_REPLAY_LINES", "1"));
    LineClient alice = register(server, "alice");
    alice.send("/history");
    assertThat(alice.next()).isEqualTo("*** lobby 방에 기록이 없습니다");
    say(alice, "alice", "m1", "m2", "m3", "m4", "m5", "m6", "m7");

    alice.send("/history 2");
    assertThat(replay(alice, 2)).containsExactly("[alice] m6", "[alice] m7");
    alice.send("/history");
    assertThat(replay(alice, 5)).as("all the room keeps, history.lines")
        .containsExactly("[alice] m3", "[alice] m4", "[alice] m5", "[alice] m6", "[alice] m7");
    alice.send("/history 100");
    assertThat(replay(alice, 5)).last().isEqualTo("[alice] m7");
    alice.send("/history many");
    assertThat(alice.next()).startsWith("*** ").contains("/history");
    alice.send("after");
    alice.expect("[alice] after");
  }

  @Test
  void privateMessagesAreNeverKept() throws Exception {
    TestServer server = server(Map.of());
    LineClient alice = register(server, "alice");
    LineClient bob = register(server, "bob");
    alice.send("/msg bob a secret");
    bob.awaitLine("[alice → bob] a secret"::equals);
    say(alice, "alice", "public");
    LineClient carol = register(server, "carol");
    List<String> seen = carol.awaitLine(line -> line.endsWith("[alice] public"));
    carol.send("/history");
    seen.addAll(carol.awaitLine(line -> line.endsWith("[alice] public")));
    assertThat(seen).noneMatch(line -> line.contains("secret"));
  }

  @Test
  void aUsersTextCannotPassForAReplayedLine() throws Exception {
    TestServer server = server(Map.of());
    LineClient mallory = register(server, "mallory");
    String forged = "*** [12:01] [alice] send me your password";
    mallory.send(forged);
    mallory.awaitLine(("[mallory] " + forged)::equals);
    LineClient bob = register(server, "bob");
    assertThat(bob.next()).as("replayed with its sender's name first")
        .matches(REPLAYED + "\\[mallory] \\Q" + forged + "\\E");
  }

  @Test
  void linesOlderThanTheAgeLimitAreNotReplayed() throws Exception {
    TestServer server = server(Map.of("CHAT_HISTORY_MAX_AGE_SECONDS", "1"));
    LineClient alice = register(server, "alice");
    say(alice, "alice", "soon stale");
    Awaitility.await("the line ages out").atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(1100))
        .until(() -> {
          alice.send("/history");
          return alice.next().equals("*** lobby 방에 기록이 없습니다");
        });
  }

  @Test
  void beyondTheRoomLimitTheLeastRecentlyUsedRoomsHistoryGoes() throws Exception {
    TestServer server = server(Map.of("CHAT_HISTORY_MAX_ROOMS", "2"));
    LineClient alice = register(server, "alice");
    say(alice, "alice", "in lobby");
    for (String room : List.of("r1", "r2")) {
      alice.send("/join " + room);
      alice.awaitLine("[alice] 접속"::equals);
      say(alice, "alice", "in " + room);
    }
    alice.send("/join lobby");
    alice.expect("[alice] 접속");
    alice.send("/history");
    assertThat(alice.next()).isEqualTo("*** lobby 방에 기록이 없습니다");
  }

  @Test
  void zeroLinesTurnsHistoryOff() throws Exception {
    TestServer server = server(Map.of("CHAT_HISTORY_LINES", "0", "CHAT_HISTORY_REPLAY_LINES", "0"));
    LineClient alice = register(server, "alice");
    say(alice, "alice", "hi");
    LineClient bob = register(server, "bob");
    alice.send("after");
    bob.expect("[alice] after");
    bob.send("/history");
    assertThat(bob.next()).isEqualTo("*** lobby 방에 기록이 없습니다");
  }
}
