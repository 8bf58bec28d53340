package chat.it;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.ServerProcess;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SIGTERM to the packaged server, as Kubernetes sends it. */
@Timeout(120)
class DrainIT {

  private static final int GRACE_SECONDS = 5;

  @Test
  void sigtermNotifiesAndClosesEveryClientThenExitsZeroWithinTheGrace() throws Exception {
    try (ServerProcess server = ServerProcess.start(Map.of(
            "CHAT_SHUTDOWN_GRACE_SECONDS", String.valueOf(GRACE_SECONDS),
            "CHAT_LOG_FORMAT", "json"));
        LineClient alice = LineClient.register(server.tcpPort(), "alice");
        LineClient bob = LineClient.register(server.tcpPort(), "bob");
        LineClient prompted = LineClient.connect(server.tcpPort())) {
      alice.expect("[bob] 접속");
      prompted.expect("ID");

      server.process().destroy();   // SIGTERM on Linux

      for (LineClient client : List.of(alice, bob, prompted)) {
        assertThat(client.awaitClose()).last().asString().startsWith("*** ");
        assertThat(client.closedByServer()).isTrue();
      }
      assertThat(server.awaitExit(Duration.ofSeconds(GRACE_SECONDS))).as(server.output()).isZero();
      List<String> log = server.output().lines().filter(line -> !line.isBlank()).toList();
      assertThat(log).allSatisfy(line -> new JsonObject(line));
      assertThat(log).anySatisfy(line -> assertThat(line).contains("shutdown begin"))
          .anySatisfy(line -> assertThat(line).contains("shutdown end"));
    }
  }
}
