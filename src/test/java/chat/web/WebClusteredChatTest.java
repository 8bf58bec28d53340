package chat.web;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.ServerProcess;
import chat.TestServer;
import chat.WebClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two clustered nodes in this JVM: a web user on one and a line user on the other share a room. */
@Timeout(180)
class WebClusteredChatTest {

  @Test
  void aWebUserOnOneNodeChatsWithALineUserOnTheOther() throws Exception {
    int portA = ServerProcess.freePort();
    int portB = ServerProcess.freePort();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    try (TestServer a = TestServer.startClustered(portA, members, Map.of());
        TestServer b = TestServer.startClustered(portB, members, Map.of())) {
      Awaitility.await("two members").atMost(Duration.ofSeconds(90))
          .until(() -> a.cluster().memberCount() == 2 && b.cluster().memberCount() == 2);
      try (WebClient web = WebClient.register(a.webPort(), "webby");
          LineClient line = LineClient.register(b.port(), "liner")) {
        web.send("join", "room", "bridge");
        web.await(e -> e.getString("type").equals("joined") && e.getString("room").equals("bridge"));
        line.send("/join bridge");
        line.awaitLine("[liner] 접속"::equals);
        web.await(e -> e.getString("type").equals("joined") && e.getString("name").equals("liner"));
        web.send("say", "room", "bridge", "text", "hello from the browser");
        line.awaitLine("[webby] hello from the browser"::equals);
        line.send("hello from the terminal");
        JsonObject said = web.await(e -> e.getString("type").equals("said") && e.getString("name").equals("liner"));
        assertThat(said.getString("room")).isEqualTo("bridge");
        assertThat(said.getString("text")).isEqualTo("hello from the terminal");
        web.send("msg", "to", "liner", "text", "across nodes");
        line.awaitLine("[webby → liner] across nodes"::equals);
        Awaitility.await("who sees both nodes").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          web.send("who", "room", "bridge");
          assertThat(web.await(e -> e.getString("type").equals("who")).getJsonArray("names").getList())
              .containsExactlyInAnyOrder("webby", "liner");
        });
        web.send("quit");
        line.awaitLine("[webby] 접속 해제"::equals);
      }
    }
  }
}
