package dev.floatip.tracking;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checks read together every interval on a blocking-work pool. A poll still running when the next
 * is due is not started twice: the tick is skipped.
 */
abstract class PolledChecks implements Tracker.Part {

  private final Duration interval;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService blocking;
  private final AtomicBoolean polling = new AtomicBoolean();
  private ScheduledFuture<?> timer;
  private volatile boolean stopped;

  PolledChecks(Duration interval, ScheduledExecutorService scheduler, ExecutorService blocking) {
    this.interval = interval;
    this.scheduler = scheduler;
    this.blocking = blocking;
  }

  /** Reads every check once and reports each result to the tracker. */
  abstract void poll();

  @Override
  public final synchronized void start() {
    if (!stopped && timer == null) {
      timer =
          scheduler.scheduleAtFixedRate(
              () -> {
                if (!stopped && polling.compareAndSet(false, true)) {
                  blocking.execute(this::pollOnce);
                }
              },
              0,
              interval.toNanos(),
              TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public final synchronized void stop() {
    stopped = true;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void pollOnce() {
    try {
      poll();
    } finally {
      polling.set(false);
    }
  }
}
