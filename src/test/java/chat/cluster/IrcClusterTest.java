package chat.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import java.util.List;
import java.util.Map;
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

  private static final Map<String, String> ENV = Map.of("CHAT_IRC_SERVER_NAME", "irc.test", "CHAT_LOCALE", "en");

  private static TwoNodes nodes;

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = TwoNodes.start(ENV);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
  }

  /** Everything the IRC client receives up to the answer to a PING of {@code token}. */
  private static String sync(LineClient irc, String token) throws Exception {
    irc.send("PING " + token);
    return String.join("\n", irc.awaitLine(l -> l.strip().endsWith("PONG irc.test " + token)));
  }

  @Test
  void anIrcUserAndLineUsersOfAnotherNodeShareTheLobbyUntilThatNodeStops() throws Exception {
    try (LineClient irc = LineClient.connect(nodes.a.ircPort());
        LineClient lina = LineClient.register(nodes.b().port(), "lina");
        LineClient luke = LineClient.register(nodes.b().port(), "luke")) {
      irc.ircRegisterAs("ivan");
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

      nodes.stopB();
      List<String> upToLuke = irc.awaitLine(l -> l.strip().startsWith(":luke!luke@irc.test QUIT "));
      if (upToLuke.stream().noneMatch(l -> l.strip().startsWith(":lina!lina@irc.test QUIT "))) {
        irc.awaitLine(l -> l.strip().startsWith(":lina!lina@irc.test QUIT "));
      }
      irc.send("NAMES #lobby");
      assertThat(sync(irc, "after")).contains(" 353 ivan = #lobby ").doesNotContain("lina", "luke");
    }
  }
}
