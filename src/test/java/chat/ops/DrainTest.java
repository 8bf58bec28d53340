package chat.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chat.LineClient;
import chat.OpsClient;
import chat.TestServer;
import io.vertx.core.Future;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Health endpoints and the drain in this JVM; the SIGTERM path through a real process is in DrainIT. */
@Timeout(60)
class DrainTest {

  private TestServer server;
  private OpsClient ops;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start();
    ops = new OpsClient(server.httpPort());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void aStartedNodeIsLiveAndReady() throws Exception {
    assertThat(ops.get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = ops.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"outcome\":\"UP\"");
  }

  @Test
  void readyAnswers503WhileDrainingButLiveStaysUp() throws Exception {
    server.readiness().draining();

    HttpResponse<String> ready = ops.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("draining");
    assertThat(ops.get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void anUnsafeClusterMakesTheNodeUnready() throws Exception {
    server.readiness().clusterSafety(() -> false);

    HttpResponse<String> ready = ops.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("cluster not safe");
  }

  @Test
  void drainTakesReadinessDownThenNotifiesAndClosesEveryClientAndStopsAccepting() throws Exception {
    try (LineClient alice = LineClient.register(server.port(), "alice");
        LineClient bob = LineClient.register(server.port(), "bob");
        LineClient prompted = LineClient.connect(server.port())) {
      alice.expect("[bob] 접속");
      prompted.expect("ID");
      assertThat(server.readiness().ready()).isTrue();

      Future<Void> drain = server.drain().run();
      assertThat(server.readiness().ready()).isFalse();
      assertThat(server.readiness().why()).isEqualTo("draining");

      for (LineClient client : new LineClient[] {alice, bob, prompted}) {
        assertThat(client.awaitClose()).last().asString().startsWith("*** ");
        assertThat(client.closedByServer()).isTrue();
      }
      drain.await(20, TimeUnit.SECONDS);
      assertThatThrownBy(() -> LineClient.connect(server.port())).isInstanceOf(ConnectException.class);
      assertThatThrownBy(() -> ops.get("/health/ready")).isInstanceOf(IOException.class);
    }
  }
}
