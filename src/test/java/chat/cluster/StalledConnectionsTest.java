package chat.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import chat.ServerProcess;
import chat.config.ChatConfig;
import com.hazelcast.cluster.Address;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.internal.server.ServerConnection;
import com.hazelcast.internal.server.ServerConnectionManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StalledConnections} against real Hazelcast members and a "hung peer": a listening socket nobody accepts on,
 * whose kernel completes TCP handshakes as a SIGSTOPped JVM's does. The first test shows Hazelcast's IO spin that the
 * guard exists for: when an upgrade fixes it, that test fails and the guard can go.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StalledConnectionsTest {

  private static final long TIMEOUT_MILLIS = 2_000;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final List<HazelcastInstance> members = new ArrayList<>();
  private ServerSocket hungPeer;

  @AfterEach
  void stop() throws IOException {
    members.forEach(HazelcastInstance::shutdown);
    if (hungPeer != null) {
      hungPeer.close();
    }
  }

  @Test
  void aConnectionToAPeerThatNeverAnswersSpinsAnIoThreadUntilTheGuardClosesIt() throws IOException {
    int port = ServerProcess.freePort();
    HazelcastInstance member = member(UUID.randomUUID().toString(), port, port);
    String threads = member.getName() + ".IO.thread-out-";
    ServerConnection stalled = connectToHungPeer(member);
    long before = cpuNanos(threads);

    // Hazelcast's bug: its handshake frame waits for the peer's protocol bytes, and the pipeline spins meanwhile.
    Awaitility.await("an output IO thread spinning").atMost(Duration.ofSeconds(20))
        .until(() -> cpuNanos(threads) - before > TimeUnit.MILLISECONDS.toNanos(500));

    StalledConnections guard = StalledConnections.of(member, TIMEOUT_MILLIS);
    long now = System.nanoTime();
    assertThat(guard.sweep(now)).as("not yet past the timeout").isZero();
    assertThat(guard.sweep(now + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS))).isEqualTo(1);
    Awaitility.await("the connection closed").atMost(Duration.ofSeconds(10)).until(() -> !stalled.isAlive());

    // Closed, it no longer spins: the output threads stay nearly idle for a second on end.
    long[] mark = {cpuNanos(threads)};
    Awaitility.await("the output IO threads idle").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          long burnt = cpuNanos(threads) - mark[0];
          mark[0] += burnt;
          return burnt < TimeUnit.MILLISECONDS.toNanos(20);
        });
    Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> cpuNanos(threads) - mark[0] < TimeUnit.MILLISECONDS.toNanos(300));
  }

  @Test
  void connectionsBetweenLiveMembersAreLeftAlone() throws IOException {
    String cluster = UUID.randomUUID().toString();
    int first = ServerProcess.freePort();
    HazelcastInstance a = member(cluster, first, first);
    HazelcastInstance b = member(cluster, ServerProcess.freePort(), first);
    Awaitility.await("two members").atMost(Duration.ofSeconds(60))
        .until(() -> a.getCluster().getMembers().size() == 2);

    StalledConnections guard = StalledConnections.of(a, TIMEOUT_MILLIS);
    long now = System.nanoTime();
    assertThat(guard.sweep(now)).isZero();
    assertThat(guard.sweep(now + TimeUnit.MILLISECONDS.toNanos(10 * TIMEOUT_MILLIS))).isZero();
    assertThat(connections(a)).isNotEmpty().allMatch(ServerConnection::isAlive);
    assertThat(b.getCluster().getMembers()).hasSize(2);
  }

  /** A member as a node configures it, of {@code cluster} on {@code port}, joining the member on {@code seedPort}. */
  private HazelcastInstance member(String cluster, int port, int seedPort) {
    ChatConfig.Cluster settings = new ChatConfig.Cluster(true, List.of("127.0.0.1:" + seedPort), "", "127.0.0.1", "",
        port, 0, 8, (int) TIMEOUT_MILLIS);
    ChatConfig.History history = new ChatConfig.History(100, 86400, 1000, 20, ZoneOffset.UTC, 2048);
    HazelcastInstance member = Hazelcast.newHazelcastInstance(
        HazelcastConfig.of(settings, history).setClusterName(cluster));
    members.add(member);
    return member;
  }

  private ServerConnection connectToHungPeer(HazelcastInstance member) throws IOException {
    hungPeer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Address address = new Address("127.0.0.1", hungPeer.getLocalPort());
    ServerConnectionManager manager = connectionManager(member);
    manager.getOrConnect(address);
    return Awaitility.await("a connection to the hung peer").atMost(Duration.ofSeconds(10))
        .until(() -> connections(member).stream()
            .filter(c -> address.equals(c.getRemoteAddress()) && c.isAlive()).findFirst().orElse(null),
            connection -> connection != null);
  }

  private static ServerConnectionManager connectionManager(HazelcastInstance member) {
    return StalledConnections.nodeOf(member).getServer().getConnectionManager(EndpointQualifier.MEMBER);
  }

  private static List<ServerConnection> connections(HazelcastInstance member) {
    return List.copyOf(connectionManager(member).getConnections());
  }

  /** CPU time so far of the live threads whose name contains {@code name}. */
  private static long cpuNanos(String name) {
    long[] ids = Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().contains(name))
        .mapToLong(Thread::getId)
        .toArray();
    return Arrays.stream(ids).map(THREADS::getThreadCpuTime).filter(nanos -> nanos > 0).sum();
  }
}
