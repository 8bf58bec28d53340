package chat.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.ServerProcess;
import chat.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An IRC user on node A and line users on node B, two real clustered nodes in this JVM (Hazelcast on 127.0.0.1):
 * one room, one namespace, WHOIS and channel modes across nodes, and QUIT lines when node B stops.
 */
@Timeout(240)
class IrcClusterTest {

  private static final Duration FORMATION = Duration.ofSeconds(90);
  private static final Map<String, String> ENV = Map.of("CHAT_IRC_SERVER_NAME", "irc.test", "CHAT_LOCALE", "en");

  private static TestServer a;
  private static TestServer b;

  @BeforeAll
  static void startCluster() throws Exception {
    int portA = ServerProcess.freePort();
    int portB = ServerProcess.freePort();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    a = TestServer.startClustered(portA, members, ENV);
    b = TestServer.startClustered(portB, members, ENV);
    Awaitility.await("two members").atMost(FORMATION)
        .until(() -> a.cluster().memberCount() == 2 && b.cluster().memberCount() == 2);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  /** Everything the IRC client receives up to the answer to a PING of {@code token}. */
  private static String sync(LineClient irc, String token) throws Exception {
    irc.send("PING " + token);
    return String.join("\n", irc.awaitLine(l -> l.strip().endsWith("PONG irc.test " + token)));
  }

  @Test
  void anIrcUserAndLineUsersOfAnotherNodeShareTheLobbyUntilThatNodeStops() throws Exception {
    try (LineClient irc = LineClient.connect(a.ircPort());
        LineClient lina = LineClient.register(b.port(), "lina");
        LineClient luke = LineClient.register(b.port(), "luke")) {
      irc.send("NICK ivan");
      irc.send("USER ivan 0 * :Ivan");
      irc.awaitLine(l -> l.contains(" 422 ivan "));
      irc.send("NICK lina");
      irc.awaitLine(l -> l.strip().endsWith(" 433 ivan lina :Nickname is already in use"));

      irc.send("JOIN #lobby");
      lina.awaitLine(l -> l.strip().equals("[ivan] joined"));
      String names = String.join("\n", irc.awaitLine(l -> l.contains(" 366 ivan #lobby ")));
      assertThat(names).contains(" 353 ivan = #lobby :").contains("lina", "luke", "ivan");

      irc.send("PRIVMSG #lobby :hello node b");
      lina.awaitLine(l -> l.strip().equals("[ivan] hello node b"));
      lina.send("hello node a");
      irc.awaitLine(l -> l.strip().equals(":lina!lina@irc.test PRIVMSG #lobby :hello node a"));
      irc.send("PRIVMSG luke :psst");
      luke.awaitLine(l -> l.strip().equals("[ivan → luke] psst"));

      irc.send("WHOIS luke");
      assertThat(sync(irc, "whois")).contains(" 311 ivan luke luke irc.test * luke", " 318 ivan luke ");

      irc.send("WHO *");
      assertThat(sync(irc, "everyone")).contains(" 352 ivan * lina ", " 352 ivan * luke ", " 352 ivan * ivan ");

      // lina opened the lobby on node B: its operator there and here.
      lina.send("/topic from b");
      irc.awaitLine(l -> l.strip().equals(":lina!lina@irc.test TOPIC #lobby :from b"));
      irc.send("MODE #lobby +t");
      assertThat(sync(irc, "notop")).contains(" 482 ivan #lobby ");

      b.close();
      b = null;
      List<String> upToLuke = irc.awaitLine(l -> l.strip().startsWith(":luke!luke@irc.test QUIT "));
      if (upToLuke.stream().noneMatch(l -> l.strip().startsWith(":lina!lina@irc.test QUIT "))) {
        irc.awaitLine(l -> l.strip().startsWith(":lina!lina@irc.test QUIT "));
      }
      irc.send("NAMES #lobby");
      assertThat(sync(irc, "after")).contains(" 353 ivan = #lobby ").doesNotContain("lina", "luke");
    }
  }
}
