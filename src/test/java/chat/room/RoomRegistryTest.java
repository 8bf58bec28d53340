package chat.room;

import static org.assertj.core.api.Assertions.assertThat;

import chat.bus.Member;
import chat.bus.RoomEvent;
import chat.room.RoomRegistry.Delivery;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomRegistryTest {

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

  @Test
  void enteringAnEmptyRoomDeliversTheJoinToTheNewcomersInstanceOnly() {
    assertThat(registry.enter(ALICE, "lobby"))
        .containsExactly(adding("A", RoomEvent.joined("lobby", "Alice"), 1));
  }

  @Test
  void joinIsDeliveredOncePerInstanceWithTheNewcomerAddedOnItsOwn() {
    registry.enter(ALICE, "lobby");
    registry.enter(CAROL, "lobby");
    registry.enter(DAVE, "dev");

    assertThat(registry.enter(BOB, "lobby")).containsExactlyInAnyOrder(
        adding("A", RoomEvent.joined("lobby", "Bob"), 2),
        plain("B", RoomEvent.joined("lobby", "Bob")));
  }

  @Test
  void sayIsDeliveredOncePerInstanceWithMembersInTheRoom() {
    registry.enter(ALICE, "lobby");
    registry.enter(BOB, "lobby");
    registry.enter(CAROL, "lobby");
    registry.enter(DAVE, "dev");

    assertThat(registry.say("alice", "hi all")).containsExactlyInAnyOrder(
        plain("A", RoomEvent.said("lobby", "Alice", "hi all")),
        plain("B", RoomEvent.said("lobby", "Alice", "hi all")));
  }

  @Test
  void twoMembersOnOneInstanceGetOneDelivery() {
    registry.enter(ALICE, "lobby");
    registry.enter(BOB, "lobby");

    assertThat(registry.act("bob", "waves")).containsExactly(plain("A", RoomEvent.acted("lobby", "Bob", "waves")));
  }

  @Test
  void sayAndActFromAnUnknownKeyDeliverNothing() {
    registry.enter(ALICE, "lobby");

    assertThat(registry.say("nobody", "hi")).isEmpty();
    assertThat(registry.act("nobody", "waves")).isEmpty();
  }

  @Test
  void leaveRemovesTheConnectionOnItsInstanceAndTellsTheRoomsOtherInstances() {
    registry.enter(ALICE, "lobby");
    registry.enter(BOB, "lobby");
    registry.enter(CAROL, "lobby");
    registry.enter(DAVE, "dev");

    assertThat(registry.leave("alice")).containsExactlyInAnyOrder(
        removing("A", RoomEvent.left("lobby", "Alice"), 1),
        plain("B", RoomEvent.left("lobby", "Alice")));
    assertThat(registry.who("lobby")).containsExactly("Bob", "Carol");
    assertThat(registry.member("alice")).isEmpty();
  }

  @Test
  void lastMemberOfAnInstanceLeavingStillReachesThatInstance() {
    registry.enter(ALICE, "lobby");
    registry.enter(CAROL, "lobby");
    registry.leave("carol");

    assertThat(registry.say("alice", "anyone?")).containsExactly(plain("A", RoomEvent.said("lobby", "Alice", "anyone?")));
  }

  @Test
  void leavingTwiceOrUnknownDeliversNothing() {
    registry.enter(ALICE, "lobby");
    registry.leave("alice");

    assertThat(registry.leave("alice")).isEmpty();
    assertThat(registry.leave("nobody")).isEmpty();
  }

  @Test
  void anEmptyRoomDisappearsFromTheRoomList() {
    registry.enter(ALICE, "dev");
    registry.enter(BOB, "lobby");

    registry.leave("alice");

    assertThat(registry.rooms()).containsExactly(Map.entry("lobby", 1));
    assertThat(registry.who("dev")).isEmpty();
  }

  @Test
  void moveIsLeavingTheOldRoomThenJoiningTheNew() {
    registry.enter(ALICE, "lobby");
    registry.enter(CAROL, "lobby");
    registry.enter(DAVE, "dev");

    List<Delivery> deliveries = registry.move("alice", "dev");

    assertThat(deliveries).hasSize(4);
    assertThat(deliveries.subList(0, 2)).containsExactlyInAnyOrder(
        removing("A", RoomEvent.left("lobby", "Alice"), 1),
        plain("B", RoomEvent.left("lobby", "Alice")));
    assertThat(deliveries.subList(2, 4)).containsExactlyInAnyOrder(
        adding("A", RoomEvent.joined("dev", "Alice"), 1),
        plain("C", RoomEvent.joined("dev", "Alice")));
    assertThat(registry.who("dev")).containsExactly("Dave", "Alice");
    assertThat(registry.who("lobby")).containsExactly("Carol");
  }

  @Test
  void movingOutOfARoomAloneRemovesIt() {
    registry.enter(ALICE, "lobby");

    registry.move("alice", "dev");

    assertThat(registry.rooms()).containsExactly(Map.entry("dev", 1));
    assertThat(registry.say("alice", "here")).containsExactly(plain("A", RoomEvent.said("dev", "Alice", "here")));
  }

  @Test
  void moveToTheSameRoomOrOfAnUnknownKeyDeliversNothing() {
    registry.enter(ALICE, "lobby");

    assertThat(registry.move("alice", "lobby")).isEmpty();
    assertThat(registry.move("nobody", "dev")).isEmpty();
    assertThat(registry.rooms()).containsExactly(Map.entry("lobby", 1));
  }

  @Test
  void renameTellsTheRoomAndKeepsTheRoom() {
    registry.enter(ALICE, "lobby");
    registry.enter(BOB, "lobby");
    registry.enter(CAROL, "lobby");

    assertThat(registry.rename("bob", "Bobby", "bobby")).containsExactlyInAnyOrder(
        plain("A", RoomEvent.renamed("lobby", "Bob", "Bobby")),
        plain("B", RoomEvent.renamed("lobby", "Bob", "Bobby")));
    assertThat(registry.who("lobby")).containsExactlyInAnyOrder("Alice", "Bobby", "Carol");
    assertThat(registry.member("bob")).isEmpty();
    assertThat(registry.member("bobby")).contains(new Member("Bobby", "bobby", "A", 2));
    assertThat(registry.say("bob", "old key")).isEmpty();
    assertThat(registry.say("bobby", "new key")).containsExactlyInAnyOrder(
        plain("A", RoomEvent.said("lobby", "Bobby", "new key")),
        plain("B", RoomEvent.said("lobby", "Bobby", "new key")));
  }

  @Test
  void renameKeepsTheOrderOfEntry() {
    registry.enter(ALICE, "lobby");
    registry.enter(BOB, "lobby");
    registry.enter(CAROL, "lobby");

    registry.rename("bob", "Bobby", "bobby");

    assertThat(registry.who("lobby")).containsExactly("Alice", "Bobby", "Carol");
  }

  @Test
  void caseOnlyRenameKeepsTheKey() {
    registry.enter(ALICE, "lobby");

    assertThat(registry.rename("alice", "ALICE", "alice"))
        .containsExactly(plain("A", RoomEvent.renamed("lobby", "Alice", "ALICE")));
    assertThat(registry.who("lobby")).containsExactly("ALICE");
    assertThat(registry.memberCount()).isEqualTo(1);
  }

  @Test
  void renameToAKeyInUseOrOfAnUnknownKeyChangesNothing() {
    registry.enter(ALICE, "lobby");
    registry.enter(BOB, "dev");

    assertThat(registry.rename("alice", "Bob", "bob")).isEmpty();
    assertThat(registry.rename("nobody", "Zed", "zed")).isEmpty();
    assertThat(registry.who("lobby")).containsExactly("Alice");
    assertThat(registry.who("dev")).containsExactly("Bob");
  }

  @Test
  void whoListsMembersInOrderOfEntry() {
    registry.enter(CAROL, "lobby");
    registry.enter(ALICE, "lobby");
    registry.enter(DAVE, "lobby");
    registry.enter(BOB, "lobby");

    assertThat(registry.who("lobby")).containsExactly("Carol", "Alice", "Dave", "Bob");
    assertThat(registry.who("nowhere")).isEmpty();
  }

  @Test
  void roomsAreSortedByNameWithTheirCounts() {
    registry.enter(ALICE, "zeta");
    registry.enter(BOB, "lobby");
    registry.enter(CAROL, "alpha");
    registry.enter(DAVE, "lobby");

    assertThat(registry.rooms()).containsExactly(Map.entry("alpha", 1), Map.entry("lobby", 2), Map.entry("zeta", 1));
  }

  @Test
  void enteringTwiceWithOneKeyIsIgnored() {
    registry.enter(ALICE, "lobby");

    assertThat(registry.enter(new Member("ALICE", "alice", "B", 5), "dev")).isEmpty();
    assertThat(registry.memberCount()).isEqualTo(1);
    assertThat(registry.member("alice")).contains(ALICE);
    assertThat(registry.rooms()).containsExactly(Map.entry("lobby", 1));
  }

  @Test
  void anotherNodesEventReachesEachInstanceWithMembersInItsRoomWithoutChangingMembership() {
    registry.enter(ALICE, "lobby");
    registry.enter(BOB, "lobby");
    registry.enter(CAROL, "lobby");
    registry.enter(DAVE, "dev");
    RoomEvent remote = RoomEvent.said("lobby", "Zed", "hi").withSentAt(42);

    assertThat(registry.remote(remote)).containsExactlyInAnyOrder(plain("A", remote), plain("B", remote));
    assertThat(registry.remote(RoomEvent.joined("empty", "Zed"))).isEmpty();
    assertThat(registry.who("lobby")).containsExactly("Alice", "Bob", "Carol");
  }

  @Test
  void membersAndTheirRoomsAreListed() {
    registry.enter(ALICE, "lobby");
    registry.enter(DAVE, "dev");

    assertThat(registry.members()).containsExactlyInAnyOrder(ALICE, DAVE);
    assertThat(registry.roomOf("dave")).contains("dev");
    assertThat(registry.roomOf("bob")).isEmpty();
  }
}
