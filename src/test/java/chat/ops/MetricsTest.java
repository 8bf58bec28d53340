package chat.ops;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.OpsClient;
import chat.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a scripted session does to the scraped chat meters, over real sockets and real HTTP. */
@Timeout(90)
class MetricsTest {

  private static final List<String> CHAT_SERIES = List.of(
      "chat_connections_active{protocol=\"line\"}", "chat_users_registered", "chat_rooms",
      "chat_messages_received_total", "chat_messages_delivered_total",
      "chat_names_rejected_total{reason=\"taken\"}", "chat_names_rejected_total{reason=\"invalid\"}",
      "chat_input_rejected_total{protocol=\"line\",reason=\"too_long\"}",
      "chat_input_rejected_total{protocol=\"line\",reason=\"invalid_utf8\"}",
      "chat_input_rejected_total{protocol=\"line\",reason=\"flood\"}",
      "chat_input_rejected_total{protocol=\"irc\",reason=\"invalid_utf8\"}", "chat_slow_consumer_disconnects_total",
      "chat_delivery_latency_seconds_count");

  private TestServer server;
  private OpsClient ops;

  @BeforeEach
  void start() throws Exception {
    // One instance: delivery latency is recorded once per message per instance with members in the room.
    server = TestServer.start(Map.of("CHAT_TCP_INSTANCES", "1"));
    ops = new OpsClient(server.httpPort());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void scrapedChatMetersCountWhatAScriptedSessionDid() throws Exception {
    Map<String, Double> before = chatSeries();
    try (LineClient alice = LineClient.register(server.port(), "alice");
        LineClient bob = LineClient.register(server.port(), "bob");
        LineClient carol = LineClient.connect(server.port());
        LineClient eve = LineClient.connect(server.port())) {
      alice.expect("[bob] 접속");
      carol.expect("ID");
      carol.send("Alice");
      carol.expect("등록된 사용자");
      carol.expect("ID");
      carol.send("no spaces allowed");
      assertThat(carol.next()).startsWith("*** ");
      carol.expect("ID");
      carol.send("carol");
      carol.expect("[carol] 접속");
      alice.expect("[carol] 접속");
      bob.expect("[carol] 접속");

      eve.expect("ID");
      eve.sendRaw(("x".repeat(5000) + "\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(eve.awaitClose()).singleElement().asString().startsWith("*** ");

      carol.sendRaw(new byte[] {'h', (byte) 0xff, (byte) 0xfe, '\n'});
      assertThat(carol.next()).startsWith("*** ");

      alice.send("hello");                       // received 1, delivered 3, one latency sample
      for (LineClient c : List.of(alice, bob, carol)) {
        c.expect("[alice] hello");
      }
      bob.send("/me waves");                     // received 2, delivered 6, two latency samples
      for (LineClient c : List.of(alice, bob, carol)) {
        c.expect("* bob waves");
      }
      alice.send("/msg bob psst");               // received 3, delivered 7 (bob's copy only)
      bob.expect("[alice → bob] psst");
      alice.expect("[alice → bob] psst");
      alice.send("");                            // dropped: no count
      alice.send("/who");                        // a command: no count
      assertThat(alice.next()).startsWith("*** ");

      bob.send("/quit");
      assertThat(bob.awaitClose()).isEmpty();
      alice.expect("[bob] 접속 해제");

      Map<String, Double> expected = Map.ofEntries(
          // alice and carol; eve was closed, bob quit
          Map.entry("chat_connections_active{protocol=\"line\"}", 2.0),
          Map.entry("chat_users_registered", 2.0),
          Map.entry("chat_rooms", 1.0),
          Map.entry("chat_messages_received_total", 3.0),
          Map.entry("chat_messages_delivered_total", 7.0),
          Map.entry("chat_names_rejected_total{reason=\"taken\"}", 1.0),
          Map.entry("chat_names_rejected_total{reason=\"invalid\"}", 1.0),
          Map.entry("chat_input_rejected_total{protocol=\"line\",reason=\"too_long\"}", 1.0),
          Map.entry("chat_input_rejected_total{protocol=\"line\",reason=\"invalid_utf8\"}", 1.0),
          Map.entry("chat_input_rejected_total{protocol=\"line\",reason=\"flood\"}", 0.0),
          Map.entry("chat_slow_consumer_disconnects_total", 0.0),
          Map.entry("chat_delivery_latency_seconds_count", 2.0));
      awaitDeltas(before, expected);
    }
  }

  @Test
  void connectionsActiveReturnsExactlyToItsStartAfter500ConnectsAndDisconnects() throws Exception {
    Map<String, Double> before = chatSeries();
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 500; i++) {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        if (i % 2 == 0) {
          socket.getOutputStream().write(("user" + i + "\n").getBytes(StandardCharsets.US_ASCII));
        }
      }
      awaitDeltas(before, Map.of("chat_connections_active{protocol=\"line\"}", 500.0, "chat_users_registered", 250.0));
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    awaitDeltas(before, Map.of("chat_connections_active{protocol=\"line\"}", 0.0, "chat_users_registered", 0.0,
        "chat_rooms", 0.0));
  }

  private Map<String, Double> chatSeries() throws IOException, InterruptedException {
    Map<String, Double> all = ops.scrape();
    assertThat(all).containsKeys(CHAT_SERIES.toArray(String[]::new));
    return all;
  }

  private void awaitDeltas(Map<String, Double> before, Map<String, Double> expected) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
      Map<String, Double> now = chatSeries();
      for (Map.Entry<String, Double> e : expected.entrySet()) {
        assertThat(now.get(e.getKey()) - before.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      }
    });
  }
}
