package chat.irc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** WHO masks against nicks: wildcards, case folding, the whole name. */
class IrcMaskTest {

  static Stream<Arguments> masks() {
    return Stream.of(
        Arguments.of("coolni*", "coolNick", true),
        Arguments.of("COOLNICK", "coolNick", true),
        Arguments.of("*", "anyone", true),
        Arguments.of("0", "anyone", true),
        Arguments.of("c?ol*k", "coolNick", true),
        Arguments.of("*ick", "coolNick", true),
        Arguments.of("*o*o*", "coolNick", true),
        Arguments.of("eva*", "shivaram", false),
        Arguments.of("cool", "coolNick", false),
        Arguments.of("?", "ab", false),
        Arguments.of("ab?", "ab", false),
        Arguments.of("한*", "한글", true),
        Arguments.of("**a", "ba", true));
  }

  @ParameterizedTest
  @MethodSource("masks")
  void masksMatchWholeNamesIgnoringCase(String mask, String name, boolean matches) {
    assertThat(IrcMask.matches(mask, name)).isEqualTo(matches);
  }
}
