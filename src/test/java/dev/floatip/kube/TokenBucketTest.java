package dev.floatip.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a virtual clock. */
class TokenBucketTest {

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1000 * MS;

  private final AtomicLong now = new AtomicLong(42 * SECOND);

  @Test
  void theBurstIsFreeThenTokensComeAtTheRate() {
    TokenBucket bucket = new TokenBucket(new ApiRate(10, 3), now::get);

    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isFalse();

    now.addAndGet(99 * MS);
    assertThat(bucket.tryTake()).isFalse();
    now.addAndGet(1 * MS);
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.tryTake()).isFalse();
  }

  @Test
  void anIdleBucketRefillsToTheBurstOnly() {
    TokenBucket bucket = new TokenBucket(new ApiRate(10, 3), now::get);
    for (int i = 0; i < 3; i++) {
      bucket.tryTake();
    }
    now.addAndGet(3600 * SECOND);

    int taken = 0;
    while (bucket.tryTake()) {
      taken++;
    }
    assertThat(taken).isEqualTo(3);
  }

  @Test
  void reservationsQueueCallersInTurn() {
    TokenBucket bucket = new TokenBucket(new ApiRate(4, 1), now::get);

    assertThat(bucket.reserve(SECOND)).isZero();
    assertThat(bucket.reserve(SECOND)).isEqualTo(250 * MS);
    assertThat(bucket.reserve(SECOND)).isEqualTo(500 * MS);
    assertThat(bucket.reserve(SECOND)).isEqualTo(750 * MS);
    assertThat(bucket.reserve(SECOND)).isEqualTo(1000 * MS);
    // the next would be due in 1.25 s: refused, and nothing taken
    assertThat(bucket.reserve(SECOND)).isEqualTo(-1);
    now.addAndGet(250 * MS);
    assertThat(bucket.reserve(SECOND)).isEqualTo(1000 * MS);
  }

  @Test
  void aFractionalRateWorks() {
    TokenBucket bucket = new TokenBucket(new ApiRate(0.5, 1), now::get);
    assertThat(bucket.tryTake()).isTrue();
    assertThat(bucket.reserve(10 * SECOND)).isEqualTo(2 * SECOND);
  }

  @Test
  void aClockGoingBackwardsAddsNothing() {
    TokenBucket bucket = new TokenBucket(new ApiRate(10, 1), now::get);
    assertThat(bucket.tryTake()).isTrue();
    now.addAndGet(-SECOND);
    assertThat(bucket.tryTake()).isFalse();
  }
}
