package chat.core;

import static chat.core.RoomEvent.Kind.ACTED;
import static chat.core.RoomEvent.Kind.JOINED;
import static chat.core.RoomEvent.Kind.PARTED;
import static chat.core.RoomEvent.Kind.QUIT;
import static chat.core.RoomEvent.Kind.SAID;
import static org.assertj.core.api.Assertions.assertThat;

import chat.core.RoomRegistry.Delivery;
import chat.core.RoomRegistry.Seat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomRegistryTest {

  private static final long AT = 1_000;
  private static final Member ALICE = new Member("Alice", "alice", "A", 1);
  private static final Member BOB = new Member("Bob", "bob", "A", 2);
  private static final Member CAROL = new Member("Carol", "carol", "B", 7);
  private static final Member DAVE = new Member("Dave", "dave", "C", 9);

  private final RoomRegistry registry = new RoomRegistry();

  private static Delivery plain(String instance, RoomEvent event) {
    return new Delivery(instance, event);
  }

  private static Delivery adding(String instance, RoomEvent event, long connection) {
    return new Delivery(instance, event.withMembershipChange(connection, 0));
  }

  private static Delivery removing(String instance, RoomEvent event, long connection) {
    return new Delivery(instance, event.withMembershipChange(0, connection));
  }

  private static RoomEvent event(RoomEvent.Kind kind, String room, String name) {
    return RoomEvent.of(kind, room, name, AT);
  }

  private static RoomEvent said(String room, String name, String text) {
    return RoomEvent.message(SAID, room, name, text, AT);
  }

  private void enterAndJoin(Member member, String... rooms) {
    registry.enter(member);
    for (String room : rooms) {
      registry.join(member.key(), room, AT);
    }
  }

  private List<String> names(String room) {
    return registry.who(room).stream().map(Seat::name).toList();
  }

  // enter and join

  @Test
  void enteringKnowsTheUserInNoRoom() {
    assertThat(registry.enter(ALICE)).isTrue();

    assertThat(registry.member("alice")).contains(ALICE);
    assertThat(registry.roomsOf("alice")).isEmpty();
    assertThat(registry.rooms()).isEmpty();
  }

  @Test
  void enteringTwiceWithOneKeyIsRefused() {
    enterAndJoin(ALICE, "lobby");

    assertThat(registry.enter(new Member("ALICE", "alice", "B", 5))).isFalse();
    assertThat(registry.memberCount()).isEqualTo(1);
    assertThat(registry.member("alice")).contains(ALICE);
    assertThat(registry.roomsOf("alice")).containsExactly("lobby");
  }

  @Test
  void joiningAnEmptyRoomDeliversTheJoinToTheNewcomersInstanceOnly() {
    registry.enter(ALICE);

    RoomEvent opened = new RoomEvent(JOINED, "lobby", "Alice", null, "o", AT, 0, 0);
    assertThat(registry.join("alice", "lobby", AT)).containsExactly(adding("A", opened, 1));
    assertThat(registry.modesOf("lobby")).isEqualTo(RoomModes.openedBy("alice"));
  }

  @Test
  void aRoomOpenedOnAnotherNodeGivesNoRankHere() {
    registry.enter(ALICE);
    registry.join("alice", "lobby", () -> false, AT);
    assertThat(registry.modesOf("lobby").operator("alice")).isFalse();
  }

  @Test
  void onlyOperatorsChangeModesAndALockedTopic() {
    enterAndJoin(ALICE, "lobby");
    enterAndJoin(BOB, "lobby");
    List<Seat> elsewhere = List.of(new Seat("Zed", AT));

    RoomRegistry.Outcome refused = registry.mode("bob", "lobby", 't', true, null, elsewhere, AT);
    assertThat(refused.refusal()).isEqualTo(new Reply.NotOperator("lobby"));
    assertThat(registry.topicRefusal("bob", "lobby")).isEmpty();

    RoomEvent locked = RoomEvent.mode("lobby", "Alice", "+t", null, AT);
    assertThat(registry.mode("alice", "lobby", 't', true, null, elsewhere, AT).deliveries())
        .containsExactly(plain("A", locked));
    assertThat(registry.mode("alice", "lobby", 't', true, null, elsewhere, AT)).isEqualTo(
        new RoomRegistry.Outcome(List.of(), null));
    assertThat(registry.topicRefusal("bob", "lobby")).contains(new Reply.NotOperator("lobby"));
    assertThat(registry.topicRefusal("alice", "lobby")).isEmpty();

    RoomEvent voiced = RoomEvent.mode("lobby", "Alice", "+v", "Zed", AT);
    assertThat(registry.mode("alice", "lobby", 'v', true, "ZED", elsewhere, AT).deliveries())
        .containsExactly(plain("A", voiced));
    assertThat(registry.mode("alice", "lobby", 'o', true, "nobody", elsewhere, AT).refusal())
        .isEqualTo(new Reply.NoSuchUser("nobody"));
    registry.mode("alice", "lobby", 'o', true, "bob", elsewhere, AT);
    assertThat(registry.modesOf("lobby").ranks()).isEqualTo(Map.of("alice", "o", "bob", "o", "zed", "v"));
  }

  @Test
  void ranksFollowRenamesAndLeaves() {
    enterAndJoin(ALICE, "lobby");
    enterAndJoin(BOB, "lobby");
    registry.mode("alice", "lobby", 'v', true, "bob", List.of(), AT);
    registry.rename("bob", "Bert", "bert", AT);
    assertThat(registry.modesOf("lobby").rank("bert")).isEqualTo("v");
    registry.part("bert", "lobby", AT);
    registry.track(RoomEvent.of(QUIT, "lobby", "Alice", AT));
    assertThat(registry.modesOf("lobby").ranks()).isEmpty();
  }

  @Test
  void modesSetOnAnotherNodeAreKept() {
    registry.track(new RoomEvent(JOINED, "dev", "Zed", null, "o", AT, 0, 0));
    registry.track(RoomEvent.mode("dev", "Zed", "+s", null, AT));
    registry.track(RoomEvent.mode("dev", "Zed", "+v", "Yan", AT));
    assertThat(registry.modesOf("dev")).isEqualTo(new RoomModes("ns", Map.of("zed", "o", "yan", "v")));
  }

  @Test
  void aRoomOpenedOnTwoNodesAtOnceHasBothOpenersAsOperators() {
    enterAndJoin(ALICE, "dev");
    registry.track(new RoomEvent(JOINED, "dev", "Zed", null, "o", AT, 0, 0));
    assertThat(registry.modesOf("dev").ranks()).isEqualTo(Map.of("alice", "o", "zed", "o"));
  }

  @Test
  void aRoomOpenedAgainStartsAfresh() {
    registry.track(new RoomEvent(JOINED, "dev", "Zed", null, "o", AT, 0, 0));
    registry.track(RoomEvent.mode("dev", "Zed", "+t", null, AT));
    registry.track(RoomEvent.of(QUIT, "dev", "Zed", AT));
    registry.track(new RoomEvent(JOINED, "dev", "Yan", null, "o", AT, 0, 0));
    assertThat(registry.modesOf("dev")).isEqualTo(RoomModes.openedBy("yan"));
  }

  @Test
  void peaksAreTheMostUsersAtOnce() {
    registry.enter(ALICE);
    registry.enter(BOB);
    registry.leave("bob", AT);
    assertThat(registry.peakMembers()).isEqualTo(2);
    assertThat(registry.peakTotal(3)).isEqualTo(4);
    assertThat(registry.peakTotal(0)).isEqualTo(4);
  }

  @Test
  void joinIsDeliveredOncePerInstanceWithTheNewcomerAddedOnItsOwn() {
    enterAndJoin(ALICE, "lobby");
    enterAndJoin(CAROL, "lobby");
    enterAndJoin(DAVE, "dev");
    registry.enter(BOB);

    assertThat(registry.join("bob", "lobby", AT)).containsExactlyInAnyOrder(
        adding("A", event(JOINED, "lobby", "Bob"), 2),
        plain("B", event(JOINED, "lobby", "Bob")));
  }

  @Test
  void joiningARoomTwiceOrAsAnUnknownUserDeliversNothing() {
    enterAndJoin(ALICE, "lobby");

    assertThat(registry.join("alice", "lobby", AT)).isEmpty();
    assertThat(registry.join("nobody", "lobby", AT)).isEmpty();
    assertThat(names("lobby")).containsExactly("Alice");
  }

  @Test
  void whoGivesTheTimeOfEntry() {
    registry.enter(ALICE);
    registry.join("alice", "lobby", 42);

    assertThat(registry.who("lobby")).containsExactly(new Seat("Alice", 42));
  }

  // several rooms

  @Test
  void aUserCanBeInSeveralRoomsAtOnce() {
    enterAndJoin(ALICE, "dev", "ops");
    enterAndJoin(CAROL, "ops");

    assertThat(registry.roomsOf("alice")).containsExactly("dev", "ops");
    assertThat(names("dev")).containsExactly("Alice");
    assertThat(names("ops")).containsExactly("Alice", "Carol");
    assertThat(registry.message(SAID, "alice", "dev", "in dev", AT))
        .containsExactly(plain("A", said("dev", "Alice", "in dev")));
    assertThat(registry.message(SAID, "alice", "ops", "in ops", AT)).containsExactlyInAnyOrder(
        plain("A", said("ops", "Alice", "in ops")),
        plain("B", said("ops", "Alice", "in ops")));
  }

  @Test
  void partingLeavesOneRoomAndKeepsTheOthers() {
    enterAndJoin(ALICE, "dev", "ops");
    enterAndJoin(CAROL, "ops");

    assertThat(registry.part("alice", "ops", AT)).containsExactlyInAnyOrder(
        removing("A", event(PARTED, "ops", "Alice"), 1),
        plain("B", event(PARTED, "ops", "Alice")));
    assertThat(registry.roomsOf("alice")).containsExactly("dev");
    assertThat(names("ops")).containsExactly("Carol");
    assertThat(registry.member("alice")).contains(ALICE);
  }

  @Test
  void partingARoomNotJoinedOrAsAnUnknownUserDeliversNothing() {
    enterAndJoin(ALICE, "dev");
    enterAndJoin(CAROL, "ops");

    assertThat(registry.part("alice", "ops", AT)).isEmpty();
    assertThat(registry.part("nobody", "dev", AT)).isEmpty();
    assertThat(registry.rooms()).containsExactly(Map.entry("dev", 1), Map.entry("ops", 1));
  }

  @Test
  void partingTheLastMemberRemovesTheRoom() {
    enterAndJoin(ALICE, "dev", "ops");

    assertThat(registry.part("alice", "dev", AT)).containsExactly(removing("A", event(PARTED, "dev", "Alice"), 1));
    assertThat(registry.rooms()).containsExactly(Map.entry("ops", 1));
    assertThat(registry.roomCount()).isEqualTo(1);
    assertThat(registry.who("dev")).isEmpty();
  }

  // messages

  @Test
  void sayIsDeliveredOncePerInstanceWithMembersInTheRoom() {
    enterAndJoin(ALICE, "lobby");
    enterAndJoin(BOB, "lobby");
    enterAndJoin(CAROL, "lobby");
    enterAndJoin(DAVE, "dev");

    assertThat(registry.message(SAID, "alice", "lobby", "hi all", AT)).containsExactlyInAnyOrder(
        plain("A", said("lobby", "Alice", "hi all")),
        plain("B", said("lobby", "Alice", "hi all")));
  }

  @Test
  void twoMembersOnOneInstanceGetOneDelivery() {
    enterAndJoin(ALICE, "lobby");
    enterAndJoin(BOB, "lobby");

    assertThat(registry.message(ACTED, "bob", "lobby", "waves", AT))
        .containsExactly(plain("A", RoomEvent.message(ACTED, "lobby", "Bob", "waves", AT)));
  }

  @Test
  void messagesFromAnUnknownUserOrToARoomNotJoinedDeliverNothing() {
    enterAndJoin(ALICE, "lobby");
    enterAndJoin(CAROL, "dev");

    assertThat(registry.message(SAID, "nobody", "lobby", "hi", AT)).isEmpty();
    assertThat(registry.message(ACTED, "nobody", "lobby", "waves", AT)).isEmpty();
    assertThat(registry.message(SAID, "alice", "dev", "sneaking in", AT)).isEmpty();
    assertThat(registry.message(SAID, "alice", "nowhere", "hello?", AT)).isEmpty();
  }

  // leaving: the user is gone

  @Test
  void leaveRemovesTheConnectionOnItsInstanceAndTellsTheRoomsOtherInstances() {
    enterAndJoin(ALICE, "lobby");
    enterAndJoin(BOB, "lobby");
    enterAndJoin(CAROL, "lobby");
    enterAndJoin(DAVE, "dev");

    assertThat(registry.leave("alice", AT)).containsExactlyInAnyOrder(
        removing("A", event(QUIT, "lobby", "Alice"), 1),
        plain("B", event(QUIT, "lobby", "Alice")));
    assertThat(names("lobby")).containsExactly("Bob", "Carol");
    assertThat(registry.member("alice")).isEmpty();
  }

  @Test
  void leaveQuitsEveryRoomInOrderOfEntry() {
    enterAndJoin(CAROL, "ops");
    enterAndJoin(DAVE, "zeta");
    enterAndJoin(ALICE, "zeta", "dev", "ops");

    List<Delivery> deliveries = registry.leave("alice", AT);

    assertThat(deliveries).hasSize(5);
    assertThat(deliveries.subList(0, 2)).containsExactlyInAnyOrder(
        removing("A", event(QUIT, "zeta", "Alice"), 1),
        plain("C", event(QUIT, "zeta", "Alice")));
    assertThat(deliveries.get(2)).isEqualTo(removing("A", event(QUIT, "dev", "Alice"), 1));
    assertThat(deliveries.subList(3, 5)).containsExactlyInAnyOrder(
        removing("A", event(QUIT, "ops", "Alice"), 1),
        plain("B", event(QUIT, "ops", "Alice")));
  }

  @Test
  void afterLeavingTheUserIsInNoRoomListOrWho() {
    enterAndJoin(ALICE, "dev", "ops");
    enterAndJoin(CAROL, "ops");

    registry.leave("alice", AT);

    assertThat(registry.member("alice")).isEmpty();
    assertThat(registry.members()).containsExactly(CAROL);
    assertThat(registry.roomsOf("alice")).isEmpty();
    assertThat(registry.who("dev")).isEmpty();
    assertThat(names("ops")).containsExactly("Carol");
    assertThat(registry.rooms()).containsExactly(Map.entry("ops", 1));
  }

  @Test
  void leavingWhenInNoRoomDeliversNothingButForgetsTheUser() {
    registry.enter(ALICE);

    assertThat(registry.leave("alice", AT)).isEmpty();
    assertThat(registry.member("alice")).isEmpty();
    assertThat(registry.enter(ALICE)).isTrue();
  }

  @Test
  void lastMemberOfAnInstanceLeavingStillReachesThatInstance() {
    enterAndJoin(ALICE, "lobby");
    enterAndJoin(CAROL, "lobby");

    assertThat(registry.leave("carol", AT)).containsExactlyInAnyOrder(
        plain("A", event(QUIT, "lobby", "Carol")),
        removing("B", event(QUIT, "lobby", "Carol"), 7));
    assertThat(registry.message(SAID, "alice", "lobby", "anyone?", AT))
        .containsExactly(plain("A", said("lobby", "Alice", "anyone?")));
  }

  @Test
  void leavingTwiceOrUnknownDeliversNothing() {
    enterAndJoin(ALICE, "lobby");
    registry.leave("alice", AT);

    assertThat(registry.leave("alice", AT)).isEmpty();
    assertThat(registry.leave("nobody", AT)).isEmpty();
  }

  @Test
  void anEmptyRoomDisappearsFromTheRoomList() {
    enterAndJoin(ALICE, "dev");
    enterAndJoin(BOB, "lobby");

    registry.leave("alice", AT);

    assertThat(registry.rooms()).containsExactly(Map.entry("lobby", 1));
    assertThat(registry.who("dev")).isEmpty();
  }

  // rename

  @Test
  void renameTellsEachRoomOncePerInstanceAndMovesTheKey() {
    enterAndJoin(ALICE, "lobby");
    enterAndJoin(BOB, "lobby");
    enterAndJoin(CAROL, "lobby");

    assertThat(registry.rename("bob", "Bobby", "bobby", AT)).containsExactlyInAnyOrder(
        plain("A", RoomEvent.renamed("lobby", "Bob", "Bobby", AT)),
        plain("B", RoomEvent.renamed("lobby", "Bob", "Bobby", AT)));
    assertThat(registry.member("bob")).isEmpty();
    assertThat(registry.member("bobby")).contains(new Member("Bobby", "bobby", "A", 2));
    assertThat(registry.message(SAID, "bob", "lobby", "old key", AT)).isEmpty();
    assertThat(registry.message(SAID, "bobby", "lobby", "new key", AT)).containsExactlyInAnyOrder(
        plain("A", said("lobby", "Bobby", "new key")),
        plain("B", said("lobby", "Bobby", "new key")));
  }

  @Test
  void renameIsAnnouncedInEachOfTheUsersRooms() {
    enterAndJoin(ALICE, "dev", "ops");
    enterAndJoin(CAROL, "ops");
    enterAndJoin(DAVE, "elsewhere");

    List<Delivery> deliveries = registry.rename("alice", "Alicia", "alicia", AT);

    assertThat(deliveries).hasSize(3);
    assertThat(deliveries.get(0)).isEqualTo(plain("A", RoomEvent.renamed("dev", "Alice", "Alicia", AT)));
    assertThat(deliveries.subList(1, 3)).containsExactlyInAnyOrder(
        plain("A", RoomEvent.renamed("ops", "Alice", "Alicia", AT)),
        plain("B", RoomEvent.renamed("ops", "Alice", "Alicia", AT)));
    assertThat(registry.roomsOf("alicia")).containsExactly("dev", "ops");
    assertThat(registry.roomsOf("alice")).isEmpty();
  }

  @Test
  void renameKeepsTheOrderOfEntryAndTheTimeOfEntry() {
    registry.enter(ALICE);
    registry.enter(BOB);
    registry.enter(CAROL);
    registry.join("alice", "lobby", 1);
    registry.join("bob", "lobby", 2);
    registry.join("carol", "lobby", 3);

    registry.rename("bob", "Bobby", "bobby", 10);

    assertThat(registry.who("lobby")).containsExactly(new Seat("Alice", 1), new Seat("Bobby", 2), new Seat("Carol", 3));
  }

  @Test
  void caseOnlyRenameKeepsTheKey() {
    enterAndJoin(ALICE, "lobby");

    assertThat(registry.rename("alice", "ALICE", "alice", AT))
        .containsExactly(plain("A", RoomEvent.renamed("lobby", "Alice", "ALICE", AT)));
    assertThat(names("lobby")).containsExactly("ALICE");
    assertThat(registry.memberCount()).isEqualTo(1);
    assertThat(registry.roomsOf("alice")).containsExactly("lobby");
  }

  @Test
  void renameToAKeyInUseOrOfAnUnknownKeyChangesNothing() {
    enterAndJoin(ALICE, "lobby");
    enterAndJoin(BOB, "dev");

    assertThat(registry.rename("alice", "Bob", "bob", AT)).isEmpty();
    assertThat(registry.rename("nobody", "Zed", "zed", AT)).isEmpty();
    assertThat(names("lobby")).containsExactly("Alice");
    assertThat(names("dev")).containsExactly("Bob");
  }

  // who and rooms

  @Test
  void whoListsMembersInOrderOfEntry() {
    enterAndJoin(CAROL, "lobby");
    enterAndJoin(ALICE, "lobby");
    enterAndJoin(DAVE, "lobby");
    enterAndJoin(BOB, "lobby");

    assertThat(names("lobby")).containsExactly("Carol", "Alice", "Dave", "Bob");
    assertThat(registry.who("nowhere")).isEmpty();
  }

  @Test
  void roomsAreSortedByNameWithTheirCounts() {
    enterAndJoin(ALICE, "zeta", "lobby");
    enterAndJoin(BOB, "lobby");
    enterAndJoin(CAROL, "alpha");
    enterAndJoin(DAVE, "lobby");

    assertThat(registry.rooms()).containsExactly(Map.entry("alpha", 1), Map.entry("lobby", 3), Map.entry("zeta", 1));
    assertThat(registry.roomCount()).isEqualTo(3);
  }

  @Test
  void membersAndTheirRoomsAreListed() {
    enterAndJoin(ALICE, "lobby");
    enterAndJoin(DAVE, "dev");

    assertThat(registry.members()).containsExactlyInAnyOrder(ALICE, DAVE);
    assertThat(registry.memberCount()).isEqualTo(2);
    assertThat(registry.roomsOf("dave")).containsExactly("dev");
    assertThat(registry.roomsOf("bob")).isEmpty();
  }

  // another node's events

  @Test
  void anotherNodesEventReachesEachInstanceWithMembersInItsRoomWithoutChangingMembership() {
    enterAndJoin(ALICE, "lobby");
    enterAndJoin(BOB, "lobby");
    enterAndJoin(CAROL, "lobby");
    enterAndJoin(DAVE, "dev");
    RoomEvent remote = RoomEvent.message(SAID, "lobby", "Zed", "hi", 42);

    assertThat(registry.remote(remote)).containsExactlyInAnyOrder(plain("A", remote), plain("B", remote));
    assertThat(registry.remote(event(JOINED, "empty", "Zed"))).isEmpty();
    assertThat(names("lobby")).containsExactly("Alice", "Bob", "Carol");
  }

  @Test
  void anotherNodesEventForARoomEmptiedHereReachesNobody() {
    enterAndJoin(ALICE, "dev");
    registry.part("alice", "dev", AT);

    assertThat(registry.remote(said("dev", "Zed", "hi"))).isEmpty();
  }
}
