package chat.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class InputTextTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "hello", "  spaced  ", "안녕하세요", "emoji 😀👍🎉", "mixed 한글 and ascii", "é ñ ü ß",
      "\u0800 \uffff \ud800\udc00 \udbff\udfff"})
  void validUtf8Decodes(String text) {
    assertThat(InputText.decode(text.getBytes(UTF_8))).contains(text);
  }

  static Stream<Arguments> invalidUtf8() {
    return Stream.of(
        arguments("lone continuation byte", "80"),
        arguments("continuation byte inside ASCII", "61 80 62"),
        arguments("overlong slash, 2 bytes", "c0 af"),
        arguments("overlong slash, 3 bytes", "e0 80 af"),
        arguments("overlong NUL", "c0 80"),
        arguments("high surrogate", "ed a0 80"),
        arguments("low surrogate", "ed b0 80"),
        arguments("truncated 2-byte sequence", "c3"),
        arguments("truncated 3-byte sequence", "ec 95"),
        arguments("truncated 4-byte emoji", "f0 9f 98"),
        arguments("truncated sequence before ASCII", "ec 95 41"),
        arguments("0xFF", "ff"),
        arguments("0xFE", "fe"),
        arguments("beyond U+10FFFF", "f4 90 80 80"),
        arguments("5-byte form", "f8 88 80 80 80"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidUtf8")
  void invalidUtf8IsRejected(String description, String hex) {
    assertThat(InputText.decode(HexFormat.ofDelimiter(" ").parseHex(hex))).isEmpty();
  }

  @Test
  void aRejectedLineDoesNotSpoilTheNext() {
    InputText.decode(new byte[] {(byte) 0xec, (byte) 0x95});

    assertThat(InputText.decode("안녕".getBytes(UTF_8))).contains("안녕");
  }

  static Stream<Arguments> sanitized() {
    return Stream.of(
        arguments("plain text unchanged", "hello world", "hello world"),
        arguments("TAB becomes a space", "a\tb\t", "a b "),
        arguments("NUL removed", "a\u0000b", "ab"),
        arguments("BEL removed", "\u0007ding", "ding"),
        arguments("CR and LF removed", "a\rb\nc", "abc"),
        arguments("ANSI escape loses its ESC", "\u001b[31mred", "[31mred"),
        arguments("DEL removed", "ab\u007f", "ab"),
        arguments("first C1 removed", "a\u0080b", "ab"),
        arguments("NEL removed", "a\u0085b", "ab"),
        arguments("C1 CSI removed", "\u009b31mred", "31mred"),
        arguments("last C1 removed", "a\u009fb", "ab"),
        arguments("NBSP after C1 kept", "a\u00a0b", "a\u00a0b"),
        arguments("Korean and emoji kept", "\u0001안녕 😀\u0002", "안녕 😀"),
        arguments("only controls", "\u0000\u001f\u007f\u0090", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sanitized")
  void sanitizeRemovesControlCharacters(String description, String raw, String expected) {
    assertThat(InputText.sanitize(raw)).isEqualTo(expected);
  }
}
