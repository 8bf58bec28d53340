package chat.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.LineClient;
import chat.TestServer;
import chat.WebClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The WebSocket endpoint and the page over real sockets, with line clients in the same rooms. */
@Timeout(60)
class WebChatTest {

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    // One server for every test, so the lobby has the earlier tests' lines: nothing is replayed on this one, to keep
    // the other tests' expectations exact; the history test starts a server of its own.
    server = TestServer.start(Map.of("CHAT_LIMITS_MAX_LINE_BYTES", "512", "CHAT_LIMITS_LINES_PER_SECOND", "50",
        "CHAT_LIMITS_LINE_BURST", "50", "CHAT_LIMITS_FLOOD_QUEUE_LINES", "20", "CHAT_HISTORY_REPLAY_LINES", "0"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void registeredUserEntersTheLobbyAndSaysAndActsWithTimeAndSender() throws Exception {
    try (WebClient ann = WebClient.register(server.webPort(), "ann1")) {
      long before = System.currentTimeMillis() - 1000;
      ann.send("say", "room", "lobby", "text", "hello <b>all</b>");
      JsonObject said = ann.expectType("said");
      assertThat(said.getString("room")).isEqualTo("lobby");
      assertThat(said.getString("name")).isEqualTo("ann1");
      assertThat(said.getString("text")).isEqualTo("hello <b>all</b>");
      assertThat(said.getLong("time")).isBetween(before, System.currentTimeMillis() + 1000);
      ann.send("act", "room", "lobby", "text", "waves");
      assertThat(ann.expectType("acted").getString("text")).isEqualTo("waves");
    }
  }

  @Test
  void enteringARoomShowsItsLastLinesAsAHistoryEventAndHistoryAnswersMore() throws Exception {
    try (TestServer own = TestServer.start(Map.of("CHAT_HISTORY_REPLAY_LINES", "2"));
        WebClient ann = WebClient.register(own.webPort(), "ann9")) {
      for (String text : List.of("one", "two", "three")) {
        ann.send("say", "room", "lobby", "text", text);
        ann.expectType("said");
      }
      try (WebClient bob = WebClient.register(own.webPort(), "bob9")) {
        JsonObject replay = bob.expectType("history");
        assertThat(replay.getString("room")).isEqualTo("lobby");
        assertThat(replay.getBoolean("replay")).isTrue();
        JsonArray lines = replay.getJsonArray("lines");
        assertThat(lines).hasSize(2);
        assertThat(lines.getJsonObject(0).getString("type")).isEqualTo("said");
        assertThat(lines.getJsonObject(0).getString("name")).isEqualTo("ann9");
        assertThat(lines.getJsonObject(0).getString("text")).isEqualTo("two");
        assertThat(lines.getJsonObject(1).getString("text")).isEqualTo("three");
        assertThat(lines.getJsonObject(1).getLong("seq")).isGreaterThan(lines.getJsonObject(0).getLong("seq"));
        assertThat(lines.getJsonObject(1).getLong("time")).isPositive();

        bob.send(new JsonObject().put("type", "history").put("room", "lobby").put("limit", 3));
        JsonObject asked = bob.expectType("history");
        assertThat(asked.getBoolean("replay")).isFalse();
        assertThat(asked.getJsonArray("lines").stream().map(line -> ((JsonObject) line).getString("text")))
            .containsExactly("one", "two", "three");
        bob.send(new JsonObject().put("type", "history").put("room", "lobby").put("limit", 0));
        assertThat(bob.expectType("error").getString("code")).isEqualTo("bad_message");
        bob.send("history", "room", "elsewhere");
        assertThat(bob.expectType("error").getString("code")).isEqualTo("not_in_room");
      }
    }
  }

  @Test
  void joinPartWhoRoomsNickAndPrivateMessages() throws Exception {
    try (WebClient ben = WebClient.register(server.webPort(), "ben2");
        WebClient cat = WebClient.register(server.webPort(), "cat2")) {
      ben.send("join", "room", "Den2");
      JsonObject joined = ben.await(e -> e.getString("type").equals("joined") && e.getString("name").equals("ben2"));
      assertThat(joined.getString("room")).isEqualTo("den2");
      cat.send("join", "room", "den2");
      cat.expectType("joined");
      ben.await(e -> e.getString("type").equals("joined") && e.getString("name").equals("cat2"));
      ben.send("who", "room", "den2");
      assertThat(ben.await(e -> e.getString("type").equals("who")).getJsonArray("names"))
          .isEqualTo(new JsonArray(List.of("ben2", "cat2")));
      ben.send("rooms");
      JsonArray rooms = ben.expectType("rooms").getJsonArray("rooms");
      assertThat(rooms).contains(new JsonObject().put("room", "den2").put("count", 2));
      ben.send("msg", "to", "CAT2", "text", "psst");
      JsonObject copy = ben.expectType("private");
      assertThat(copy.getString("from")).isEqualTo("ben2");
      assertThat(copy.getString("to")).isEqualTo("cat2");
      JsonObject received = cat.await(e -> e.getString("type").equals("private"));
      assertThat(received.getString("text")).isEqualTo("psst");
      ben.send("nick", "name", "ben3");
      JsonObject nick = ben.expectType("nick");
      assertThat(nick.getString("newName")).isEqualTo("ben3");
      ben.expectType("nick");
      ben.send("part", "room", "den2");
      JsonObject left = ben.expectType("left");
      assertThat(left.getString("reason")).isEqualTo("part");
      cat.await(e -> e.getString("type").equals("left") && e.getString("name").equals("ben3"));
      ben.send("quit");
      // Its own leave of each of its rooms first (the web user sees its own parts), then the close.
      assertThat(ben.expectType("left").getString("reason")).isEqualTo("quit");
      assertThat(ben.expectType("closed").getInteger("code")).isEqualTo(1000);
      cat.await(e -> e.getString("type").equals("left") && "quit".equals(e.getString("reason")));
    }
  }

  @Test
  void takenAndInvalidNamesAreExplainedAndThePromptRepeats() throws Exception {
    try (WebClient dan = WebClient.register(server.webPort(), "dan3");
        WebClient other = WebClient.connect(server.webPort())) {
      other.expectType("prompt");
      other.send("register", "name", "DAN3");
      JsonObject taken = other.expectType("error");
      assertThat(taken.getString("code")).isEqualTo("name_taken");
      other.expectType("prompt");
      other.send("register", "name", "*bad");
      JsonObject invalid = other.expectType("error");
      assertThat(invalid.getString("code")).isEqualTo("invalid_name");
      assertThat(invalid.getString("problem")).isEqualTo("bad_character");
      other.expectType("prompt");
      other.send("say", "room", "lobby", "text", "too early");
      assertThat(other.expectType("error").getString("code")).isEqualTo("not_registered");
    }
  }

  @Test
  void errorsAnswerBadMessagesInOrderAndKeepTheConnection() throws Exception {
    try (WebClient eve = WebClient.register(server.webPort(), "eve4")) {
      eve.sendText("not json");
      eve.sendText("[1,2]");
      eve.send("dance");
      eve.sendText("{\"type\":\"say\",\"room\":\"lobby\"}");
      eve.send("topic", "room", "nowhere", "text", "news");
      eve.send("register", "name", "eve5");
      eve.send("say", "room", "nowhere", "text", "x");
      eve.send("join", "room", "!bad");
      eve.send("msg", "to", "nobody4", "text", "hi");
      eve.send("say", "room", "lobby", "text", "still here");
      List<String> codes = List.of("invalid_json", "invalid_json", "unknown_type", "bad_message", "not_in_room",
          "already_registered", "not_in_room", "invalid_room", "no_such_user");
      for (String code : codes) {
        assertThat(eve.expectType("error").getString("code")).isEqualTo(code);
      }
      assertThat(eve.expectType("said").getString("text")).isEqualTo("still here");
    }
    assertThat(server.count("chat.input.rejected", "invalid_message")).isGreaterThanOrEqualTo(4);
  }

  @Test
  void aTopicSetFromTheWebReachesLineUsersAndIsAnsweredWhenAsked() throws Exception {
    try (WebClient gil = WebClient.register(server.webPort(), "gil6");
        LineClient hal = LineClient.register(server.port(), "hal6")) {
      gil.send("join", "room", "stage6");
      gil.await(e -> e.getString("type").equals("joined") && e.getString("room").equals("stage6"));
      hal.send("/join stage6");
      gil.await(e -> e.getString("type").equals("joined") && e.getString("name").equals("hal6"));
      gil.send("topic", "room", "stage6", "text", "release day");
      JsonObject set = gil.await(e -> e.getString("type").equals("topic"));
      assertThat(set.getString("room")).isEqualTo("stage6");
      assertThat(set.getString("name")).isEqualTo("gil6");
      assertThat(set.getString("text")).isEqualTo("release day");
      hal.awaitLine(line -> line.startsWith("*** ") && line.endsWith("release day"));
      gil.send("topic", "room", "stage6");
      JsonObject asked = gil.expectType("topic");
      assertThat(asked.getString("text")).isEqualTo("release day");
      assertThat(asked.getString("by")).isEqualTo("gil6");
    }
  }

  @Test
  void pipelinedMessagesAreAnsweredInOrder() throws Exception {
    try (WebClient fay = WebClient.register(server.webPort(), "fay5")) {
      String[] batch = {
          "{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"one\"}",
          "{\"type\":\"who\",\"room\":\"lobby\"}",
          "nonsense",
          "{\"type\":\"join\",\"room\":\"order5\"}",
          "{\"type\":\"rooms\"}",
          "{\"type\":\"act\",\"room\":\"order5\",\"text\":\"two\"}",
          "{\"type\":\"nick\",\"name\":\"fay6\"}",
          "{\"type\":\"msg\",\"to\":\"fay6\",\"text\":\"three\"}",
          "{\"type\":\"part\",\"room\":\"order5\"}",
          "{\"type\":\"say\",\"room\":\"lobby\",\"text\":\"four\"}"};
      for (String message : batch) {
        fay.sendText(message);
      }
      List<String> types = List.of("said", "who", "error", "joined", "rooms", "acted", "nick", "nick", "private",
          "left", "said");
      for (String type : types) {
        fay.expectType(type);
      }
    }
  }

  @Test
  void aLineUserAndAWebUserAreOrdinaryUsersToEachOther() throws Exception {
    try (WebClient gil = WebClient.register(server.webPort(), "gil7");
        LineClient hal = LineClient.register(server.port(), "hal7")) {
      gil.await(e -> e.getString("type").equals("joined") && e.getString("name").equals("hal7"));
      gil.send("say", "room", "lobby", "text", "hi hal");
      hal.awaitLine("[gil7] hi hal"::equals);
      hal.send("hi gil");
      JsonObject said = gil.await(e -> e.getString("type").equals("said") && e.getString("name").equals("hal7"));
      assertThat(said.getString("text")).isEqualTo("hi gil");
      gil.send("act", "room", "lobby", "text", "smiles");
      hal.awaitLine("* gil7 smiles"::equals);
      hal.send("/msg gil7 secret");
      JsonObject whisper = gil.await(e -> e.getString("type").equals("private"));
      assertThat(whisper.getString("from")).isEqualTo("hal7");
      gil.send("msg", "to", "hal7", "text", "back");
      hal.awaitLine("[gil7 → hal7] back"::equals);
    }
  }

  @Test
  void anOversizedMessageGetsAnErrorThenClose1009() throws Exception {
    try (WebClient ivy = WebClient.register(server.webPort(), "ivy8")) {
      ivy.send("say", "room", "lobby", "text", "x".repeat(600));
      assertThat(ivy.expectType("error").getString("code")).isEqualTo("too_large");
      assertThat(ivy.expectType("closed").getInteger("code")).isEqualTo(1009);
    }
  }

  @Test
  void aFloodIsCutOffWith1008() throws Exception {
    try (WebClient jo = WebClient.register(server.webPort(), "jo9")) {
      try {
        for (int i = 0; i < 200; i++) {
          jo.send("who", "room", "lobby");
        }
      } catch (Exception closedMidway) {
        // the server cut the flood off while it was being sent
      }
      JsonObject error = jo.await(e -> e.getString("type").equals("error"));
      assertThat(error.getString("code")).isEqualTo("flood");
      assertThat(jo.await(e -> e.getString("type").equals("closed")).getInteger("code")).isEqualTo(1008);
    }
    assertThat(server.count("chat.input.rejected", "flood")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aForeignOriginIsRefusedWith403BeforeTheUpgrade() throws Exception {
    assertThatThrownBy(() -> WebClient.connect(server.webPort(), "http://evil.example"))
        .hasMessageContaining("403");
    try (WebClient own = WebClient.connect(server.webPort(), "http://127.0.0.1:" + server.webPort())) {
      own.expectType("prompt");
    }
  }

  @Test
  void thePageIsServedWithAStrictPolicyAndNothingElseIs() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"/app.js\"");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValue(WebServerVerticle.CONTENT_SECURITY_POLICY);
    for (String path : List.of("/app.js", "/style.css", "/icon.svg")) {
      assertThat(http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode()).isEqualTo(200);
    }
    for (String path : List.of("/metrics", "/health/ready", "/health/live", "/web/app.js", "/../pom.xml")) {
      assertThat(http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode()).as(path).isEqualTo(404);
    }
  }

  @Test
  void connectionsAreCountedWithTheWebLabel() throws Exception {
    try (WebClient kim = WebClient.register(server.webPort(), "kim10")) {
      double web = server.metrics().registry().get("chat.connections.active").tag("protocol", "web").gauge().value();
      assertThat(web).isGreaterThanOrEqualTo(1);
      assertThat(kim.silentFor(Duration.ofMillis(50))).isTrue();
    }
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.webPort() + path);
  }
}
