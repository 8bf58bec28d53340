package chat.irc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published parser test vectors (ircdocs/parser-tests, public domain: msg-split, msg-join, userhost-split),
 * rewritten as tables, plus the limits this server adds.
 */
class IrcMessageTest {

  static Stream<Arguments> splits() {
    return Stream.of(
        split("foo bar baz asdf", Map.of(), null, "foo", List.of("bar", "baz", "asdf")),
        split(":coolguy foo bar baz asdf", Map.of(), "coolguy", "foo", List.of("bar", "baz", "asdf")),
        split("foo bar baz :asdf quux", Map.of(), null, "foo", List.of("bar", "baz", "asdf quux")),
        split("foo bar baz :", Map.of(), null, "foo", List.of("bar", "baz", "")),
        split("foo bar baz ::asdf", Map.of(), null, "foo", List.of("bar", "baz", ":asdf")),
        split(":coolguy foo bar baz :asdf quux", Map.of(), "coolguy", "foo", List.of("bar", "baz", "asdf quux")),
        split(":coolguy foo bar baz :  asdf quux ", Map.of(), "coolguy", "foo", List.of("bar", "baz", "  asdf quux ")),
        split(":coolguy PRIVMSG bar :lol :) ", Map.of(), "coolguy", "PRIVMSG", List.of("bar", "lol :) ")),
        split(":coolguy foo bar baz :", Map.of(), "coolguy", "foo", List.of("bar", "baz", "")),
        split(":coolguy foo bar baz :  ", Map.of(), "coolguy", "foo", List.of("bar", "baz", "  ")),
        split("@a=b;c=32;k;rt=ql7 foo", Map.of("a", "b", "c", "32", "k", "", "rt", "ql7"), null, "foo", List.of()),
        split("@a=b\\\\and\\nk;c=72\\s45;d=gh\\:764 foo", Map.of("a", "b\\and\nk", "c", "72 45", "d", "gh;764"), null, "foo", List.of()),
        split("@c;h=;a=b :quux ab cd", Map.of("c", "", "h", "", "a", "b"), "quux", "ab", List.of("cd")),
        split(":src JOIN #chan", Map.of(), "src", "JOIN", List.of("#chan")),
        split(":src JOIN :#chan", Map.of(), "src", "JOIN", List.of("#chan")),
        split(":src AWAY", Map.of(), "src", "AWAY", List.of()),
        split(":src AWAY ", Map.of(), "src", "AWAY", List.of()),
        split(":cool\tguy foo bar baz", Map.of(), "cool\tguy", "foo", List.of("bar", "baz")),
        split(":coolguy!ag@net\u00035w\u0003ork.admin PRIVMSG foo :bar baz", Map.of(), "coolguy!ag@net\u00035w\u0003ork.admin", "PRIVMSG", List.of("foo", "bar baz")),
        split(":coolguy!~ag@n\u0002et\u000305w\u000fork.admin PRIVMSG foo :bar baz", Map.of(), "coolguy!~ag@n\u0002et\u000305w\u000fork.admin", "PRIVMSG", List.of("foo", "bar baz")),
        split("@tag1=value1;tag2;vendor1/tag3=value2;vendor2/tag4= :irc.example.com COMMAND param1 param2 :param3 param3", Map.of("tag1", "value1", "tag2", "", "vendor1/tag3", "value2", "vendor2/tag4", ""), "irc.example.com", "COMMAND", List.of("param1", "param2", "param3 param3")),
        split(":irc.example.com COMMAND param1 param2 :param3 param3", Map.of(), "irc.example.com", "COMMAND", List.of("param1", "param2", "param3 param3")),
        split("@tag1=value1;tag2;vendor1/tag3=value2;vendor2/tag4 COMMAND param1 param2 :param3 param3", Map.of("tag1", "value1", "tag2", "", "vendor1/tag3", "value2", "vendor2/tag4", ""), null, "COMMAND", List.of("param1", "param2", "param3 param3")),
        split("COMMAND", Map.of(), null, "COMMAND", List.of()),
        split("@foo=\\\\\\\\\\:\\\\s\\s\\r\\n COMMAND", Map.of("foo", "\\\\;\\s \r\n"), null, "COMMAND", List.of()),
        split(":gravel.mozilla.org 432  #momo :Erroneous Nickname: Illegal characters", Map.of(), "gravel.mozilla.org", "432", List.of("#momo", "Erroneous Nickname: Illegal characters")),
        split(":gravel.mozilla.org MODE #tckk +n ", Map.of(), "gravel.mozilla.org", "MODE", List.of("#tckk", "+n")),
        split(":services.esper.net MODE #foo-bar +o foobar  ", Map.of(), "services.esper.net", "MODE", List.of("#foo-bar", "+o", "foobar")),
        split("@tag1=value\\\\ntest COMMAND", Map.of("tag1", "value\\ntest"), null, "COMMAND", List.of()),
        split("@tag1=value\\1 COMMAND", Map.of("tag1", "value1"), null, "COMMAND", List.of()),
        split("@tag1=value1\\ COMMAND", Map.of("tag1", "value1"), null, "COMMAND", List.of()),
        split("@tag1=1;tag2=3;tag3=4;tag1=5 COMMAND", Map.of("tag1", "5", "tag2", "3", "tag3", "4"), null, "COMMAND", List.of()),
        split("@tag1=1;tag2=3;tag3=4;tag1=5;vendor/tag2=8 COMMAND", Map.of("tag1", "5", "tag2", "3", "tag3", "4", "vendor/tag2", "8"), null, "COMMAND", List.of()),
        split(":SomeOp MODE #channel :+i", Map.of(), "SomeOp", "MODE", List.of("#channel", "+i")),
        split(":SomeOp MODE #channel +oo SomeUser :AnotherUser", Map.of(), "SomeOp", "MODE", List.of("#channel", "+oo", "SomeUser", "AnotherUser")));
  }

  @ParameterizedTest
  @MethodSource("splits")
  void parsesTheVectors(String line, Map<String, String> tags, String source, String command, List<String> params) {
    IrcMessage message = IrcMessage.parse(line);
    assertThat(message.tags()).isEqualTo(tags);
    assertThat(message.source()).isEqualTo(source);
    assertThat(message.command()).isEqualTo(command);
    assertThat(message.params()).isEqualTo(params);
  }

  static Stream<Arguments> joins() {
    return Stream.of(
        join(Map.of(), null, "foo", List.of("bar", "baz", "asdf"), List.of("foo bar baz asdf", "foo bar baz :asdf")),
        join(Map.of(), "src", "AWAY", List.of(), List.of(":src AWAY")),
        join(Map.of(), "src", "AWAY", List.of(""), List.of(":src AWAY :")),
        join(Map.of(), "coolguy", "foo", List.of("bar", "baz", "asdf"), List.of(":coolguy foo bar baz asdf", ":coolguy foo bar baz :asdf")),
        join(Map.of(), null, "foo", List.of("bar", "baz", "asdf quux"), List.of("foo bar baz :asdf quux")),
        join(Map.of(), null, "foo", List.of("bar", "baz", ""), List.of("foo bar baz :")),
        join(Map.of(), null, "foo", List.of("bar", "baz", ":asdf"), List.of("foo bar baz ::asdf")),
        join(Map.of(), "coolguy", "foo", List.of("bar", "baz", "asdf quux"), List.of(":coolguy foo bar baz :asdf quux")),
        join(Map.of(), "coolguy", "foo", List.of("bar", "baz", "  asdf quux "), List.of(":coolguy foo bar baz :  asdf quux ")),
        join(Map.of(), "coolguy", "PRIVMSG", List.of("bar", "lol :) "), List.of(":coolguy PRIVMSG bar :lol :) ")),
        join(Map.of(), "coolguy", "foo", List.of("bar", "baz", ""), List.of(":coolguy foo bar baz :")),
        join(Map.of(), "coolguy", "foo", List.of("bar", "baz", "  "), List.of(":coolguy foo bar baz :  ")),
        join(Map.of(), "coolguy", "foo", List.of("b\tar", "baz"), List.of(":coolguy foo b\tar baz", ":coolguy foo b\tar :baz")),
        join(Map.of("asd", ""), "coolguy", "foo", List.of("bar", "baz", "  "), List.of("@asd :coolguy foo bar baz :  ", "@asd= :coolguy foo bar baz :  ")),
        join(Map.of("asd", ""), "coolguy", "foo", List.of("bar", "baz", "  "), List.of("@asd :coolguy foo bar baz :  ")),
        join(Map.of("a", "b\\and\nk", "d", "gh;764"), null, "foo", List.of(), List.of("@a=b\\\\and\\nk;d=gh\\:764 foo", "@d=gh\\:764;a=b\\\\and\\nk foo")),
        join(Map.of("a", "b\\and\nk", "d", "gh;764"), null, "foo", List.of("par1", "par2"), List.of("@a=b\\\\and\\nk;d=gh\\:764 foo par1 par2", "@a=b\\\\and\\nk;d=gh\\:764 foo par1 :par2", "@d=gh\\:764;a=b\\\\and\\nk foo par1 par2", "@d=gh\\:764;a=b\\\\and\\nk foo par1 :par2")),
        join(Map.of("foo", "\\\\;\\s \r\n"), null, "COMMAND", List.of(), List.of("@foo=\\\\\\\\\\:\\\\s\\s\\r\\n COMMAND")));
  }

  @ParameterizedTest
  @MethodSource("joins")
  void serializesToOneOfTheAcceptedForms(Map<String, String> tags, String source, String command, List<String> params,
      List<String> accepted) {
    assertThat(accepted).contains(new IrcMessage(tags, source, command, params).serialize());
  }

  static Stream<Arguments> userhosts() {
    return Stream.of(
        userhost("coolguy", "coolguy", "", ""),
        userhost("coolguy!ag@127.0.0.1", "coolguy", "ag", "127.0.0.1"),
        userhost("coolguy!~ag@localhost", "coolguy", "~ag", "localhost"),
        userhost("coolguy@127.0.0.1", "coolguy", "", "127.0.0.1"),
        userhost("coolguy!ag", "coolguy", "ag", ""),
        userhost("coolguy!ag@net\u00035w\u0003ork.admin", "coolguy", "ag", "net\u00035w\u0003ork.admin"),
        userhost("coolguy!~ag@n\u0002et\u000305w\u000fork.admin", "coolguy", "~ag", "n\u0002et\u000305w\u000fork.admin"));
  }

  @ParameterizedTest
  @MethodSource("userhosts")
  void splitsUserHosts(String source, String nick, String user, String host) {
    assertThat(IrcMessage.UserHost.split(source)).isEqualTo(new IrcMessage.UserHost(nick, user, host));
  }

  @ParameterizedTest
  @MethodSource("splits")
  void roundTripsEveryVector(String line, Map<String, String> tags, String source, String command,
      List<String> params) {
    IrcMessage message = new IrcMessage(tags, source, command, params);
    assertThat(IrcMessage.parse(message.serialize())).isEqualTo(message);
  }

  @Test
  void blankLinesAndTagsAloneAreNoMessage() {
    assertThat(IrcMessage.parse("")).isNull();
    assertThat(IrcMessage.parse("   ")).isNull();
    assertThat(IrcMessage.parse("@a=b")).isNull();
    assertThat(IrcMessage.parse(":source")).isNull();
  }

  @Test
  void tagValuesEscapeEverySpecialCharacter() {
    IrcMessage message = new IrcMessage(Map.of("k", "a;b c\\d\r\ne"), null, "TAGMSG", List.of("#c"));
    assertThat(message.serialize()).isEqualTo("@k=a\\:b\\sc\\\\d\\r\\ne TAGMSG #c");
    assertThat(IrcMessage.parse(message.serialize())).isEqualTo(message);
  }

  @Test
  void longTextIsSplitAtSpacesWithinTheLimit() {
    String source = ":nick!nick@host PRIVMSG #room :";
    String text = "word ".repeat(300).strip();
    List<String> pieces = IrcMessage.splitText(text, source.length());
    assertThat(pieces).hasSizeGreaterThan(1);
    assertThat(String.join(" ", pieces)).isEqualTo(text);
    pieces.forEach(p -> assertThat((source + p + "\r\n").getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(512));
  }

  @Test
  void textWithoutSpacesIsSplitBetweenCodePoints() {
    String text = "가".repeat(400);
    List<String> pieces = IrcMessage.splitText(text, 40);
    assertThat(String.join("", pieces)).isEqualTo(text);
    pieces.forEach(p -> assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(512 - 2 - 40));
  }

  @Test
  void aLineAClientCouldSendIsCutToFitTheSourceNotSplit() {
    String source = "nick1!nick1@My.Little.Server";
    // The longest single-word PRIVMSG a client can send: no colon before the last parameter.
    String word = "a".repeat(510 - "PRIVMSG nick2 ".length());
    List<String> pieces = IrcMessage.fitText(source, "PRIVMSG", "nick2", word);
    assertThat(pieces).hasSize(1);
    assertThat(word).startsWith(pieces.get(0));
    assertThat(IrcMessage.of(source, "PRIVMSG", "nick2", pieces.get(0)).bytesWithoutTags()).isEqualTo(510);

    String sentence = "a b".repeat(200);
    List<String> split = IrcMessage.fitText(source, "PRIVMSG", "nick2", sentence);
    assertThat(split).hasSizeGreaterThan(1);
    split.forEach(p -> assertThat(IrcMessage.of(source, "PRIVMSG", "nick2", p).bytesWithoutTags()).isLessThanOrEqualTo(510));
    assertThat(IrcMessage.fitText(source, "PRIVMSG", "nick2", "short")).containsExactly("short");
  }

  private static Arguments split(String line, Map<String, String> tags, String source, String command,
      List<String> params) {
    return Arguments.of(line, tags, source, command, params);
  }

  private static Arguments join(Map<String, String> tags, String source, String command, List<String> params,
      List<String> accepted) {
    return Arguments.of(tags, source, command, params, accepted);
  }

  private static Arguments userhost(String source, String nick, String user, String host) {
    return Arguments.of(source, nick, user, host);
  }
}
