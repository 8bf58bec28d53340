package chat.line;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Modelled on Vert.x's RecordParserTest: every input is fed at every chunk size from 1 to twice its length. */
class LineFramerTest {

  private static final int MAX = 8;

  private static final class Recorder implements LineFramer.Sink {
    final List<String> lines = new ArrayList<>();
    int tooLong;

    @Override
    public void line(byte[] line) {
      lines.add(new String(line, UTF_8));
    }

    @Override
    public void tooLong() {
      tooLong++;
    }
  }

  private static Recorder feedInChunks(LineFramer framer, byte[] input, int chunkSize) {
    Recorder sink = new Recorder();
    for (int from = 0; from < input.length; from += chunkSize) {
      framer.feed(Arrays.copyOfRange(input, from, Math.min(input.length, from + chunkSize)), sink);
    }
    return sink;
  }

  static Stream<Arguments> wellFormedStreams() {
    return Stream.of(
        arguments("LF endings", "alice\nhello world\n", List.of("alice", "hello world")),
        arguments("CRLF endings", "alice\r\nhello world\r\n", List.of("alice", "hello world")),
        arguments("mixed endings", "a\r\nb\nc\r\n", List.of("a", "b", "c")),
        arguments("empty lines", "\n\r\n\nx\n\n", List.of("", "", "", "x", "")),
        arguments("Korean split anywhere", "안녕하세요\r\n반갑습니다 여러분\n", List.of("안녕하세요", "반갑습니다 여러분")),
        arguments("4-byte emoji split anywhere", "hi 😀👍\n🎉\r\n😀\n", List.of("hi 😀👍", "🎉", "😀")),
        arguments("CR not followed by LF stays in the line", "a\rb\n\rlead\ntrail\r\r\n",
            List.of("a\rb", "\rlead", "trail\r")),
        arguments("surrounding whitespace kept", "  padded  \r\n\tx\t\n", List.of("  padded  ", "\tx\t")),
        arguments("unfinished last line is held back", "done\nnot yet", List.of("done")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wellFormedStreams")
  void everyChunkSizeYieldsTheSameLines(String description, String input, List<String> expected) {
    byte[] bytes = input.getBytes(UTF_8);
    for (int chunk = 1; chunk <= bytes.length * 2; chunk++) {
      Recorder sink = feedInChunks(new LineFramer(4096), bytes, chunk);

      assertThat(sink.lines).as("chunk size %d", chunk).containsExactlyElementsOf(expected);
      assertThat(sink.tooLong).as("chunk size %d", chunk).isZero();
    }
  }

  static Stream<Arguments> lengthLimit() {
    return Stream.of(
        arguments("exactly max with LF", "12345678\nnext\n", List.of("12345678", "next"), 0),
        arguments("exactly max with CRLF, CR not counted", "12345678\r\nnext\r\n", List.of("12345678", "next"), 0),
        arguments("exactly max in multi-byte characters", "한글ab\r\n😀😀\n", List.of("한글ab", "😀😀"), 0),
        arguments("max + 1 with LF", "ok\n123456789\nafter\n", List.of("ok"), 1),
        arguments("max + 1 with CRLF", "ok\r\n123456789\r\nafter\r\n", List.of("ok"), 1),
        arguments("max + 1 ending in a CR that is content", "12345678\rX\nafter\n", List.of(), 1),
        arguments("max + 1 made of a split multi-byte character", "한글한\nafter\n", List.of(), 1),
        arguments("max + 1 with no line ending at all", "123456789", List.of(), 1),
        arguments("max followed by two CRs", "12345678\r\r\nafter\n", List.of(), 1),
        arguments("far too long, many times over", "x".repeat(100) + "\n" + "y".repeat(100) + "\n", List.of(), 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lengthLimit")
  void aLineOverTheLimitIsReportedOnceAndEndsTheStream(String description, String input, List<String> expected,
      int tooLong) {
    byte[] bytes = input.getBytes(UTF_8);
    for (int chunk = 1; chunk <= bytes.length * 2; chunk++) {
      LineFramer framer = new LineFramer(MAX);
      Recorder sink = feedInChunks(framer, bytes, chunk);

      assertThat(sink.lines).as("chunk size %d", chunk).containsExactlyElementsOf(expected);
      assertThat(sink.tooLong).as("chunk size %d", chunk).isEqualTo(tooLong);
      assertThat(framer.failed()).as("chunk size %d", chunk).isEqualTo(tooLong > 0);
    }
  }

  @Test
  void afterTooLongNothingIsEverEmittedAgain() {
    LineFramer framer = new LineFramer(MAX);
    Recorder sink = new Recorder();
    framer.feed("123456789".getBytes(UTF_8), sink);

    framer.feed("\nshort\nagain\n12345678901234567890\n".getBytes(UTF_8), sink);

    assertThat(sink.tooLong).isEqualTo(1);
    assertThat(sink.lines).isEmpty();
    assertThat(framer.hasPartial()).isFalse();
    assertThat(framer.takePartial()).isEmpty();
  }

  @Test
  void feedingTenMegabytesWithoutNewlineStaysBounded() {
    LineFramer framer = new LineFramer(4096);
    Recorder sink = new Recorder();
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'x');

    for (int fed = 0; fed < 10 * 1024 * 1024; fed += chunk.length) {
      framer.feed(chunk, sink);
    }

    assertThat(sink.tooLong).isEqualTo(1);
    assertThat(sink.lines).isEmpty();
    assertThat(framer.hasPartial()).isFalse();
    assertThat(framer.takePartial()).isEmpty();
  }

  @Test
  void aFloodOfCarriageReturnsIsTooLongToo() {
    LineFramer framer = new LineFramer(4096);
    Recorder sink = new Recorder();
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) '\r');

    for (int fed = 0; fed < 10 * 1024 * 1024; fed += chunk.length) {
      framer.feed(chunk, sink);
    }

    assertThat(sink.tooLong).isEqualTo(1);
    assertThat(sink.lines).isEmpty();
  }

  static Stream<Arguments> partials() {
    return Stream.of(
        arguments("bytes without newline", "hello", "hello"),
        arguments("trailing CR dropped", "hello\r", "hello"),
        arguments("CR inside kept", "a\rb", "a\rb"),
        arguments("only the part after the last newline", "first\nsecond", "second"),
        arguments("Korean and emoji", "안 😀", "안 😀"),
        arguments("exactly max and a CR", "12345678\r", "12345678"),
        arguments("whitespace kept", "  hi  ", "  hi  "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("partials")
  void takePartialReturnsTheUnfinishedLine(String description, String input, String expected) {
    byte[] bytes = input.getBytes(UTF_8);
    for (int chunk = 1; chunk <= bytes.length * 2; chunk++) {
      LineFramer framer = new LineFramer(MAX);
      feedInChunks(framer, bytes, chunk);

      assertThat(framer.hasPartial()).as("chunk size %d", chunk).isTrue();
      assertThat(new String(framer.takePartial(), UTF_8)).as("chunk size %d", chunk).isEqualTo(expected);
      assertThat(framer.hasPartial()).as("chunk size %d", chunk).isFalse();
    }
  }

  @ParameterizedTest(name = "[{index}] complete lines only")
  @MethodSource("noPartial")
  void nothingIsPartialAfterCompleteLines(String input) {
    LineFramer framer = new LineFramer(MAX);

    framer.feed(input.getBytes(UTF_8), new Recorder());

    assertThat(framer.hasPartial()).isFalse();
  }

  static Stream<String> noPartial() {
    return Stream.of("", "a\n", "a\r\n", "a\nb\n", "\n");
  }

  @Test
  void aTakenPartialDoesNotLeakIntoTheNextLine() {
    LineFramer framer = new LineFramer(MAX);
    Recorder sink = new Recorder();
    framer.feed("legacy".getBytes(UTF_8), sink);
    framer.takePartial();

    framer.feed("next\n".getBytes(UTF_8), sink);

    assertThat(sink.lines).containsExactly("next");
  }

  @Test
  void aTakenPartialFreesRoomForAFullLine() {
    LineFramer framer = new LineFramer(MAX);
    Recorder sink = new Recorder();
    framer.feed("1234567".getBytes(UTF_8), sink);
    framer.takePartial();

    framer.feed("12345678\n".getBytes(UTF_8), sink);

    assertThat(sink.lines).containsExactly("12345678");
    assertThat(sink.tooLong).isZero();
  }

  @Test
  void feedHonoursOffsetAndCount() {
    LineFramer framer = new LineFramer(MAX);
    Recorder sink = new Recorder();
    byte[] data = "XXXab\ncdYYY".getBytes(UTF_8);

    framer.feed(data, 3, 5, sink);

    assertThat(sink.lines).containsExactly("ab");
    assertThat(new String(framer.takePartial(), UTF_8)).isEqualTo("cd");
  }

  @Test
  void maxLineBytesMustBePositive() {
    assertThatThrownBy(() -> new LineFramer(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
