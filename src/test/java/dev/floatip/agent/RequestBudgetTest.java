package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 12 item 1: the HTTP port's request rate is bounded (a token bucket on a test clock). */
class RequestBudgetTest {

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final RequestBudget budget = new RequestBudget(4, 2, nanos::get);

  private int taken(int tries) {
    int n = 0;
    for (int i = 0; i < tries; i++) {
      if (budget.tryTake()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void aBurstThenTheSteadyRate() {
    assertThat(taken(100)).as("the burst").isEqualTo(4);
    nanos.addAndGet(500_000_000L); // half a second at 2/s: one more
    assertThat(taken(100)).isEqualTo(1);
    nanos.addAndGet(10_000_000_000L); // a long pause refills to the burst, not beyond
    assertThat(taken(100)).isEqualTo(4);
  }

  @Test
  void aFloodGetsOnlyTheRate() {
    int total = 0;
    for (int ms = 0; ms < 10_000; ms++) { // 10 s, 100 tries every millisecond
      nanos.addAndGet(1_000_000L);
      total += taken(100);
    }
    assertThat(total).isBetween(20, 4 + 20);
  }

  @Test
  void aClockGoingBackwardsGivesNothing() {
    taken(4);
    nanos.addAndGet(-5_000_000_000L);
    assertThat(taken(10)).isZero();
  }

  @Test
  void refusesANonsenseBudget() {
    assertThatThrownBy(() -> new RequestBudget(0, 1, nanos::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
