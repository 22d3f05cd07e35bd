package dev.floatip.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floatip.tracking.Attempt.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeriodicCheckTest {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<CompletableFuture<Outcome>> attempts = new CopyOnWriteArrayList<>();
  private final AtomicInteger cancelled = new AtomicInteger();
  private final List<Effective> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() {
    scheduler.shutdownNow();
  }

  private Tracker tracker(int weight) {
    Tracker t =
        new Tracker(
            "vip", 100, List.of(CheckState.unknown(CheckKind.SCRIPT, "s", weight)), seen::add);
    t.add(
        new PeriodicCheck(
            t,
            0,
            CheckKind.SCRIPT,
            "s",
            weight,
            Duration.ofMillis(10),
            1,
            1,
            scheduler,
            Runnable::run,
            () -> {
              CompletableFuture<Outcome> f = new CompletableFuture<>();
              attempts.add(f);
              return Attempt.of(f, cancelled::incrementAndGet);
            }));
    return t;
  }

  @Test
  void neverRunsTwiceAtOnceAndSkippedTicksCountNothing() {
    Tracker t = tracker(0);
    t.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 1);
    // Many 10 ms ticks pass while the first attempt runs: none starts another.
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(10))
        .until(() -> attempts.size() == 1);
    assertThat(t.current().settled()).isFalse();

    attempts.getFirst().complete(new Outcome(false, "exit 1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 2);
    assertThat(t.current().fault()).isTrue();
    assertThat(seen).hasSize(2); // the start, and one result

    t.close();
    assertThat(cancelled).hasValue(1); // the running attempt
    attempts.get(1).complete(new Outcome(true, "exit 0"));
    assertThat(t.current().fault()).isTrue();
    assertThat(seen).hasSize(2);
  }

  @Test
  void anAttemptThatThrowsCountsAsAFailure() {
    Tracker t = tracker(-5);
    t.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 1);
    attempts.getFirst().completeExceptionally(new IllegalStateException("boom"));

    await().atMost(Duration.ofSeconds(10)).until(() -> t.current().priority() == 95);
    assertThat(t.current().effects().getFirst().message()).isEqualTo("boom");
    t.close();
  }
}
