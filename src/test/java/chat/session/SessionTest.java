package chat.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import chat.protocol.Names.Problem;
import chat.protocol.Texts;
import chat.session.Effect.AskRooms;
import chat.session.Effect.AskWho;
import chat.session.Effect.Close;
import chat.session.Effect.Enter;
import chat.session.Effect.Leave;
import chat.session.Effect.Move;
import chat.session.Effect.Release;
import chat.session.Effect.Rename;
import chat.session.Effect.Reserve;
import chat.session.Effect.Send;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionTest {

  private static final Texts TEXTS = Texts.EN;
  private static final Send PROMPT = new Send(TEXTS.prompt());

  private static Session chattingAsAlice() {
    Session session = new Session(TEXTS);
    session.start();
    session.onLine("Alice");
    session.onReserved(true);
    return session;
  }

  // awaiting a name

  @Test
  void startSendsThePrompt() {
    assertThat(new Session(TEXTS).start()).containsExactly(PROMPT);
  }

  @ParameterizedTest(name = "[{index}] blank line")
  @ValueSource(strings = {"", " ", "    "})
  void blankLineAtThePromptIsAnsweredWithThePromptAlone(String line) {
    Session session = new Session(TEXTS);

    assertThat(session.onLine(line)).containsExactly(PROMPT);
    assertThat(session.awaitingReservation()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/quit", "/QUIT", "  /quit  "})
  void quitAtThePromptClosesWithoutLeaving(String line) {
    Session session = new Session(TEXTS);

    assertThat(session.onLine(line)).containsExactly(new Close());
    assertThat(session.registered()).isFalse();
    assertThat(session.onClosed()).isEmpty();
  }

  static Stream<Arguments> invalidNames() {
    return Stream.of(
        arguments("a b", Problem.BAD_CHARACTER),
        arguments("[admin]", Problem.BAD_CHARACTER),
        arguments("/help", Problem.BAD_CHARACTER),
        arguments("_alice", Problem.BAD_START),
        arguments("a".repeat(33), Problem.TOO_LONG));
  }

  @ParameterizedTest
  @MethodSource("invalidNames")
  void invalidNameGetsANoticeThenThePrompt(String line, Problem problem) {
    Session session = new Session(TEXTS);

    assertThat(session.onLine(line)).containsExactly(new Effect.NameRefused(false), new Send(TEXTS.invalidName(problem)), PROMPT);
    assertThat(session.awaitingReservation()).isFalse();
  }

  @Test
  void validNameIsReservedByItsKey() {
    Session session = new Session(TEXTS);

    assertThat(session.onLine("  Alice ")).containsExactly(new Reserve("alice"));
    assertThat(session.awaitingReservation()).isTrue();
    assertThat(session.registered()).isFalse();
  }

  @Test
  void takenNameIsRejectedAndPromptedAgain() {
    Session session = new Session(TEXTS);
    session.onLine("Alice");

    assertThat(session.onReserved(false)).containsExactly(new Effect.NameRefused(true), new Send(TEXTS.nameTaken()), PROMPT);
    assertThat(session.awaitingReservation()).isFalse();
    assertThat(session.registered()).isFalse();
    assertThat(session.onLine("Bob")).containsExactly(new Reserve("bob"));
  }

  @Test
  void wonReservationEntersTheLobby() {
    Session session = new Session(TEXTS);
    session.onLine("Alice");

    assertThat(session.onReserved(true)).containsExactly(new Enter("Alice", "alice", Session.LOBBY));
    assertThat(session.registered()).isTrue();
    assertThat(session.name()).isEqualTo("Alice");
    assertThat(session.room()).isEqualTo("lobby");
    assertThat(session.awaitingReservation()).isFalse();
  }

  @Test
  void invalidUtf8AtThePromptGetsANoticeThenThePrompt() {
    assertThat(new Session(TEXTS).onInvalidUtf8()).containsExactly(new Send(TEXTS.invalidUtf8()), PROMPT);
  }

  // chatting

  static Stream<Arguments> chattingLines() {
    return Stream.of(
        arguments("hello", List.of(new Effect.Say("alice", "hello"))),
        arguments("  spaced out  ", List.of(new Effect.Say("alice", "  spaced out  "))),
        arguments(" /quit", List.of(new Effect.Say("alice", " /quit"))),
        arguments("", List.of()),
        arguments("   ", List.of()),
        arguments("/me waves", List.of(new Effect.Act("alice", "waves"))),
        arguments("/help", List.of(new Send(TEXTS.help()))),
        arguments("/who", List.of(new AskWho("lobby"))),
        arguments("/who Dev", List.of(new AskWho("dev"))),
        arguments("/who [x]", List.of(new Send(TEXTS.invalidRoom(Problem.BAD_CHARACTER)))),
        arguments("/rooms", List.of(new AskRooms())),
        arguments("/join Dev", List.of(new Move("alice", "dev"))),
        arguments("/join lobby", List.of(new Send(TEXTS.alreadyInRoom("lobby")))),
        arguments("/JOIN Lobby", List.of(new Send(TEXTS.alreadyInRoom("lobby")))),
        arguments("/join _dev", List.of(new Send(TEXTS.invalidRoom(Problem.BAD_START)))),
        arguments("/join a*b", List.of(new Send(TEXTS.invalidRoom(Problem.BAD_CHARACTER)))),
        arguments("/msg Bob hello there", List.of(new Effect.Whisper("Alice", "alice", "bob", "Bob", "hello there"))),
        arguments("/msg b*b hi", List.of(new Send(TEXTS.noSuchUser("b*b")))),
        arguments("/nick Alice", List.of(new Send(TEXTS.nameInUse("Alice")))),
        arguments("/nick ALICE", List.of(new Rename("alice", "ALICE", "alice"))),
        arguments("/nick Carol", List.of(new Reserve("carol"))),
        arguments("/nick _carol", List.of(new Effect.NameRefused(false), new Send(TEXTS.invalidName(Problem.BAD_START)))),
        arguments("/dance", List.of(new Send(TEXTS.unknownCommand("/dance")))),
        arguments("/join", List.of(new Send(TEXTS.usage("/join room")))),
        arguments("/msg bob", List.of(new Send(TEXTS.usage("/msg name text")))),
        arguments("/nick", List.of(new Send(TEXTS.usage("/nick name")))),
        arguments("/me", List.of(new Send(TEXTS.usage("/me text")))),
        arguments("/quit", List.of(new Leave("alice"), new Release("alice"), new Close())));
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @MethodSource("chattingLines")
  void chattingLinesBecomeEffects(String line, List<Effect> expected) {
    assertThat(chattingAsAlice().onLine(line)).containsExactlyElementsOf(expected);
  }

  @Test
  void joiningChangesTheRoomUsedByLaterCommands() {
    Session session = chattingAsAlice();
    session.onLine("/join Dev");

    assertThat(session.room()).isEqualTo("dev");
    assertThat(session.onLine("/who")).containsExactly(new AskWho("dev"));
    assertThat(session.onLine("/join dev")).containsExactly(new Send(TEXTS.alreadyInRoom("dev")));
    assertThat(session.onLine("/join lobby")).containsExactly(new Move("alice", "lobby"));
  }

  @Test
  void invalidRoomKeepsTheRoom() {
    Session session = chattingAsAlice();
    session.onLine("/join _dev");

    assertThat(session.room()).isEqualTo("lobby");
  }

  @Test
  void caseOnlyNickChangeRenamesWithoutReservation() {
    Session session = chattingAsAlice();
    session.onLine("/nick ALICE");

    assertThat(session.awaitingReservation()).isFalse();
    assertThat(session.name()).isEqualTo("ALICE");
    assertThat(session.onLine("hi")).containsExactly(new Effect.Say("alice", "hi"));
  }

  @Test
  void wonNickRenamesAndReleasesTheOldName() {
    Session session = chattingAsAlice();
    session.onLine("/nick Carol");

    assertThat(session.awaitingReservation()).isTrue();
    assertThat(session.onReserved(true)).containsExactly(new Rename("alice", "Carol", "carol"), new Release("alice"));
    assertThat(session.awaitingReservation()).isFalse();
    assertThat(session.name()).isEqualTo("Carol");
    assertThat(session.onLine("hi")).containsExactly(new Effect.Say("carol", "hi"));
    assertThat(session.onClosed()).containsExactly(new Leave("carol"), new Release("carol"));
  }

  @Test
  void lostNickGetsANoticeAndKeepsTheOldName() {
    Session session = chattingAsAlice();
    session.onLine("/nick Carol");

    assertThat(session.onReserved(false)).containsExactly(new Effect.NameRefused(true), new Send(TEXTS.nameInUse("Carol")));
    assertThat(session.awaitingReservation()).isFalse();
    assertThat(session.name()).isEqualTo("Alice");
    assertThat(session.onLine("hi")).containsExactly(new Effect.Say("alice", "hi"));
    assertThat(session.onClosed()).containsExactly(new Leave("alice"), new Release("alice"));
  }

  @Test
  void invalidUtf8WhileChattingGetsANoticeOnly() {
    assertThat(chattingAsAlice().onInvalidUtf8()).containsExactly(new Send(TEXTS.invalidUtf8()));
  }

  // closing

  @Test
  void afterQuitNothingMoreHappens() {
    Session session = chattingAsAlice();
    session.onLine("/quit");

    assertThat(session.onLine("hello")).isEmpty();
    assertThat(session.onInvalidUtf8()).isEmpty();
    assertThat(session.onClosed()).isEmpty();
  }

  @Test
  void droppedConnectionWhileChattingLeavesAndReleases() {
    assertThat(chattingAsAlice().onClosed()).containsExactly(new Leave("alice"), new Release("alice"));
  }

  @Test
  void droppedConnectionBeforeRegistrationDoesNothing() {
    Session session = new Session(TEXTS);
    session.start();

    assertThat(session.onClosed()).isEmpty();
  }

  @Test
  void droppedConnectionAfterATakenNameDoesNothing() {
    Session session = new Session(TEXTS);
    session.onLine("Alice");
    session.onReserved(false);

    assertThat(session.onClosed()).isEmpty();
  }

  @Test
  void closingWhileANameIsBeingReservedIsAProgrammingError() {
    Session session = new Session(TEXTS);
    session.onLine("Alice");

    assertThatThrownBy(session::onClosed).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingWhileANickIsBeingReservedIsAProgrammingError() {
    Session session = chattingAsAlice();
    session.onLine("/nick Carol");

    assertThatThrownBy(session::onClosed).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aLineWhileAwaitingAReservationIsAProgrammingError() {
    Session session = new Session(TEXTS);
    session.onLine("Alice");

    assertThatThrownBy(() -> session.onLine("hello")).isInstanceOf(IllegalStateException.class);
  }
}
