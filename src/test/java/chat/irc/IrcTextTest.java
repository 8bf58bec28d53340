package chat.irc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What an IRC user's text may carry to other users: no control characters, but a CTCP message's delimiters. */
class IrcTextTest {

  static Stream<Arguments> texts() {
    return Stream.of(
        Arguments.of("hello", "hello"),
        Arguments.of("red\u001b[31m alert\u0007", "red[31m alert"),
        Arguments.of("\u0003" + "4colour\u000f", "4colour"),
        Arguments.of("tab\there", "tab here"),
        Arguments.of("\u0001ACTION waves\u0001", "\u0001ACTION waves\u0001"),
        Arguments.of("\u0001ACTION waves\u001b[2J\u0001", "\u0001ACTION waves[2J\u0001"),
        Arguments.of("\u0001VERSION", "\u0001VERSION"),
        Arguments.of("\u0001", ""),
        Arguments.of("", ""));
  }

  @ParameterizedTest
  @MethodSource("texts")
  void controlCharactersAreRemovedAndCtcpDelimitersKept(String sent, String relayed) {
    assertThat(IrcConnection.sanitizedText(sent)).isEqualTo(relayed);
  }
}
