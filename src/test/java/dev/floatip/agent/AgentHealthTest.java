package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 1: liveness fails when the event loop stops advancing (its timers unchecked), so
 * the kubelet restarts an agent that holds addresses but no longer sends adverts. The loop runs on
 * a clock the test moves.
 */
class AgentHealthTest {

  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final InstantSource clock = now::get;
  private final EventLoop loop = new EventLoop(clock, new FakeDataplane(), List.of());
  private final AgentRuntime runtime = new AgentRuntime(new SimpleMeterRegistry());
  private final AgentHealth health = new AgentHealth(runtime);
  private volatile boolean flooding = true;

  @AfterEach
  void stop() {
    flooding = false;
    runtime.stopped();
    loop.close();
  }

  private void advance(Duration d) {
    now.updateAndGet(i -> i.plus(d));
  }

  private String live() {
    AgentHealth.Report report = health.live();
    assertThat(report.httpStatus()).isEqualTo(report.up() ? 200 : 503);
    return report.checks().getFirst().status();
  }

  @Test
  void upWhileTheLoopTicks() {
    loop.start();
    runtime.started(loop, vip -> Optional.empty());
    assertThat(live()).isEqualTo("UP");

    // the loop re-stamps its heartbeat on every pass, at least once a second
    advance(Duration.ofSeconds(3));
    loop.execute(() -> {});
    await().atMost(DEADLINE).until(() -> loop.sinceLastTick().isZero());
    assertThat(live()).isEqualTo("UP");
  }

  @Test
  void downWhenAHandlerBlocksTheLoopAndUpAgainOnceItMoves() throws InterruptedException {
    loop.start();
    runtime.started(loop, vip -> Optional.empty());
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    loop.execute(
        () -> {
          entered.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    advance(EventLoop.STALLED_AFTER);
    assertThat(live()).as("exactly at the limit").isEqualTo("UP");
    advance(Duration.ofMillis(1));
    AgentHealth.Check down = health.live().checks().getFirst();
    assertThat(down.status()).isEqualTo("DOWN");
    assertThat(down.data().get("error").toString()).contains("has not advanced for 5001 ms");

    release.countDown();
    await().atMost(DEADLINE).until(() -> live().equals("UP"));
  }

  /**
   * A loop that drains tasks forever never checks its timers: it still answers status queries (what
   * liveness asked before), but sends no adverts. Liveness must see it.
   */
  @Test
  void downWhenTheLoopAnswersButNeverReachesItsTimers() {
    loop.start();
    runtime.started(loop, vip -> Optional.empty());
    loop.execute(
        new Runnable() {
          @Override
          public void run() {
            if (flooding) {
              loop.execute(this); // the queue is never empty: a flood
            }
          }
        });
    advance(EventLoop.STALLED_AFTER.plusSeconds(1));

    assertThat(runtime.status().join()).as("the loop still answers").isEmpty();
    assertThat(live()).isEqualTo("DOWN");
  }

  @Test
  void downWhenTheLoopThreadIsGone() {
    // never started (or its thread ended): nothing stamps the heartbeat
    runtime.started(loop, vip -> Optional.empty());
    assertThat(live()).isEqualTo("UP");
    advance(Duration.ofSeconds(6));
    assertThat(live()).isEqualTo("DOWN");
  }

  @Test
  void upWhenThereIsNoLoopYet() {
    advance(Duration.ofHours(1));
    assertThat(live()).isEqualTo("UP");
  }
}
