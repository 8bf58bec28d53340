package chat.line;

import static org.assertj.core.api.Assertions.assertThat;

import chat.core.Effect;
import chat.core.InputText;
import chat.core.Request;
import chat.core.Session;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random bytes, random line lengths and random splits through the pure input path (framer, UTF-8 check, sanitizer,
 * line commands, session), from fixed seeds so a failure names a seed that reproduces it.
 */
@Timeout(60)
class HostileInputFuzzTest {

  private static final int MAX_LINE = 256;
  private static final int SEEDS = 500;

  @Test
  void validLinesAroundGarbageLinesArriveIntactAndInOrder() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      Random random = new Random(seed);
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      stream.writeBytes("fuzzer\n".getBytes(StandardCharsets.UTF_8));
      List<String> valid = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        if (random.nextBoolean()) {
          String line = "valid " + seed + " " + i;
          valid.add(line);
          stream.writeBytes((line + (random.nextBoolean() ? "\n" : "\r\n")).getBytes(StandardCharsets.UTF_8));
        } else {
          stream.writeBytes(garbageLine(random, MAX_LINE));
          stream.write('\n');
        }
      }
      Run run = feed(stream.toByteArray(), random, seed);

      assertThat(run.tooLong).as("seed %d", seed).isZero();
      assertThat(run.said.stream().filter(s -> s.startsWith("valid "))).as("seed %d", seed)
          .containsExactlyElementsOf(valid);
    }
  }

  @Test
  void anyBytesInAnySplitsLeaveEveryLineWithinTheBoundAndNothingThrows() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      Random random = new Random(seed);
      byte[] bytes = new byte[random.nextInt(8 * MAX_LINE)];
      random.nextBytes(bytes);
      for (int i = 0; i < bytes.length; i++) {
        if (random.nextInt(40) == 0) {
          bytes[i] = '\n';
        }
      }
      byte[] named = ("fuzzer\n" + new String(bytes, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);

      Run run = feed(named, random, seed);

      assertThat(run.tooLong).as("seed %d", seed).isLessThanOrEqualTo(1);
      assertThat(run.longest).as("seed %d", seed).isLessThanOrEqualTo(MAX_LINE);
      if (run.tooLong == 1) {
        assertThat(run.linesAfterTooLong).as("seed %d", seed).isZero();
      }
    }
  }

  /** A line of random bytes shorter than the bound, without a newline and never a command (so never /quit). */
  static byte[] garbageLine(Random random, int maxLine) {
    byte[] line = new byte[random.nextInt(maxLine - 1)];
    random.nextBytes(line);
    for (int i = 0; i < line.length; i++) {
      if (line[i] == '\n') {
        line[i] = ' ';
      }
    }
    if (line.length > 0) {
      line[0] = '#';
    }
    return line;
  }

  private static Run feed(byte[] bytes, Random random, long seed) {
    Run run = new Run(new Session("instance", 1, "lobby"), random);
    LineFramer framer = new LineFramer(MAX_LINE);
    int at = 0;
    while (at < bytes.length) {
      int chunk = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 2 * MAX_LINE));
      framer.feed(bytes, at, chunk, run);
      at += chunk;
    }
    if (framer.hasPartial()) {
      run.line(framer.takePartial());
    }
    run.effects(run.session.onClosed());
    return run;
  }

  /** Plays the connection's part: decodes, sanitizes, feeds the session and answers its reservations at random. */
  private static final class Run implements LineFramer.Sink {
    final Session session;
    final Random random;
    final List<String> said = new ArrayList<>();
    int tooLong;
    int longest;
    int linesAfterTooLong;

    Run(Session session, Random random) {
      this.session = session;
      this.random = random;
    }

    @Override
    public void line(byte[] line) {
      longest = Math.max(longest, line.length);
      if (tooLong > 0) {
        linesAfterTooLong++;
      }
      Optional<String> text = InputText.decode(line);
      effects(text.isEmpty() ? session.onInvalidUtf8() : LineCommands.onLine(session, InputText.sanitize(text.get())));
    }

    @Override
    public void tooLong() {
      tooLong++;
    }

    void effects(List<Effect> effects) {
      for (Effect effect : effects) {
        if (effect instanceof Effect.Reserve) {
          effects(session.onReserved(session.registered() ? random.nextBoolean() : true));
        } else if (effect instanceof Effect.ToRooms toRooms && toRooms.request() instanceof Request.Say say) {
          assertThat(say.text()).doesNotContainPattern("[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f]");
          said.add(say.text());
        }
      }
    }
  }
}
