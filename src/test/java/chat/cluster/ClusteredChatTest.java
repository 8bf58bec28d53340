package chat.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LaneSequences;
import chat.LineClient;
import chat.ServerProcess;
import chat.TestServer;
import chat.line.Texts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two real clustered nodes in this JVM (Hazelcast on 127.0.0.1, free ports), each a full server: one chat across
 * them. Each test uses its own names and room so that the shared lobby does not matter. A user who entered a room on
 * one node just before a user of another node may reach the other node after that user's own join, so the tests
 * skip such join lines rather than expect a fixed sequence.
 */
@Timeout(180)
class ClusteredChatTest {

  private static final Duration FORMATION = TwoNodes.FORMATION;
  /** Flood control (when present) would cut off the senders of the order test. */
  private static final Map<String, String> ENV = Map.of("CHAT_LIMITS_LINES_PER_SECOND", "0");

  private static final AtomicInteger LANE_CASE = new AtomicInteger();

  private static TwoNodes nodes;
  private static int portA;
  private static int portB;
  private static TestServer a;
  private static TestServer b;

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = TwoNodes.start(ENV);
    a = nodes.a;
    b = nodes.b();
    portA = nodes.portA;
    portB = nodes.portB;
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void joinsMessagesActionsRenamesAndLeavesReachTheRoomOnTheOtherNode() throws Exception {
    try (LineClient alice = inRoom(a, "alice1", "plaza");
        LineClient bob = inRoom(b, "bob1", "plaza")) {
      alice.awaitLine("[bob1] 접속"::equals);
      bob.send("hello alice");
      bob.awaitLine("[bob1] hello alice"::equals);
      alice.expect("[bob1] hello alice");
      alice.send("/me waves");
      alice.expect("* alice1 waves");
      bob.expect("* alice1 waves");
      bob.send("/nick bob2");
      bob.expect("*** bob1 is now bob2");
      alice.expect("*** bob1 is now bob2");
      bob.send("/quit");
      bob.awaitClose();
      alice.expect("[bob2] 접속 해제");
    }
  }

  @Test
  void eachSendersOrderIsKeptAcrossNodes() throws Exception {
    int count = 300;
    try (LineClient alice = inRoom(a, "alice2", "order");
        LineClient bob = inRoom(b, "bob2x", "order")) {
      alice.awaitLine("[bob2x] 접속"::equals);
      for (int i = 0; i < count; i++) {
        alice.send("a" + i);
        bob.send("b" + i);
      }
      for (LineClient reader : List.of(alice, bob)) {
        int nextA = 0;
        int nextB = 0;
        while (nextA < count || nextB < count) {
          String line = reader.next();
          if (line.startsWith("[alice2] ")) {
            assertThat(line).isEqualTo("[alice2] a" + nextA++);
          } else if (line.startsWith("[bob2x] ")) {
            assertThat(line).isEqualTo("[bob2x] b" + nextB++);
          }
        }
      }
    }
  }

  @Test
  void whoRoomsAndPrivateMessagesSeeUsersOnEveryNode() throws Exception {
    try (LineClient alice = inRoom(a, "alice3", "den");
        LineClient bob = inRoom(b, "bob3", "den")) {
      alice.awaitLine("[bob3] 접속"::equals);
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        alice.send("/who");
        assertThat(alice.awaitLine(l -> l.startsWith("*** "))).last().isEqualTo("*** den 방 사용자 2명: alice3, bob3");
      });
      bob.send("/rooms");
      assertThat(bob.awaitLine(l -> l.startsWith("*** 방 목록"))).last().asString().contains("den");
      alice.send("/msg BOB3 psst");
      alice.expect("[alice3 → bob3] psst");
      bob.awaitLine("[alice3 → bob3] psst"::equals);
      bob.send("/msg nobody3 hi");
      assertThat(bob.awaitLine(l -> l.startsWith("*** "))).last().asString().contains("nobody3");
    }
  }

  @Test
  void aNameIsUniqueAcrossNodesAlsoForNick() throws Exception {
    try (LineClient alice = inRoom(a, "carol4", "nicks");
        LineClient bob = inRoom(b, "dave4", "nicks")) {
      alice.awaitLine("[dave4] 접속"::equals);
      bob.send("/nick Carol4");
      // Alice's join may reach B after Bob's own: B's order of events is the one its users see.
      assertThat(bob.awaitLine(l -> l.startsWith("*** "))).last().asString().contains("Carol4");
      try (LineClient other = LineClient.connect(b.port())) {
        other.expect("ID");
        other.send("CAROL4");
        other.expect("등록된 사용자");
        other.expect("ID");
      }
      alice.send("/nick erin4");
      alice.expect("*** carol4 is now erin4");
      bob.awaitLine("*** carol4 is now erin4"::equals);
      // The old name is released just after the rename is announced.
      Awaitility.await("carol4 free").atMost(Duration.ofSeconds(10)).until(() -> {
        bob.send("/nick carol4");
        List<String> seen = bob.awaitLine(l -> l.startsWith("*** "));
        return seen.get(seen.size() - 1).equals("*** dave4 is now carol4");
      });
      alice.awaitLine("*** dave4 is now carol4"::equals);
    }
  }

  @Test
  void fortyClientsRacingForOneNameOnTwoNodesLetExactlyOneWin() throws Exception {
    int perNode = 20;
    List<LineClient> clients = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2 * perNode);
    try {
      for (int i = 0; i < 2 * perNode; i++) {
        LineClient client = LineClient.connect((i % 2 == 0 ? a : b).port());
        client.expect("ID");
        clients.add(client);
      }
      CyclicBarrier go = new CyclicBarrier(clients.size());
      List<Callable<String>> attempts = new ArrayList<>();
      for (LineClient client : clients) {
        attempts.add(() -> {
          go.await();
          client.send("racer");
          return client.next();
        });
      }
      Map<String, Integer> outcomes = new HashMap<>();
      for (Future<String> outcome : pool.invokeAll(attempts)) {
        outcomes.merge(outcome.get(), 1, Integer::sum);
      }
      assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("[racer] 접속", 1, "등록된 사용자", 39));
    } finally {
      pool.shutdownNow();
      for (LineClient client : clients) {
        client.close();
      }
    }
  }

  @Test
  void aLateNodeSeesExistingMembersAndItsLeavesAreAnnouncedWhenItStops() throws Exception {
    int portC = ServerProcess.freePort();
    try (LineClient alice = inRoom(a, "alice6", "late");
        LineClient bob = inRoom(b, "bob6", "late")) {
      alice.awaitLine("[bob6] 접속"::equals);
      TestServer c = TestServer.startClustered(portC,
          "127.0.0.1:" + portA + ",127.0.0.1:" + portB + ",127.0.0.1:" + portC, ENV);
      try {
        Awaitility.await("three members").atMost(FORMATION).until(() -> a.cluster().memberCount() == 3);
        try (LineClient carol = inRoom(c, "carol6", "late")) {
          alice.awaitLine("[carol6] 접속"::equals);
          bob.awaitLine("[carol6] 접속"::equals);
          carol.send("/who");
          assertThat(carol.next()).isEqualTo("*** late 방 사용자 3명: alice6, bob6, carol6");
          alice.send("hi carol");
          carol.awaitLine("[alice6] hi carol"::equals);
        }
        alice.awaitLine("[carol6] 접속 해제"::equals);
        try (LineClient dan = LineClient.register(c.port(), "dan6")) {
          dan.send("/join late");
          alice.awaitLine("[dan6] 접속"::equals);
        }
        alice.awaitLine("[dan6] 접속 해제"::equals);
        try (LineClient erin = inRoom(c, "erin6", "late")) {
          alice.awaitLine("[erin6] 접속"::equals);
          c.close();
          c = null;
          alice.awaitLine("[erin6] 접속 해제"::equals);
          bob.awaitLine("[erin6] 접속 해제"::equals);
        }
        // The stopped node's name is free again, on the survivors.
        LineClient.register(b.port(), "erin6").close();
      } finally {
        if (c != null) {
          c.close();
        }
      }
    }
  }

  static Stream<LaneSequences.Case> laneCases() {
    return LaneSequences.cases(Texts.KO);
  }

  // The sender on one node, the receiver on the other: queries answered from this node's mirror of the other's
  // users, private messages sent across, all in the sender's lane.
  @ParameterizedTest(name = "{0}")
  @MethodSource("laneCases")
  void answersArriveInLineOrderWithTheReceiverOnAnotherNode(LaneSequences.Case c) throws Exception {
    int n = LANE_CASE.incrementAndGet();
    LaneSequences.Users users = new LaneSequences.Users("sam" + n, "rita" + n, "lane" + n);
    try (LineClient sender = inRoom(a, users.sender(), users.room());
        LineClient receiver = inRoom(b, users.receiver(), users.room())) {
      sender.awaitLine(("[" + users.receiver() + "] 접속")::equals);
      // Earlier tests' users may still be leaving: start once /rooms shows only this case's room.
      String alone = Texts.KO.rooms(Map.of(users.room(), 2));
      Awaitility.await("earlier rooms gone").atMost(Duration.ofSeconds(10)).until(() -> {
        sender.send("/rooms");
        return sender.next().equals(alone);
      });
      LaneSequences.send(sender, c, users);
      LaneSequences.verify(c, users, sender, receiver);
    }
  }

  /** Registers {@code name} on {@code node} and moves it to {@code room}, past its own join there. */
  private static LineClient inRoom(TestServer node, String name, String room) throws Exception {
    LineClient client = LineClient.register(node.port(), name);
    client.send("/join " + room);
    client.awaitLine(("[" + name + "] 접속")::equals);
    return client;
  }
}
