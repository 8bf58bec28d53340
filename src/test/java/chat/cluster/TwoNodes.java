package chat.cluster;

import chat.ServerProcess;
import chat.TestServer;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;

/** Two real clustered nodes in this JVM, Hazelcast on 127.0.0.1 at free ports, started and formed into one cluster. */
final class TwoNodes implements AutoCloseable {

  static final Duration FORMATION = Duration.ofSeconds(90);

  final TestServer a;
  final int portA;
  final int portB;
  private TestServer b;

  private TwoNodes(TestServer a, TestServer b, int portA, int portB) {
    this.a = a;
    this.b = b;
    this.portA = portA;
    this.portB = portB;
  }

  static TwoNodes start(Map<String, String> env) throws Exception {
    int portA = ServerProcess.freePort();
    int portB = ServerProcess.freePort();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    TestServer a = TestServer.startClustered(portA, members, env);
    TestServer b = TestServer.startClustered(portB, members, env);
    Awaitility.await("two members").atMost(FORMATION)
        .until(() -> a.cluster().memberCount() == 2 && b.cluster().memberCount() == 2);
    return new TwoNodes(a, b, portA, portB);
  }

  TestServer b() {
    return b;
  }

  /** Stops node B, the way a node's shutdown does, before the end of the test. */
  void stopB() throws Exception {
    b.close();
    b = null;
  }

  /** Node B (unless stopped already), then node A. */
  @Override
  public void close() throws Exception {
    if (b != null) {
      b.close();
    }
    a.close();
  }
}
