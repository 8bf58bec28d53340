package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every command of the DESIGN.md command table, over real sockets. */
@Timeout(60)
class CommandsTest {

  private TestServer server;
  private LineClient alice;
  private LineClient bob;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    alice = LineClient.register(server.port(), "alice");
    bob = LineClient.register(server.port(), "bob");
    alice.expect("[bob] 접속");
  }

  @AfterEach
  void stop() throws Exception {
    alice.close();
    bob.close();
    server.close();
  }

  @Test
  void helpListsEveryCommand() {
    send(alice, "/help");
    assertThat(alice.next()).startsWith("*** ").contains("/help", "/who", "/rooms", "/join", "/msg", "/nick", "/me",
        "/topic", "/quit");
  }

  @Test
  void whoListsTheMembersOfARoom() {
    send(alice, "/who");
    assertThat(alice.next()).startsWith("*** ").contains("alice", "bob");
    send(alice, "/who nowhere");
    assertThat(alice.next()).startsWith("*** ").doesNotContain("alice");
  }

  @Test
  void roomsListsNonEmptyRoomsWithCounts() {
    send(bob, "/join dev");
    bob.expect("[bob] 접속");
    alice.expect("[bob] 접속 해제");
    send(alice, "/rooms");
    assertThat(alice.next()).startsWith("*** ").contains("lobby (1", "dev (1");
  }

  @Test
  void joinMovesBetweenRoomsAndMessagesStayInTheirRoom() throws Exception {
    try (LineClient carol = LineClient.register(server.port(), "carol")) {
      alice.expect("[carol] 접속");
      bob.expect("[carol] 접속");
      send(bob, "/join Dev");
      bob.expect("[bob] 접속");
      alice.expect("[bob] 접속 해제");
      carol.expect("[bob] 접속 해제");
      send(carol, "/join dev");
      carol.expect("[carol] 접속");
      bob.expect("[carol] 접속");
      alice.expect("[carol] 접속 해제");

      send(bob, "in dev");
      bob.expect("[bob] in dev");
      carol.expect("[bob] in dev");
      send(alice, "in lobby");
      alice.expect("[alice] in lobby");
      send(carol, "/join lobby");
      carol.expect("[carol] 접속");
      alice.expect("[carol] 접속");
      bob.expect("[carol] 접속 해제");
    }
  }

  @Test
  void joiningYourOwnRoomOrAnInvalidOneIsANotice() {
    send(alice, "/join LOBBY");
    assertThat(alice.next()).startsWith("*** ");
    send(alice, "/join bad room");
    assertThat(alice.next()).startsWith("*** ");
    send(alice, "/join");
    assertThat(alice.next()).startsWith("*** ");
  }

  @Test
  void msgReachesOnlyTheRecipientAndTheSender() throws Exception {
    try (LineClient carol = LineClient.register(server.port(), "carol")) {
      alice.expect("[carol] 접속");
      bob.expect("[carol] 접속");
      send(alice, "/msg BOB psst, quiet");
      alice.expect("[alice → bob] psst, quiet");
      bob.expect("[alice → bob] psst, quiet");
      send(alice, "/msg nobody hello");
      assertThat(alice.next()).startsWith("*** ");
      send(carol, "public");
      for (LineClient c : new LineClient[] {alice, bob, carol}) {
        c.expect("[carol] public");
      }
    }
  }

  @Test
  void msgCrossesRooms() {
    send(bob, "/join dev");
    bob.expect("[bob] 접속");
    alice.expect("[bob] 접속 해제");
    send(alice, "/msg bob over here");
    bob.expect("[alice → bob] over here");
  }

  @Test
  void nickRenamesAndFreesTheOldName() throws Exception {
    send(bob, "/nick robert");
    alice.expect("*** bob is now robert");
    bob.expect("*** bob is now robert");
    send(bob, "hi");
    alice.expect("[robert] hi");
    try (LineClient newBob = LineClient.register(server.port(), "bob")) {
      alice.expect("[bob] 접속");
    }
  }

  @Test
  void nickToATakenOrInvalidNameKeepsTheOldName() {
    send(bob, "/nick ALICE");
    assertThat(bob.next()).startsWith("*** ");
    send(bob, "/nick no way");
    assertThat(bob.next()).startsWith("*** ");
    send(bob, "still bob");
    alice.expect("[bob] still bob");
  }

  @Test
  void nickMayChangeOnlyTheCase() {
    send(bob, "/nick Bob");
    alice.expect("*** bob is now Bob");
    send(bob, "hi");
    alice.expect("[Bob] hi");
  }

  @Test
  void meIsAnActionLine() {
    send(alice, "/me waves");
    alice.expect("* alice waves");
    bob.expect("* alice waves");
  }

  @Test
  void unknownCommandIsANoticeToTheSenderOnly() {
    send(alice, "/dance now");
    assertThat(alice.next()).startsWith("*** ").contains("/dance");
    send(alice, "after");
    bob.expect("[alice] after");
  }

  @Test
  void commandWordsAreCaseInsensitive() {
    send(alice, "/ME shouts");
    bob.expect("* alice shouts");
  }

  @Test
  void noticesNeverOvertakeTheEchoOfEarlierLines() throws Exception {
    alice.sendRaw("one\n/nonsense\ntwo\n/help\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    alice.expect("[alice] one");
    assertThat(alice.next()).startsWith("*** ").contains("/nonsense");
    alice.expect("[alice] two");
    assertThat(alice.next()).startsWith("*** ").contains("/quit");
  }

  // Lines read together travel to the RoomVerticle as one batch; a question must still see the batch's effects.
  @Test
  void answersTakeEffectOfTheLinesSentBeforeThemInTheSameWrite() throws Exception {
    bob.sendRaw("three\n/join dev\n/rooms\n/who dev\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    bob.expect("[bob] three");
    bob.expect("[bob] 접속");
    assertThat(bob.next()).startsWith("*** ").contains("lobby (1", "dev (1");
    assertThat(bob.next()).startsWith("*** ").contains("bob");
    alice.expect("[bob] three");
    alice.expect("[bob] 접속 해제");
  }

  private static void send(LineClient client, String line) {
    try {
      client.send(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
