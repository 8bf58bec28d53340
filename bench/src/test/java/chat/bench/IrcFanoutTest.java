package chat.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator's IRC mode against both IRC servers of the benchmark, each in its own process on loopback:
 * the chat server's IRC listener and ngIRCd (skipped where it is not installed). Without echo, a message reaches
 * every member but its sender, exactly once and in order. No timing is asserted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IrcFanoutTest {

  private static final int CLIENTS = 20;

  private static Target target(int port, ServerProbe probe, String label) {
    return new Target("127.0.0.1", port, 0, probe, 1, 20, label, 30_000, Protocol.IRC);
  }

  private static JsonObject closedLoop(Target target) throws Exception {
    return new TrafficRun("fanout", CLIENTS, 0, 4, 4, 0, 0.5, 2.5, 0, 20)
        .run(target, new PrintWriter(new StringWriter())).getJsonObject("results");
  }

  private static void assertEveryMessageReachedEveryOtherMemberOnce(JsonObject r) {
    assertThat(r.getLong("sent")).isPositive();
    assertThat(r.getLong("expectedDeliveries")).isEqualTo(r.getLong("sent") * (CLIENTS - 1));
    assertThat(r.getLong("delivered")).isEqualTo(r.getLong("expectedDeliveries"));
    assertThat(r.getLong("lost")).isZero();
    assertThat(r.getLong("duplicated")).isZero();
    assertThat(r.getLong("reordered")).isZero();
    assertThat(r.getLong("disconnects")).isZero();
  }

  @Test
  void closedLoopAgainstTheChatServersIrcListener() throws Exception {
    try (ChatServerJar server = ChatServerJar.startWithIrc()) {
      JsonObject r = closedLoop(target(server.ircPort(), new ServerProbe(server.pid()), "chat-irc"));

      assertEveryMessageReachedEveryOtherMemberOnce(r);
      assertThat(r.getLong("serverCpuNanosPerDelivery")).isPositive();
    }
  }

  @Test
  void closedLoopAgainstNgircd(@TempDir Path dir) throws Exception {
    try (ServerProcess server = NgircdProcess.start(dir)) {
      JsonObject r = closedLoop(target(server.port(0), new ServerProbe(server.pid()), "ngircd"));

      assertEveryMessageReachedEveryOtherMemberOnce(r);
      assertThat(r.getJsonObject("latencyMicros").getLong("count")).isPositive();
    }
  }

  @Test
  void openLoopAgainstNgircd(@TempDir Path dir) throws Exception {
    try (ServerProcess server = NgircdProcess.start(dir)) {
      JsonObject r = new TrafficRun("fanout", CLIENTS, 0, 4, 0, 400, 0.5, 2.5, 16, 20)
          .run(target(server.port(0), null, "ngircd"), new PrintWriter(new StringWriter()))
          .getJsonObject("results");

      assertEveryMessageReachedEveryOtherMemberOnce(r);
    }
  }
}
