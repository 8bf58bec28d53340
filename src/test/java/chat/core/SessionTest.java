package chat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import chat.core.Names.Problem;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionTest {

  private static final String INSTANCE = "line-1";
  private static final long CONNECTION = 7;
  private static final Effect PROMPT = answer(new Reply.Prompt());

  private static Effect answer(Reply reply) {
    return new Effect.Answer(reply);
  }

  private static Effect toRooms(Request request) {
    return new Effect.ToRooms(request);
  }

  private static Session lineUser() {
    return new Session(INSTANCE, CONNECTION, "lobby");
  }

  /** A user of a front-end without a current room, such as IRC: registered in no room. */
  private static Session roomlessUser() {
    return new Session(INSTANCE, CONNECTION, null);
  }

  private static Session registered(Session session, String name) {
    session.start();
    session.register(name);
    session.onReserved(true);
    return session;
  }

  private static Session aliceInLobby() {
    return registered(lineUser(), "Alice");
  }

  private static Session roomlessAlice() {
    return registered(roomlessUser(), "Alice");
  }

  // awaiting a name

  @Test
  void startAsksForAName() {
    assertThat(lineUser().start()).containsExactly(PROMPT);
  }

  @ParameterizedTest(name = "[{index}] blank line")
  @ValueSource(strings = {"", " ", "    ", "\t"})
  void blankNameIsAnsweredWithThePromptAlone(String line) {
    Session session = lineUser();

    assertThat(session.register(line)).containsExactly(PROMPT);
    assertThat(session.awaitingReservation()).isFalse();
  }

  static Stream<Arguments> invalidNames() {
    return Stream.of(
        arguments("a b", "a b", Problem.BAD_CHARACTER),
        arguments("[admin]", "[admin]", Problem.BAD_CHARACTER),
        arguments("/help", "/help", Problem.BAD_CHARACTER),
        arguments(" _alice ", "_alice", Problem.BAD_START),
        arguments("a".repeat(33), "a".repeat(33), Problem.TOO_LONG));
  }

  @ParameterizedTest(name = "\"{0}\" -> {2}")
  @MethodSource("invalidNames")
  void invalidNameIsRefusedExplainedAndPromptedAgain(String offered, String shown, Problem problem) {
    Session session = lineUser();

    assertThat(session.register(offered)).containsExactly(
        new Effect.NameRefused(false), answer(new Reply.InvalidName(shown, problem)), PROMPT);
    assertThat(session.awaitingReservation()).isFalse();
    assertThat(session.registered()).isFalse();
  }

  @Test
  void validNameIsReservedByItsKey() {
    Session session = lineUser();

    assertThat(session.register("  Alice ")).containsExactly(new Effect.Reserve("alice"));
    assertThat(session.awaitingReservation()).isTrue();
    assertThat(session.registered()).isFalse();
  }

  @Test
  void takenNameIsRejectedAndPromptedAgain() {
    Session session = lineUser();
    session.register("Alice");

    assertThat(session.onReserved(false)).containsExactly(
        new Effect.NameRefused(true), answer(new Reply.NameTaken("Alice")), PROMPT);
    assertThat(session.awaitingReservation()).isFalse();
    assertThat(session.registered()).isFalse();
    assertThat(session.register("Bob")).containsExactly(new Effect.Reserve("bob"));
  }

  @Test
  void wonReservationEntersTheRoomsThenJoinsTheFirstRoom() {
    Session session = lineUser();
    session.register("Alice");

    assertThat(session.onReserved(true)).containsExactly(
        toRooms(new Request.Enter(new Member("Alice", "alice", INSTANCE, CONNECTION))),
        toRooms(new Request.Join("alice", "lobby")));
    assertThat(session.registered()).isTrue();
    assertThat(session.name()).isEqualTo("Alice");
    assertThat(session.key()).isEqualTo("alice");
    assertThat(session.rooms()).containsExactly("lobby");
    assertThat(session.awaitingReservation()).isFalse();
  }

  @Test
  void withoutAFirstRoomRegistrationEntersNoRoom() {
    Session session = roomlessUser();
    session.register("Alice");

    assertThat(session.onReserved(true)).containsExactly(
        toRooms(new Request.Enter(new Member("Alice", "alice", INSTANCE, CONNECTION))));
    assertThat(session.rooms()).isEmpty();
  }

  @Test
  void quitAtThePromptClosesWithoutLeaving() {
    Session session = lineUser();

    assertThat(session.onCommand(new Command.Quit())).containsExactly(new Effect.Close());
    assertThat(session.closed()).isTrue();
    assertThat(session.onClosed()).isEmpty();
  }

  @Test
  void anyOtherCommandAtThePromptIsAProgrammingError() {
    assertThatThrownBy(() -> lineUser().onCommand(new Command.Help())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void invalidUtf8AtThePromptIsExplainedThenPromptedAgain() {
    assertThat(lineUser().onInvalidUtf8()).containsExactly(answer(new Reply.InvalidUtf8()), PROMPT);
  }

  // chatting

  static Stream<Arguments> chattingCommands() {
    return Stream.of(
        arguments(new Command.Say("lobby", "  spaced out  "),
            List.of(toRooms(new Request.Say("alice", "lobby", "  spaced out  ")))),
        arguments(new Command.Say("Lobby", "hi"), List.of(toRooms(new Request.Say("alice", "lobby", "hi")))),
        arguments(new Command.Act("lobby", "waves"), List.of(toRooms(new Request.Act("alice", "lobby", "waves")))),
        arguments(new Command.Help(), List.of(answer(new Reply.Help()))),
        arguments(new Command.Who("lobby"), List.of(toRooms(new Request.Who("alice", "lobby")))),
        arguments(new Command.Who("Dev"), List.of(toRooms(new Request.Who("alice", "dev")))),
        arguments(new Command.Who("[x]"), List.of(answer(new Reply.InvalidRoom("[x]", Problem.BAD_CHARACTER)))),
        arguments(new Command.Rooms(), List.of(toRooms(new Request.Rooms("alice")))),
        arguments(new Command.Join("Dev", true),
            List.of(toRooms(new Request.Part("alice", "lobby")), toRooms(new Request.Join("alice", "dev")),
                toRooms(new Request.Topic("alice", "dev", null, true)))),
        arguments(new Command.Join("lobby", true), List.of(answer(new Reply.AlreadyInRoom("lobby")))),
        arguments(new Command.Join("Lobby", true), List.of(answer(new Reply.AlreadyInRoom("lobby")))),
        arguments(new Command.Join("_dev", true), List.of(answer(new Reply.InvalidRoom("_dev", Problem.BAD_START)))),
        arguments(new Command.Join("a*b", true), List.of(answer(new Reply.InvalidRoom("a*b", Problem.BAD_CHARACTER)))),
        arguments(new Command.Whisper("Bob", "hello there"),
            List.of(toRooms(new Request.Whisper("alice", "bob", "Bob", "hello there", false)))),
        arguments(new Command.Whisper("b*b", "hi"), List.of(answer(new Reply.NoSuchUser("b*b")))),
        arguments(new Command.Nick("Alice"), List.of(answer(new Reply.NameInUse("Alice")))),
        arguments(new Command.Nick("ALICE"), List.of(toRooms(new Request.Rename("alice", "ALICE", "alice")))),
        arguments(new Command.Nick("Carol"), List.of(new Effect.Reserve("carol"))),
        arguments(new Command.Nick("_carol"),
            List.of(new Effect.NameRefused(false), answer(new Reply.InvalidName("_carol", Problem.BAD_START)))),
        arguments(new Command.Unknown("/dance"), List.of(answer(new Reply.UnknownCommand("/dance")))),
        arguments(new Command.Incomplete("/join room"), List.of(answer(new Reply.Usage("/join room")))),
        arguments(new Command.Quit(),
            List.of(toRooms(new Request.Leave("alice")), new Effect.Release("alice"), new Effect.Close())));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("chattingCommands")
  void chattingCommandsBecomeEffects(Command command, List<Effect> expected) {
    assertThat(aliceInLobby().onCommand(command)).containsExactlyElementsOf(expected);
  }

  @Test
  void movingChangesTheRoomUsedByLaterCommands() {
    Session session = aliceInLobby();
    session.onCommand(new Command.Join("Dev", true));

    assertThat(session.rooms()).containsExactly("dev");
    assertThat(session.onCommand(new Command.Join("dev", true))).containsExactly(answer(new Reply.AlreadyInRoom("dev")));
    assertThat(session.onCommand(new Command.Join("lobby", true))).containsExactly(
        toRooms(new Request.Part("alice", "dev")), toRooms(new Request.Join("alice", "lobby")),
        toRooms(new Request.Topic("alice", "lobby", null, true)));
  }

  @Test
  void invalidRoomKeepsTheRooms() {
    Session session = aliceInLobby();
    session.onCommand(new Command.Join("_dev", true));

    assertThat(session.rooms()).containsExactly("lobby");
  }

  @Test
  void caseOnlyNickChangeRenamesWithoutReservation() {
    Session session = aliceInLobby();
    session.onCommand(new Command.Nick("ALICE"));

    assertThat(session.awaitingReservation()).isFalse();
    assertThat(session.name()).isEqualTo("ALICE");
    assertThat(session.key()).isEqualTo("alice");
    assertThat(session.onCommand(new Command.Say("lobby", "hi")))
        .containsExactly(toRooms(new Request.Say("alice", "lobby", "hi")));
  }

  @Test
  void wonNickRenamesAndReleasesTheOldName() {
    Session session = aliceInLobby();
    session.onCommand(new Command.Nick("Carol"));

    assertThat(session.awaitingReservation()).isTrue();
    assertThat(session.onReserved(true)).containsExactly(
        toRooms(new Request.Rename("alice", "Carol", "carol")), new Effect.Release("alice"));
    assertThat(session.awaitingReservation()).isFalse();
    assertThat(session.name()).isEqualTo("Carol");
    assertThat(session.onCommand(new Command.Say("lobby", "hi")))
        .containsExactly(toRooms(new Request.Say("carol", "lobby", "hi")));
    assertThat(session.onClosed()).containsExactly(toRooms(new Request.Leave("carol")), new Effect.Release("carol"));
  }

  @Test
  void lostNickIsRefusedAndKeepsTheOldName() {
    Session session = aliceInLobby();
    session.onCommand(new Command.Nick("Carol"));

    assertThat(session.onReserved(false)).containsExactly(
        new Effect.NameRefused(true), answer(new Reply.NameInUse("Carol")));
    assertThat(session.awaitingReservation()).isFalse();
    assertThat(session.name()).isEqualTo("Alice");
    assertThat(session.onCommand(new Command.Say("lobby", "hi")))
        .containsExactly(toRooms(new Request.Say("alice", "lobby", "hi")));
    assertThat(session.onClosed()).containsExactly(toRooms(new Request.Leave("alice")), new Effect.Release("alice"));
  }

  @Test
  void invalidUtf8WhileChattingIsExplainedOnly() {
    assertThat(aliceInLobby().onInvalidUtf8()).containsExactly(answer(new Reply.InvalidUtf8()));
  }

  // a user in several rooms

  @Test
  void joiningWithoutMovingAddsARoom() {
    Session session = roomlessAlice();

    assertThat(session.onCommand(new Command.Join("dev", false)))
        .containsExactly(toRooms(new Request.Join("alice", "dev")));
    assertThat(session.onCommand(new Command.Join("Ops", false)))
        .containsExactly(toRooms(new Request.Join("alice", "ops")));
    assertThat(session.rooms()).containsExactly("dev", "ops");
  }

  @Test
  void aUserInSeveralRoomsSpeaksInEachItNames() {
    Session session = roomlessAlice();
    session.onCommand(new Command.Join("dev", false));
    session.onCommand(new Command.Join("ops", false));

    assertThat(session.onCommand(new Command.Say("dev", "build is red")))
        .containsExactly(toRooms(new Request.Say("alice", "dev", "build is red")));
    assertThat(session.onCommand(new Command.Act("OPS", "looks")))
        .containsExactly(toRooms(new Request.Act("alice", "ops", "looks")));
  }

  static Stream<Arguments> outsideTheUsersRooms() {
    return Stream.of(
        arguments(new Command.Say("lobby", "hi"), answer(new Reply.NotInRoom("lobby"))),
        arguments(new Command.Say("Lobby", "hi"), answer(new Reply.NotInRoom("lobby"))),
        arguments(new Command.Act("lobby", "waves"), answer(new Reply.NotInRoom("lobby"))),
        arguments(new Command.Part("lobby"), answer(new Reply.NotInRoom("lobby"))),
        arguments(new Command.Say("_x", "hi"), answer(new Reply.InvalidRoom("_x", Problem.BAD_START))),
        arguments(new Command.Part("a b"), answer(new Reply.InvalidRoom("a b", Problem.BAD_CHARACTER))));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("outsideTheUsersRooms")
  void aRoomTheUserIsNotInIsRefused(Command command, Effect expected) {
    Session session = roomlessAlice();
    session.onCommand(new Command.Join("dev", false));

    assertThat(session.onCommand(command)).containsExactly(expected);
    assertThat(session.rooms()).containsExactly("dev");
  }

  @Test
  void joiningARoomTwiceWithoutMovingIsAlreadyInRoom() {
    Session session = roomlessAlice();
    session.onCommand(new Command.Join("dev", false));

    assertThat(session.onCommand(new Command.Join("DEV", false))).containsExactly(answer(new Reply.AlreadyInRoom("dev")));
    assertThat(session.rooms()).containsExactly("dev");
  }

  @Test
  void partingLeavesOneRoomAndKeepsTheOthers() {
    Session session = roomlessAlice();
    session.onCommand(new Command.Join("dev", false));
    session.onCommand(new Command.Join("ops", false));

    assertThat(session.onCommand(new Command.Part("Dev"))).containsExactly(toRooms(new Request.Part("alice", "dev")));
    assertThat(session.rooms()).containsExactly("ops");
    assertThat(session.onCommand(new Command.Say("dev", "hi"))).containsExactly(answer(new Reply.NotInRoom("dev")));
  }

  @Test
  void movingPartsEveryOtherRoomInOrderOfEntryFirst() {
    Session session = roomlessAlice();
    session.onCommand(new Command.Join("dev", false));
    session.onCommand(new Command.Join("ops", false));
    session.onCommand(new Command.Join("lobby", false));

    assertThat(session.onCommand(new Command.Join("Random", true))).containsExactly(
        toRooms(new Request.Part("alice", "dev")),
        toRooms(new Request.Part("alice", "ops")),
        toRooms(new Request.Part("alice", "lobby")),
        toRooms(new Request.Join("alice", "random")),
        toRooms(new Request.Topic("alice", "random", null, true)));
    assertThat(session.rooms()).containsExactly("random");
  }

  @Test
  void movingFromNoRoomJoinsAndAsksForTheTopic() {
    assertThat(roomlessAlice().onCommand(new Command.Join("dev", true)))
        .containsExactly(toRooms(new Request.Join("alice", "dev")),
            toRooms(new Request.Topic("alice", "dev", null, true)));
  }

  @Test
  void joiningWithoutMovingLeavesTheTopicToTheFrontEnd() {
    assertThat(roomlessAlice().onCommand(new Command.Join("dev", false)))
        .containsExactly(toRooms(new Request.Join("alice", "dev")));
  }

  @Test
  void aNoticeToAUserStaysANotice() {
    assertThat(roomlessAlice().onCommand(new Command.Whisper("Bob", "read me", true)))
        .containsExactly(toRooms(new Request.Whisper("alice", "bob", "Bob", "read me", true)));
  }

  @Test
  void roomsAreListedInOrderOfEntry() {
    Session session = roomlessAlice();
    session.onCommand(new Command.Join("zeta", false));
    session.onCommand(new Command.Join("alpha", false));
    session.onCommand(new Command.Join("mid", false));

    assertThat(session.rooms()).containsExactly("zeta", "alpha", "mid");
  }

  // closing

  @Test
  void droppedConnectionOfAUserInSeveralRoomsLeavesThemAllAndReleases() {
    Session session = roomlessAlice();
    session.onCommand(new Command.Join("dev", false));
    session.onCommand(new Command.Join("ops", false));

    assertThat(session.onClosed()).containsExactly(toRooms(new Request.Leave("alice")), new Effect.Release("alice"));
    assertThat(session.rooms()).isEmpty();
    assertThat(session.closed()).isTrue();
  }

  @Test
  void droppedConnectionWhileChattingLeavesAndReleases() {
    assertThat(aliceInLobby().onClosed()).containsExactly(toRooms(new Request.Leave("alice")), new Effect.Release("alice"));
  }

  @Test
  void afterQuitNothingMoreHappens() {
    Session session = aliceInLobby();
    session.onCommand(new Command.Quit());

    assertThat(session.closed()).isTrue();
    assertThat(session.rooms()).isEmpty();
    assertThat(session.onCommand(new Command.Say("lobby", "hello"))).isEmpty();
    assertThat(session.onInvalidUtf8()).isEmpty();
    assertThat(session.onClosed()).isEmpty();
  }

  @Test
  void droppedConnectionBeforeRegistrationDoesNothing() {
    Session session = lineUser();
    session.start();

    assertThat(session.onClosed()).isEmpty();
  }

  @Test
  void droppedConnectionAfterATakenNameDoesNothing() {
    Session session = lineUser();
    session.register("Alice");
    session.onReserved(false);

    assertThat(session.onClosed()).isEmpty();
  }

  // while a reservation is pending

  @Test
  void closingWhileANameIsBeingReservedIsAProgrammingError() {
    Session session = lineUser();
    session.register("Alice");

    assertThatThrownBy(session::onClosed).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingWhileANickIsBeingReservedIsAProgrammingError() {
    Session session = aliceInLobby();
    session.onCommand(new Command.Nick("Carol"));

    assertThatThrownBy(session::onClosed).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aNameWhileAwaitingAReservationIsAProgrammingError() {
    Session session = lineUser();
    session.register("Alice");

    assertThatThrownBy(() -> session.register("Bob")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aCommandWhileAwaitingAReservationIsAProgrammingError() {
    Session session = aliceInLobby();
    session.onCommand(new Command.Nick("Carol"));

    assertThatThrownBy(() -> session.onCommand(new Command.Say("lobby", "hello")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void invalidUtf8WhileAwaitingAReservationIsAProgrammingError() {
    Session session = lineUser();
    session.register("Alice");

    assertThatThrownBy(session::onInvalidUtf8).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aReservationOutcomeNobodyAskedForIsAProgrammingError() {
    assertThatThrownBy(() -> aliceInLobby().onReserved(true)).isInstanceOf(IllegalStateException.class);
  }
}
