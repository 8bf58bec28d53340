package chat.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = -5 * SECOND;

  @Test
  void aFullBucketLetsTheBurstThroughAtOnceThenAsksToWaitOneInterval() {
    TokenBucket bucket = new TokenBucket(5, 10, T0);

    for (int i = 0; i < 10; i++) {
      assertThat(bucket.take(T0)).as("line %d of the burst", i).isZero();
    }
    assertThat(bucket.available(T0)).isZero();
    assertThat(bucket.take(T0)).isEqualTo(SECOND / 5);
    assertThat(bucket.take(T0 + SECOND / 10)).isEqualTo(SECOND / 10);
    assertThat(bucket.take(T0 + SECOND / 5)).isZero();
    assertThat(bucket.take(T0 + SECOND / 5)).isEqualTo(SECOND / 5);
  }

  @Test
  void aWaitThatIsAnsweredTakesNothing() {
    TokenBucket bucket = new TokenBucket(1, 1, T0);
    assertThat(bucket.take(T0)).isZero();

    for (int i = 0; i < 5; i++) {
      assertThat(bucket.take(T0 + i)).isEqualTo(SECOND - i);
    }
    assertThat(bucket.take(T0 + SECOND)).isZero();
  }

  @Test
  void tokensRefillAtTheRateUpToTheBurstAndNoFurther() {
    TokenBucket bucket = new TokenBucket(5, 10, T0);
    for (int i = 0; i < 10; i++) {
      bucket.take(T0);
    }

    assertThat(bucket.available(T0 + SECOND)).isEqualTo(5);
    assertThat(bucket.available(T0 + 2 * SECOND)).isEqualTo(10);
    assertThat(bucket.available(T0 + 60 * SECOND)).isEqualTo(10);
    long later = T0 + 60 * SECOND;
    for (int i = 0; i < 10; i++) {
      assertThat(bucket.take(later)).isZero();
    }
    assertThat(bucket.take(later)).isPositive();
  }

  @ParameterizedTest(name = "{0}/s, burst {1}")
  @CsvSource({"5, 10", "1, 1", "100, 3", "1000, 1000"})
  void overALongRunTheRateIsHeldWhateverTheDemand(int perSecond, int burst) {
    TokenBucket bucket = new TokenBucket(perSecond, burst, T0);
    long now = T0;
    int taken = 0;
    long end = T0 + 10 * SECOND;
    while (now <= end) {
      long wait = bucket.take(now);
      if (wait == 0) {
        taken++;
      } else {
        now += wait;
      }
    }

    assertThat(taken).isBetween(burst + 10 * perSecond - 1, burst + 10 * perSecond + 1);
  }

  @Test
  void aRateOrBurstOfZeroIsNotABucket() {
    assertThatThrownBy(() -> new TokenBucket(0, 10, T0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(5, 0, T0)).isInstanceOf(IllegalArgumentException.class);
  }
}
