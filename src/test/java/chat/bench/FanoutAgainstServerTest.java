package chat.bench;

import chat.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator against our own chat server, in process: every message reaches every member exactly once and
 * in order. Flood control is off, as for every benchmark. No timing is asserted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FanoutAgainstServerTest {

  private TestServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = TestServer.start(Map.of("CHAT_LIMITS_LINES_PER_SECOND", "0"));
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
  }

  private Target target() {
    return new Target("127.0.0.1", server.port(), 0, null, 1, 20, "chat", 30_000);
  }

  @Test
  void closedLoopFanoutDeliversEveryMessageToEveryClientExactlyOnceInOrder() throws Exception {
    JsonObject r = new TrafficRun("fanout", 20, 0, 4, 4, 0, 0.5, 2.5, 0, 20)
        .run(target(), new PrintWriter(new StringWriter()))
        .getJsonObject("results");

    assertThat(r.getLong("sent")).isPositive();
    assertThat(r.getLong("delivered")).isPositive().isEqualTo(r.getLong("sent") * 20);
    assertThat(r.getLong("lost")).isZero();
    assertThat(r.getLong("duplicated")).isZero();
    assertThat(r.getLong("reordered")).isZero();
    assertThat(r.getLong("disconnects")).isZero();
  }

  /** Regression: with rooms, the registration barrier waited for a #sync that only room 0 ever sees. */
  @Test
  void idleRunWithRoomsRegistersEverybody() throws Exception {
    JsonObject r = new IdleRun(60, 5, 0)
        .run(target(), null, new PrintWriter(new StringWriter()))
        .getJsonObject("results");

    assertThat(r.getLong("registered")).isEqualTo(60);
    assertThat(r.getLong("disconnects")).isZero();
  }
}
