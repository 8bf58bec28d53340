package chat.bench;

import chat.bench.reference.ReferenceServer;
import chat.bench.reference.ReferenceServer.Transport;
import io.netty.channel.epoll.Epoll;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FanoutAgainstReferenceTest {

  private static Target target(int port) {
    return new Target("127.0.0.1", port, 0, null, 1, 20, "reference", 30_000, Protocol.LINE);
  }

  private static JsonObject results(JsonObject run) {
    return run.getJsonObject("results");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void closedLoopFanoutDeliversEveryMessageToEveryClientExactlyOnce(Transport transport) throws Exception {
    assumeTrue(transport.isAvailable(), transport + " is not available here");
    try (ReferenceServer server = new ReferenceServer("127.0.0.1", 0, false, transport)) {
      JsonObject run = new TrafficRun("fanout", 20, 0, 4, 4, 0, 0.5, 2.5, 0, 20)
          .run(target(server.start()), new PrintWriter(new StringWriter()));

      JsonObject r = results(run);
      assertThat(r.getLong("sent")).isPositive();
      assertThat(r.getLong("delivered")).isEqualTo(r.getLong("sent") * 20);
      assertThat(r.getLong("lost")).isZero();
      assertThat(r.getLong("duplicated")).isZero();
      assertThat(r.getLong("reordered")).isZero();
      assertThat(r.getJsonObject("latencyMicros").getLong("count")).isPositive();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void openLoopFanoutDeliversEveryMessageToEveryClientExactlyOnce(Transport transport) throws Exception {
    assumeTrue(transport.isAvailable(), transport + " is not available here");
    try (ReferenceServer server = new ReferenceServer("127.0.0.1", 0, false, transport)) {
      JsonObject run = new TrafficRun("fanout", 20, 0, 4, 0, 400, 0.5, 2.5, 16, 20)
          .run(target(server.start()), new PrintWriter(new StringWriter()));

      JsonObject r = results(run);
      assertThat(r.getLong("sent")).isPositive();
      assertThat(r.getLong("expectedDeliveries")).isEqualTo(r.getLong("sent") * 20);
      assertThat(r.getLong("lost")).isZero();
      assertThat(r.getLong("duplicated")).isZero();
    }
  }

  @Test
  void runsOnEpollWhereItLoadsAndOnNioElsewhere() {
    try (ReferenceServer server = new ReferenceServer("127.0.0.1", 0, false)) {
      assertThat(server.transport()).isEqualTo(Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO);
    }
  }

  @Test
  void aServerOnEpollIsSeenAsEpollByTheProbe() throws Exception {
    assumeTrue(Epoll.isAvailable(), "epoll is not available here");
    try (ReferenceServer server = new ReferenceServer("127.0.0.1", 0, false, Transport.EPOLL)) {
      server.start();
      assertThat(ServerProbe.self().nettyTransport()).isEqualTo("epoll");
    }
  }
}
