package chat.net;

/**
 * Flood control for one connection: a bucket of {@code burst} tokens refilled at {@code perSecond}, one token per
 * line. Kept as one timestamp, the moment the bucket will be full again (the generic cell rate algorithm), so an idle
 * connection pays eight bytes of state for it. Time is passed in, in nanoseconds, so it is tested without a clock.
 */
public final class TokenBucket {

  private final long intervalNanos;
  private final long capacityNanos;
  private long fullAt;

  public TokenBucket(int perSecond, int burst, long now) {
    if (perSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("perSecond and burst must be positive");
    }
    this.intervalNanos = 1_000_000_000L / perSecond;
    this.capacityNanos = burst * intervalNanos;
    this.fullAt = now;
  }

  /** Takes a token and answers 0, or, when none is left, takes nothing and answers the nanoseconds until one is. */
  public long take(long now) {
    long wait = fullAt + intervalNanos - capacityNanos - now;
    if (wait > 0) {
      return wait;
    }
    fullAt = Math.max(fullAt, now) + intervalNanos;
    return 0;
  }

  /** Tokens that could be taken right now. */
  public int available(long now) {
    return (int) ((capacityNanos - Math.max(0, fullAt - now)) / intervalNanos);
  }
}
