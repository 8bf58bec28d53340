package chat.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator against the packaged chat server in its own process, as a benchmark runs it: every message
 * reaches every member exactly once and in order, and the server's CPU is measured. No timing is asserted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FanoutAgainstServerJarTest {

  private static ChatServerJar server;

  @BeforeAll
  static void startServer() throws Exception {
    server = ChatServerJar.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static Target target(ServerProbe probe) {
    return new Target("127.0.0.1", server.port(), 0, probe, 1, 20, "chat", 30_000, Protocol.LINE);
  }

  @Test
  void theServerIsFoundByItsListeningPort() {
    assertThat(ServerProbe.findListener(server.port())).hasValue(server.pid());
  }

  @Test
  void closedLoopFanoutDeliversEveryMessageToEveryClientExactlyOnceInOrder() throws Exception {
    JsonObject run = new TrafficRun("fanout", 20, 0, 4, 4, 0, 0.5, 2.5, 0, 20)
        .run(target(new ServerProbe(server.pid())), new PrintWriter(new StringWriter()));
    JsonObject r = run.getJsonObject("results");

    assertThat(r.getLong("sent")).isPositive();
    assertThat(r.getLong("delivered")).isPositive().isEqualTo(r.getLong("sent") * 20);
    assertThat(r.getLong("lost")).isZero();
    assertThat(r.getLong("duplicated")).isZero();
    assertThat(r.getLong("reordered")).isZero();
    assertThat(r.getLong("disconnects")).isZero();
    assertThat(r.getLong("serverCpuNanosPerDelivery")).isPositive();
    assertThat(run.getJsonObject("target").getString("serverTransport")).isIn("nio", "epoll", "io_uring");
  }

  /** Regression: with rooms, the registration barrier waited for a #sync that only room 0 ever sees. */
  @Test
  void idleRunWithRoomsRegistersEverybody() throws Exception {
    JsonObject r = new IdleRun(60, 5, 0)
        .run(target(null), null, new PrintWriter(new StringWriter()))
        .getJsonObject("results");

    assertThat(r.getLong("registered")).isEqualTo(60);
    assertThat(r.getLong("disconnects")).isZero();
  }
}
