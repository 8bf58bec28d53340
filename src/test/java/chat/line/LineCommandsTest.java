package chat.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import chat.core.Command;
import chat.core.Command.Act;
import chat.core.Command.Help;
import chat.core.Command.Incomplete;
import chat.core.Command.Join;
import chat.core.Command.Nick;
import chat.core.Command.Quit;
import chat.core.Command.Rooms;
import chat.core.Command.Say;
import chat.core.Command.Unknown;
import chat.core.Command.Whisper;
import chat.core.Command.Who;
import chat.core.Effect;
import chat.core.Reply;
import chat.core.Request;
import chat.core.Session;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LineCommandsTest {

  private static final String ROOM = "dev";

  static Stream<Arguments> lines() {
    return Stream.of(
        // /help
        arguments("/help", new Help()),
        arguments("/HELP", new Help()),
        arguments("/help me please", new Help()),
        // /who [room]
        arguments("/who", new Who(ROOM)),
        arguments("/who   ", new Who(ROOM)),
        arguments("/who lobby", new Who("lobby")),
        arguments("/WhO Lobby", new Who("Lobby")),
        // /rooms
        arguments("/rooms", new Rooms()),
        arguments("/ROOMS", new Rooms()),
        // /join room
        arguments("/join lobby", new Join("lobby", true)),
        arguments("/JOIN Lobby", new Join("Lobby", true)),
        arguments("/join   lobby  ", new Join("lobby", true)),
        arguments("/join", new Incomplete("/join room")),
        arguments("/join   ", new Incomplete("/join room")),
        // /msg name text
        arguments("/msg bob hello there", new Whisper("bob", "hello there")),
        arguments("/MSG Bob hi", new Whisper("Bob", "hi")),
        arguments("/msg bob   two  spaces inside", new Whisper("bob", "two  spaces inside")),
        arguments("/msg bob", new Incomplete("/msg name text")),
        arguments("/msg bob   ", new Incomplete("/msg name text")),
        arguments("/msg", new Incomplete("/msg name text")),
        // /nick name
        arguments("/nick carol", new Nick("carol")),
        arguments("/Nick Carol", new Nick("Carol")),
        arguments("/nick", new Incomplete("/nick name")),
        // /me text
        arguments("/me waves hello", new Act(ROOM, "waves hello")),
        arguments("/ME waves", new Act(ROOM, "waves")),
        arguments("/me", new Incomplete("/me text")),
        // /quit
        arguments("/quit", new Quit()),
        arguments("/QUIT", new Quit()),
        arguments("/quit bye all", new Quit()),
        // anything else starting with /
        arguments("/dance", new Unknown("/dance")),
        arguments("/DANCE wildly", new Unknown("/dance")),
        arguments("/part dev", new Unknown("/part")),
        arguments("//join dev", new Unknown("//join")),
        arguments("/", new Unknown("/")),
        // not a command: said in the current room, as typed
        arguments("hello", new Say(ROOM, "hello")),
        arguments("  hello there  ", new Say(ROOM, "  hello there  ")),
        arguments(" /quit", new Say(ROOM, " /quit")),
        arguments("hello /quit", new Say(ROOM, "hello /quit")),
        arguments("안녕 😀", new Say(ROOM, "안녕 😀")));
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @MethodSource("lines")
  void linesParseToCommandsInTheCurrentRoom(String line, Command expected) {
    assertThat(LineCommands.parse(line, ROOM)).isEqualTo(expected);
  }

  // onLine: at the name prompt

  private static Session atPrompt() {
    Session session = new Session("line-1", 3, "lobby");
    session.start();
    return session;
  }

  private static Session aliceInLobby() {
    Session session = atPrompt();
    LineCommands.onLine(session, "Alice");
    session.onReserved(true);
    return session;
  }

  @Test
  void aNameAtThePromptIsReserved() {
    assertThat(LineCommands.onLine(atPrompt(), " Alice ")).containsExactly(new Effect.Reserve("alice"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/quit", "/QUIT ", "  /Quit  "})
  void quitAtThePromptCloses(String line) {
    Session session = atPrompt();

    assertThat(LineCommands.onLine(session, line)).containsExactly(new Effect.Close());
    assertThat(session.closed()).isTrue();
  }

  @ParameterizedTest(name = "[{index}] blank line")
  @ValueSource(strings = {"", " ", "   "})
  void blankLineAtThePromptPromptsAgain(String line) {
    assertThat(LineCommands.onLine(atPrompt(), line)).containsExactly(new Effect.Answer(new Reply.Prompt()));
  }

  @Test
  void aCommandAtThePromptIsAnInvalidName() {
    assertThat(LineCommands.onLine(atPrompt(), "/help")).startsWith(new Effect.NameRefused(false));
  }

  // onLine: registered

  @ParameterizedTest(name = "[{index}] blank line")
  @ValueSource(strings = {"", " ", "   "})
  void blankLinesOfARegisteredUserAreDropped(String line) {
    assertThat(LineCommands.onLine(aliceInLobby(), line)).isEmpty();
  }

  @Test
  void textOfARegisteredUserIsSaidInTheCurrentRoom() {
    assertThat(LineCommands.onLine(aliceInLobby(), "  hi all "))
        .containsExactly(new Effect.ToRooms(new Request.Say("alice", "lobby", "  hi all ")));
  }

  @Test
  void afterJoiningTheCurrentRoomIsTheNewOne() {
    Session session = aliceInLobby();

    assertThat(LineCommands.onLine(session, "/join Dev")).containsExactly(
        new Effect.ToRooms(new Request.Part("alice", "lobby")),
        new Effect.ToRooms(new Request.Join("alice", "dev")),
        new Effect.ToRooms(new Request.Topic("alice", "dev", null, true)));
    assertThat(LineCommands.onLine(session, "/who")).containsExactly(new Effect.ToRooms(new Request.Who("alice", "dev")));
    assertThat(LineCommands.onLine(session, "hi"))
        .containsExactly(new Effect.ToRooms(new Request.Say("alice", "dev", "hi")));
  }

  @Test
  void quitOfARegisteredUserLeavesReleasesAndCloses() {
    assertThat(LineCommands.onLine(aliceInLobby(), "/quit")).containsExactly(
        new Effect.ToRooms(new Request.Leave("alice")), new Effect.Release("alice"), new Effect.Close());
  }

  @Test
  void linesAfterClosingAreIgnored() {
    Session session = aliceInLobby();
    LineCommands.onLine(session, "/quit");

    assertThat(LineCommands.onLine(session, "hello")).isEmpty();
    assertThat(LineCommands.onLine(session, "/quit")).isEmpty();
  }
}
