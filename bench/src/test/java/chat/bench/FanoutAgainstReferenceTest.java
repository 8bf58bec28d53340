package chat.bench;

import chat.bench.reference.ReferenceServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FanoutAgainstReferenceTest {

  private ReferenceServer server;
  private int port;

  @BeforeEach
  void startReference() throws InterruptedException {
    server = new ReferenceServer("127.0.0.1", 0, false);
    port = server.start();
  }

  @AfterEach
  void stopReference() {
    server.close();
  }

  private Target target() {
    return new Target("127.0.0.1", port, 0, null, 1, 20, "reference", 30_000);
  }

  private static JsonObject results(JsonObject run) {
    return run.getJsonObject("results");
  }

  @Test
  void closedLoopFanoutDeliversEveryMessageToEveryClientExactlyOnce() throws Exception {
    JsonObject run = new TrafficRun("fanout", 20, 0, 4, 4, 0, 0.5, 2.5, 0, 20)
        .run(target(), new PrintWriter(new StringWriter()));

    JsonObject r = results(run);
    assertThat(r.getLong("sent")).isPositive();
    assertThat(r.getLong("delivered")).isEqualTo(r.getLong("sent") * 20);
    assertThat(r.getLong("lost")).isZero();
    assertThat(r.getLong("duplicated")).isZero();
    assertThat(r.getLong("reordered")).isZero();
    assertThat(r.getJsonObject("latencyMicros").getLong("count")).isPositive();
  }

  @Test
  void openLoopFanoutDeliversEveryMessageToEveryClientExactlyOnce() throws Exception {
    JsonObject run = new TrafficRun("fanout", 20, 0, 4, 0, 400, 0.5, 2.5, 16, 20)
        .run(target(), new PrintWriter(new StringWriter()));

    JsonObject r = results(run);
    assertThat(r.getLong("sent")).isPositive();
    assertThat(r.getLong("expectedDeliveries")).isEqualTo(r.getLong("sent") * 20);
    assertThat(r.getLong("lost")).isZero();
    assertThat(r.getLong("duplicated")).isZero();
  }
}
