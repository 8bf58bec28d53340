package chat.irc;

import java.util.concurrent.TimeUnit;

/**
 * When a quiet IRC client is sent a {@code PING}, and when it is closed for not answering: after
 * {@code limits.idleTimeoutSeconds} of silence, or {@link #DEFAULT_INTERVAL_SECONDS} when that is 0 (off for the
 * line protocol: IRC clients expect a server's pings whatever the idle timeout), and closed when half as long again
 * passes without a line. Any line from the client counts as an answer. Times are {@code System.nanoTime()} values.
 */
final class IrcKeepalive {

  static final long DEFAULT_INTERVAL_SECONDS = 120;

  enum Action { NONE, PING, CLOSE }

  private final long interval;
  private long quietSince;
  private boolean pinged;

  IrcKeepalive(long idleTimeoutSeconds, long now) {
    this.interval = TimeUnit.SECONDS.toNanos(idleTimeoutSeconds > 0 ? idleTimeoutSeconds : DEFAULT_INTERVAL_SECONDS);
    this.quietSince = now;
  }

  /** The client sent something. */
  void heard(long now) {
    quietSince = now;
    pinged = false;
  }

  /** What to do now: nothing, send the PING (once), or close for a ping timeout. */
  Action check(long now) {
    long quiet = now - quietSince;
    if (!pinged && quiet >= interval) {
      pinged = true;
      return Action.PING;
    }
    return pinged && quiet >= interval + interval / 2 ? Action.CLOSE : Action.NONE;
  }
}
