package chat.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.LineClient;
import chat.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** IRC clients and line clients in the same rooms, over real sockets. */
@Timeout(60)
class IrcInteropTest {

  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(Map.of("CHAT_IRC_SERVER_NAME", "irc.test", "CHAT_LOCALE", "en"));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private LineClient irc(String nick) throws Exception {
    return LineClient.connect(server.ircPort()).ircRegisterAs(nick);
  }

  private static String sync(LineClient client, String token) throws Exception {
    client.send("PING " + token);
    List<String> lines = client.awaitLine(line -> line.strip().endsWith("PONG irc.test " + token));
    return String.join("\n", lines);
  }

  @Test
  void aLineSentJustBeforeANickIsNotEchoedToItsSender() throws Exception {
    LineClient line = LineClient.register(server.port(), "lena");
    LineClient irc = irc("olaf");
    irc.send("JOIN #lobby");
    irc.awaitLine(l -> l.strip().contains(" 366 "));
    irc.sendRaw("PRIVMSG #lobby :x\r\nNICK olaf2\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    line.awaitLine(l -> l.equals("[olaf] x"));
    List<String> seen = irc.awaitLine(l -> l.strip().equals(":olaf!olaf@irc.test NICK olaf2"));
    sync(irc, "after");
    assertThat(seen).noneMatch(l -> l.contains("PRIVMSG #lobby"));
  }

  @Test
  void registrationAnswersTheWelcomeBurstWithHonestIsupport() throws Exception {
    LineClient client = LineClient.connect(server.ircPort());
    client.send("PING early");
    assertThat(client.next().strip()).isEqualTo(":irc.test PONG irc.test early");
    client.send("CAP LS 302");
    assertThat(client.next().strip()).startsWith(":irc.test CAP * LS :").contains("echo-message", "server-time");
    client.send("NICK dave");
    client.send("USER d 0 * :Dave");
    client.send("CAP END");
    List<String> burst = client.awaitLine(line -> line.strip().contains(" 422 "));
    assertThat(String.join("\n", burst)).contains(" 001 dave ", " 002 dave ", " 003 dave ", " 004 dave ",
        "UTF8ONLY", "CHANTYPES=#", " 251 dave ", " 422 dave ");
  }

  @Test
  void ircAndLineUsersSeeEachOthersMessagesInTheLobby() throws Exception {
    LineClient line = LineClient.register(server.port(), "lina");
    LineClient irc = irc("ivan");
    irc.send("JOIN #lobby");
    irc.awaitLine(l -> l.strip().equals(":ivan!ivan@irc.test JOIN #lobby"));
    assertThat(irc.awaitLine(l -> l.strip().contains(" 366 ")).get(0)).contains(" 353 ivan = #lobby :@lina ivan");
    line.awaitLine(l -> l.strip().equals("[ivan] joined"));

    irc.send("PRIVMSG #lobby :hello from irc");
    line.awaitLine(l -> l.strip().equals("[ivan] hello from irc"));
    line.send("hello from the line");
    irc.awaitLine(l -> l.strip().equals(":lina!lina@irc.test PRIVMSG #lobby :hello from the line"));

    irc.send("PRIVMSG #lobby :\u0001ACTION waves\u0001");
    line.awaitLine(l -> l.strip().equals("* ivan waves"));
    line.send("/me nods");
    irc.awaitLine(l -> l.strip().equals(":lina!lina@irc.test PRIVMSG #lobby :\u0001ACTION nods\u0001"));

    irc.send("PRIVMSG lina :psst");
    line.awaitLine(l -> l.strip().equals("[ivan → lina] psst"));
    line.send("/msg ivan back");
    irc.awaitLine(l -> l.strip().equals(":lina!lina@irc.test PRIVMSG ivan back"));

    line.send("/nick lena");
    irc.awaitLine(l -> l.strip().equals(":lina!lina@irc.test NICK lena"));
    irc.send("NICK ivo");
    irc.awaitLine(l -> l.strip().equals(":ivan!ivan@irc.test NICK ivo"));
    line.awaitLine(l -> l.strip().equals("*** ivan is now ivo"));

    irc.send("QUIT :bye");
    irc.awaitLine(l -> l.strip().startsWith("ERROR "));
    line.awaitLine(l -> l.strip().equals("[ivo] left"));
    line.send("/quit");
    line.close();
    irc.close();
  }

  @Test
  void aQuitIsShownOnceHoweverManyChannelsAreShared() throws Exception {
    LineClient a = irc("anna");
    LineClient b = irc("bert");
    for (LineClient c : List.of(a, b)) {
      c.send("JOIN #one,#two");
    }
    sync(a, "joined");
    sync(b, "joined");
    b.send("QUIT :gone");
    a.awaitLine(l -> l.strip().equals(":bert!bert@irc.test QUIT :Quit: gone"));
    assertThat(sync(a, "after")).doesNotContain(" QUIT ");
    a.close();
    b.close();
  }

  @Test
  void errorsAreTheNumericsClientsRelyOn() throws Exception {
    LineClient a = irc("anna");
    LineClient b = LineClient.connect(server.ircPort());
    b.send("NICK anna");
    b.send("USER x 0 * :x");
    b.awaitLine(l -> l.strip().contains(" 433 * anna "));
    b.send("NICK a*b");
    b.awaitLine(l -> l.strip().contains(" 432 "));
    b.send("JOIN #x");
    b.awaitLine(l -> l.strip().contains(" 451 "));
    b.close();

    a.send("FOO");
    a.send("PRIVMSG nobody :hi");
    a.send("PRIVMSG #nowhere :hi");
    a.send("PRIVMSG");
    a.send("PRIVMSG anna");
    a.send("PART #nowhere");
    a.send("NICK");
    a.send("USER a b c d");
    a.send("PRIVMSG #x :" + "a".repeat(600));
    String answers = sync(a, "errors");
    assertThat(answers).contains(" 421 anna FOO ", " 401 anna nobody ", " 404 anna #nowhere ", " 411 anna ",
        " 412 anna ", " 442 anna #nowhere ", " 431 anna ", " 462 anna ", " 417 anna ");
    a.close();
  }

  @Test
  void topicsAreSharedWithLineUsers() throws Exception {
    LineClient line = LineClient.register(server.port(), "lina");
    LineClient irc = irc("ivan");
    irc.send("JOIN #lobby");
    irc.send("TOPIC #lobby :news");
    line.awaitLine(l -> l.strip().equals("*** ivan set the topic: news"));
    line.send("/topic");
    line.awaitLine(l -> l.strip().equals("*** topic of lobby: news"));
    line.send("/topic fresh");
    irc.awaitLine(l -> l.strip().equals(":lina!lina@irc.test TOPIC #lobby fresh"));
    irc.send("TOPIC #lobby");
    irc.awaitLine(l -> l.strip().contains(" 332 ivan #lobby fresh"));
    line.close();
    irc.close();
  }

  @Test
  void lookupsFindUsersOfBothProtocols() throws Exception {
    LineClient line = LineClient.register(server.port(), "lina");
    LineClient irc = irc("ivan");
    irc.send("ISON lina ghost ivan");
    irc.send("WHOIS lina");
    irc.send("WHO #lobby");
    irc.send("LIST");
    String answers = sync(irc, "lookups");
    assertThat(answers).contains(" 303 ivan :lina ivan", " 311 ivan lina lina irc.test * lina", " 319 ivan lina #lobby",
        " 318 ivan lina ", " 352 ivan #lobby lina irc.test irc.test lina H@ :0 lina", " 315 ivan #lobby ",
        " 322 ivan #lobby 1 ");
    line.close();
    irc.close();
  }
  @Test
  void aNoticeToANickStaysANotice() throws Exception {
    LineClient line = LineClient.register(server.port(), "lina");
    LineClient a = irc("anna");
    LineClient b = irc("bert");
    a.send("NOTICE bert :read me");
    b.awaitLine(l -> l.strip().equals(":anna!anna@irc.test NOTICE bert :read me"));
    a.send("NOTICE lina :you too");
    line.awaitLine(l -> l.strip().equals("[anna → lina] you too"));
    a.send("NOTICE nobody :lost");
    assertThat(sync(a, "notices")).doesNotContain(" 401 ");
    line.close();
    a.close();
    b.close();
  }

  @Test
  void lineUsersSeeARoomsTopicWhenTheyJoinIt() throws Exception {
    LineClient irc = irc("ivan");
    irc.send("JOIN #dev");
    irc.send("TOPIC #dev :release day");
    irc.awaitLine(l -> l.strip().equals(":ivan!ivan@irc.test TOPIC #dev :release day"));
    LineClient line = LineClient.register(server.port(), "lina");
    line.send("/join dev");
    List<String> joined = line.awaitLine(l -> l.strip().equals("*** topic of dev: release day"));
    assertThat(joined).anyMatch(l -> l.strip().equals("[lina] joined"));
    line.send("/join quiet");
    line.send("/topic");
    assertThat(line.awaitLine(l -> l.strip().equals("*** no topic in quiet"))).noneMatch(l -> l.contains("topic of"));
    line.close();
    irc.close();
  }

  @Test
  void channelOperatorsLockTheTopicAndRankMembersForBothProtocols() throws Exception {
    LineClient irc = irc("ivan");
    irc.send("CAP REQ multi-prefix");
    irc.send("JOIN #dev");
    irc.awaitLine(l -> l.strip().endsWith(" 353 ivan = #dev @ivan"));
    LineClient line = LineClient.register(server.port(), "lina");
    line.send("/join dev");
    irc.awaitLine(l -> l.strip().equals(":lina!lina@irc.test JOIN #dev"));

    irc.send("MODE #dev +ts");
    irc.awaitLine(l -> l.strip().equals(":ivan!ivan@irc.test MODE #dev +s"));
    line.awaitLine(l -> l.strip().equals("*** ivan set mode +t"));
    line.send("/topic mine");
    line.awaitLine(l -> l.strip().equals("*** only operators of dev may do that"));
    irc.send("MODE #dev");
    irc.send("NAMES #dev");
    String state = sync(irc, "locked");
    assertThat(state).contains(" 324 ivan #dev +nst", " 353 ivan @ #dev :@ivan lina").doesNotContain(" TOPIC ");

    irc.send("MODE #dev +ov lina lina");
    line.awaitLine(l -> l.strip().equals("*** ivan set mode +v lina"));
    line.send("/topic mine");
    irc.awaitLine(l -> l.strip().equals(":lina!lina@irc.test TOPIC #dev mine"));
    irc.send("WHO #dev");
    assertThat(sync(irc, "ranked")).contains(" 352 ivan #dev lina irc.test irc.test lina H@+ :0 lina");

    LineClient other = irc("olga");
    other.send("MODE #dev -t");
    other.send("MODE #dev +k key");
    other.send("LIST");
    assertThat(sync(other, "outsider")).contains(" 442 olga #dev ", " 472 olga k ").doesNotContain(" 322 ");
    other.send("JOIN #dev");
    other.send("MODE #dev -t");
    other.send("MODE #dev +o nobody");
    assertThat(sync(other, "member")).contains(" 482 olga #dev ");
    irc.send("MODE #dev +o nobody");
    assertThat(sync(irc, "nobody")).contains(" 401 ivan nobody ");
    other.close();
    line.close();
    irc.close();
  }

  @Test
  void whoMasksListVisibleUsersAndLusersKeepTheMaximum() throws Exception {
    LineClient line = LineClient.register(server.port(), "lina");
    LineClient hidden = irc("hidy");
    hidden.send("MODE hidy +i");
    LineClient asker = irc("asker");
    asker.send("WHO *");
    String all = sync(asker, "all");
    assertThat(all).contains(" 352 asker * lina irc.test irc.test lina H :0 lina",
        " 352 asker * asker irc.test irc.test asker H :0 asker real", " 315 asker * ").doesNotContain(" hidy H ");
    asker.send("WHO HID?");
    asker.send("WHO hidy");
    assertThat(sync(asker, "hidden")).contains(" 315 asker HID? ", " 352 asker * hidy ");
    asker.send("JOIN #lobby");
    asker.send("WHO h*");
    String shared = sync(asker, "shared");
    assertThat(shared).doesNotContain(" 352 asker * hidy ");
    hidden.send("JOIN #lobby");
    sync(hidden, "joined");
    asker.send("WHO h*");
    assertThat(sync(asker, "shared")).contains(" 352 asker * hidy ");

    line.send("/quit");
    line.awaitClose();
    asker.send("LUSERS");
    assertThat(sync(asker, "lusers")).contains(" 265 asker 2 3 ", " 266 asker 2 3 ");
    hidden.close();
    asker.close();
  }

  @Test
  void topicOfAChannelWithoutMembersIsNoSuchChannel() throws Exception {
    LineClient line = LineClient.register(server.port(), "lina");
    LineClient irc = irc("ivan");
    irc.send("TOPIC #ghost");
    irc.send("MODE #ghost");
    irc.send("TOPIC #lobby");
    String answers = sync(irc, "ghost");
    assertThat(answers).contains(" 403 ivan #ghost ", " 331 ivan #lobby ").doesNotContain(" 331 ivan #ghost ");
    line.close();
    irc.close();
  }
  @Test
  void aQuietClientIsPingedAndClosedWhenItDoesNotAnswer() throws Exception {
    server.close();
    server = TestServer.start(Map.of("CHAT_IRC_SERVER_NAME", "irc.test", "CHAT_LIMITS_IDLE_TIMEOUT_SECONDS", "2"));
    LineClient answering = irc("ann");
    LineClient silent = irc("sid");
    answering.awaitLine(l -> l.strip().equals(":irc.test PING irc.test"));
    answering.send("PONG irc.test");
    silent.awaitLine(l -> l.strip().equals(":irc.test PING irc.test"));
    silent.awaitLine(l -> l.strip().equals("ERROR :Closing link: Ping timeout"));
    silent.awaitClose();
    answering.awaitLine(l -> l.strip().equals(":irc.test PING irc.test"));
    answering.send("PING still-here");
    answering.awaitLine(l -> l.strip().endsWith("PONG irc.test still-here"));
    answering.close();
  }
}
