package chat.irc;

import static org.assertj.core.api.Assertions.assertThat;

import chat.irc.IrcKeepalive.Action;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server's PING to a quiet client and the ping timeout, with and without an idle timeout. */
class IrcKeepaliveTest {

  private static long seconds(double s) {
    return (long) (s * TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void withoutAnIdleTimeoutAQuietClientIsPingedAfterTwoMinutesAndClosedAMinuteLater() {
    IrcKeepalive keepalive = new IrcKeepalive(0, 0);
    assertThat(keepalive.check(seconds(119))).isEqualTo(Action.NONE);
    assertThat(keepalive.check(seconds(120))).isEqualTo(Action.PING);
    assertThat(keepalive.check(seconds(121))).isEqualTo(Action.NONE);
    assertThat(keepalive.check(seconds(179))).isEqualTo(Action.NONE);
    assertThat(keepalive.check(seconds(180))).isEqualTo(Action.CLOSE);
  }

  @Test
  void theIdleTimeoutSetsTheIntervalAndAnyLineAnswers() {
    IrcKeepalive keepalive = new IrcKeepalive(10, 0);
    assertThat(keepalive.check(seconds(10))).isEqualTo(Action.PING);
    keepalive.heard(seconds(12));
    assertThat(keepalive.check(seconds(17))).isEqualTo(Action.NONE);
    assertThat(keepalive.check(seconds(21))).isEqualTo(Action.NONE);
    assertThat(keepalive.check(seconds(22))).isEqualTo(Action.PING);
    assertThat(keepalive.check(seconds(27))).isEqualTo(Action.CLOSE);
  }
}
