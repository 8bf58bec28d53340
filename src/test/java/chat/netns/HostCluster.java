package chat.netns;

import chat.LineClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a host test works with: a {@link TestNetwork}, the nodes started on it and the users connected to them, all
 * removed by {@link #close}, which keeps each node's log as {@code target/netns-<test>-<host>.log}.
 */
final class HostCluster implements AutoCloseable {

  /** Measured durations, one line each, appended over the runs: the figures of docs/faults.md. */
  static final Path FIGURES = Path.of("target", "netns-figures.txt");

  private static final Logger log = LoggerFactory.getLogger(HostCluster.class);

  private final String test;
  private final TestNetwork network;
  private final List<HostNode> nodes = new ArrayList<>();
  private final List<Transcript> users = new ArrayList<>();

  private HostCluster(String test, TestNetwork network) {
    this.test = test;
    this.network = network;
  }

  static HostCluster create(String test) throws IOException {
    return new HostCluster(test, TestNetwork.create());
  }

  TestNetwork network() {
    return network;
  }

  HostNode add(HostNode node) {
    nodes.add(node);
    return node;
  }

  /** Waits until every one of {@code some} serves chat and counts {@code members} members. */
  void awaitMembers(List<HostNode> some, int members, Duration within) {
    Awaitility.await(members + " members").atMost(within).pollInterval(Duration.ofMillis(250))
        .until(() -> some.stream().allMatch(node -> node.members() == members && node.serving()));
  }

  /** A user registered as {@code name} on {@code node}, its own join line received. */
  Transcript user(HostNode node, String name) throws IOException {
    return kept(new Transcript(name, node.register(name)));
  }

  /** A user who gets {@code name} on {@code node} once the name is free there (a gone node's names are freed late). */
  Transcript userEventually(HostNode node, String name, Duration within) {
    LineClient client = Awaitility.await(name + " free on " + node.host().address()).atMost(within)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> tryRegister(node, name), registered -> registered != null);
    return kept(new Transcript(name, client));
  }

  /**
   * What registering {@code name} on {@code node} gets within {@code within}: the first line after the name, or null if
   * none came (the name is not granted either way unless the line is the name's join). If the answer takes more than
   * {@code slow}, {@code whenSlow} runs once, while the attempt is still waiting.
   */
  static String answerTo(HostNode node, String name, Duration within, Duration slow, Runnable whenSlow)
      throws IOException {
    try (LineClient twin = node.connect()) {
      twin.expect("ID");
      twin.send(name);
      try {
        return twin.awaitLine(line -> true, slow).get(0);
      } catch (AssertionError notYet) {
        whenSlow.run();
      }
      return twin.awaitLine(line -> true, within.minus(slow)).get(0);
    } catch (AssertionError silent) {
      return null;
    }
  }

  /** Registers {@code name} on {@code node} if it is free there; null if it is taken. */
  static LineClient tryRegister(HostNode node, String name) throws IOException {
    LineClient client = node.connect();
    if (client.tryRegisterAs(name)) {
      return client;
    }
    client.close();
    return null;
  }

  Transcript kept(Transcript user) {
    users.add(user);
    return user;
  }

  /**
   * Appends each node's TCP sockets to {@code target/netns-<test>-sockets.txt} ({@code ss}: state, timers, retransmits,
   * backoff), to see what member connections look like at a moment of the test.
   */
  void recordSockets(String moment) throws IOException {
    StringBuilder out = new StringBuilder("== " + moment + "\n");
    for (HostNode node : nodes) {
      out.append("-- ").append(node.host()).append('\n')
          .append(network.exec(node.host(), "ss", "-tnoi", "state", "all", "( sport = :5701 or dport = :5701 )"));
    }
    Files.writeString(Path.of("target", "netns-" + test + "-sockets.txt"), out, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** Logs a measured duration and appends it to {@link #FIGURES}. */
  void figure(String what, Duration took) throws IOException {
    log.info("figure {} {}: {} ms", test, what, took.toMillis());
    Files.writeString(FIGURES, test + " " + what + " " + took.toMillis() + " ms\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** From {@code start} to when {@code user} received line {@code index}. */
  static Duration until(long start, Transcript user, int index) {
    return Duration.ofNanos(user.arrival(index) - start);
  }

  static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  @Override
  public void close() throws Exception {
    try {
      for (Transcript user : users) {
        user.close();
      }
      for (HostNode node : nodes) {
        try {
          node.close();
        } finally {
          node.keepLog("netns-" + test + "-" + node.host().namespace().replaceAll(".*-", ""));
        }
      }
    } finally {
      network.close();
    }
  }
}
