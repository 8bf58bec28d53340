package chat.net;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Races the original server lost: concurrent joins and concurrent claims on one name. */
@Timeout(120)
class ConcurrencyTest {

  private TestServer server;
  private ExecutorService pool;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(Map.of("CHAT_LIMITS_LINES_PER_SECOND", "0"));
    pool = Executors.newFixedThreadPool(200);
  }

  @AfterEach
  void stop() throws Exception {
    pool.shutdownNow();
    server.close();
  }

  @Test
  void twoHundredConcurrentRegistrationsAllSucceedAndEachSeesExactlyTheJoinsAfterItsOwn() throws Exception {
    int users = 200;
    List<LineClient> clients = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      LineClient client = LineClient.connect(server.port());
      client.expect("ID");
      clients.add(client);
    }
    CyclicBarrier go = new CyclicBarrier(users);
    List<Callable<Void>> registrations = new ArrayList<>();
    for (int i = 0; i < users; i++) {
      LineClient client = clients.get(i);
      String name = "user" + i;
      registrations.add(() -> {
        go.await();
        client.send(name);
        return null;
      });
    }
    try {
      for (Future<Void> sent : pool.invokeAll(registrations)) {
        sent.get();
      }
      List<List<String>> seen = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        String own = "[user" + i + "] 접속";
        List<String> before = clients.get(i).awaitLine(own::equals);
        assertThat(before).as("user%d saw nothing before its own join", i).containsExactly(own);
      }
      clients.get(0).send("end of joins");
      for (LineClient client : clients) {
        List<String> lines = client.awaitLine("[user0] end of joins"::equals);
        seen.add(lines.subList(0, lines.size() - 1));
      }
      List<String> everyJoin = seen.stream().filter(l -> l.size() == users - 1).findFirst().orElseThrow();
      for (int i = 0; i < users; i++) {
        String own = "[user" + i + "] 접속";
        List<String> after = everyJoin.subList(everyJoin.indexOf(own) + 1, everyJoin.size());
        if (!everyJoin.contains(own)) {
          after = everyJoin;
        }
        assertThat(seen.get(i)).as("joins seen by user%d after its own", i).isEqualTo(after);
      }
    } finally {
      for (LineClient client : clients) {
        client.close();
      }
    }
  }

  @Test
  void fortyConcurrentClaimsOnOneNameHaveExactlyOneWinner() throws Exception {
    int claimants = 40;
    CyclicBarrier go = new CyclicBarrier(claimants);
    List<Callable<String>> claims = new ArrayList<>();
    List<LineClient> clients = new ArrayList<>();
    for (int i = 0; i < claimants; i++) {
      LineClient client = LineClient.connect(server.port());
      client.expect("ID");
      clients.add(client);
      claims.add(() -> {
        go.await();
        client.send("highlander");
        return client.next();
      });
    }
    try {
      List<String> answers = new ArrayList<>();
      for (Future<String> answer : pool.invokeAll(claims)) {
        answers.add(answer.get());
      }
      assertThat(answers).filteredOn("[highlander] 접속"::equals).hasSize(1);
      assertThat(answers).filteredOn("등록된 사용자"::equals).hasSize(claimants - 1);
    } finally {
      for (LineClient client : clients) {
        client.close();
      }
    }
  }
}
