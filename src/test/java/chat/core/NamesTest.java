package chat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import chat.core.Names.Invalid;
import chat.core.Names.Problem;
import chat.core.Names.Valid;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NamesTest {

  private static final String DECOMPOSED_HAN = "\u1112\u1161\u11ab";
  private static final String SCRIPT_A = new String(Character.toChars(0x1d49c));

  static Stream<Arguments> validNames() {
    return Stream.of(
        arguments("ASCII", "alice", "alice"),
        arguments("Korean", "김철수", "김철수"),
        arguments("digits first", "007bond", "007bond"),
        arguments("digits only", "42", "42"),
        arguments("underscore, dash and dot inside", "a_b-c.d", "a_b-c.d"),
        arguments("dot last", "jr.", "jr."),
        arguments("combining marks (Devanagari)", "नमस्ते", "नमस्ते"),
        arguments("combining mark kept after a letter", "x\u20dd", "x\u20dd"),
        arguments("surrounding whitespace trimmed", "  bob \t", "bob"),
        arguments("NFC composes a decomposed syllable", DECOMPOSED_HAN, "한"),
        arguments("NFC composes e + acute", "caf\u0065\u0301", "caf\u00e9"),
        arguments("case kept for display", "AlIcE", "AlIcE"),
        arguments("32 code points", "a".repeat(32), "a".repeat(32)),
        arguments("32 Korean syllables", "가".repeat(32), "가".repeat(32)),
        arguments("32 supplementary letters (64 chars)", SCRIPT_A.repeat(32), SCRIPT_A.repeat(32)),
        arguments("96 code points that compose to 32", DECOMPOSED_HAN.repeat(32), "한".repeat(32)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validNames")
  void validNamesAreAcceptedInNfc(String description, String raw, String display) {
    assertThat(Names.check(raw)).isEqualTo(new Valid(display, Names.key(display)));
  }

  static Stream<Arguments> invalidNames() {
    return Stream.of(
        arguments("empty", "", Problem.EMPTY),
        arguments("whitespace only", "  \t ", Problem.EMPTY),
        arguments("33 code points", "a".repeat(33), Problem.TOO_LONG),
        arguments("33 Korean syllables", "가".repeat(33), Problem.TOO_LONG),
        arguments("33 supplementary letters", SCRIPT_A.repeat(33), Problem.TOO_LONG),
        arguments("space inside", "a b", Problem.BAD_CHARACTER),
        arguments("ideographic space inside", "a\u3000b", Problem.BAD_CHARACTER),
        arguments("no-break space inside", "a\u00a0b", Problem.BAD_CHARACTER),
        arguments("brackets around", "[admin]", Problem.BAD_CHARACTER),
        arguments("bracket inside", "a]b", Problem.BAD_CHARACTER),
        arguments("star inside", "a*b", Problem.BAD_CHARACTER),
        arguments("star first", "*bob", Problem.BAD_CHARACTER),
        arguments("leading slash", "/quit", Problem.BAD_CHARACTER),
        arguments("leading underscore", "_alice", Problem.BAD_START),
        arguments("leading dash", "-alice", Problem.BAD_START),
        arguments("leading dot", ".alice", Problem.BAD_START),
        arguments("leading combining mark", "\u0301alice", Problem.BAD_START),
        arguments("zero-width joiner", "a\u200db", Problem.BAD_CHARACTER),
        arguments("zero-width space", "a\u200bb", Problem.BAD_CHARACTER),
        arguments("bidi override first", "\u202eevil", Problem.BAD_CHARACTER),
        arguments("bidi override inside", "ab\u202ecd", Problem.BAD_CHARACTER),
        arguments("emoji", "bob😀", Problem.BAD_CHARACTER),
        arguments("colon", "a:b", Problem.BAD_CHARACTER),
        arguments("at sign", "a@b", Problem.BAD_CHARACTER));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidNames")
  void invalidNamesReportTheirProblem(String description, String raw, Problem problem) {
    assertThat(Names.check(raw)).isEqualTo(new Invalid(problem));
  }

  static Stream<Arguments> sameName() {
    return Stream.of(
        arguments("Alice", "alice"),
        arguments("ALICE", "alice"),
        arguments("Ärger", "äRGER"),
        arguments("Σοφία", "ΣΟΦΊΑ"),
        arguments(DECOMPOSED_HAN, "한"),
        arguments(" bob ", "BOB"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("sameName")
  void namesDifferingOnlyByCaseOrFormShareAKey(String one, String other) {
    assertThat(key(one)).isEqualTo(key(other));
  }

  static Stream<Arguments> differentNames() {
    return Stream.of(
        arguments("alice", "alicf"),
        arguments("alice", "alice1"),
        arguments("김철수", "김철순"));
  }

  @ParameterizedTest(name = "{0} != {1}")
  @MethodSource("differentNames")
  void differentNamesHaveDifferentKeys(String one, String other) {
    assertThat(key(one)).isNotEqualTo(key(other));
  }

  @Test
  void greekNamesDifferingOnlyByCaseShareAKey() {
    assertThat(key("ΣΑΣ")).isEqualTo(key("σασ"));
  }

  private static String key(String raw) {
    return ((Valid) Names.check(raw)).key();
  }
}
