package dev.floatip.tracking;

import dev.floatip.api.v1alpha1.FileCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The file checks of one tracker, read every interval (keepalived watches with inotify; reading a
 * few small files each second is simpler and also sees files on filesystems without inotify).
 */
final class FileChecks implements Tracker.Part {

  private final Tracker tracker;
  private final int firstIndex;
  private final List<FileCheck> checks;
  private final Duration interval;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService blocking;
  private final AtomicBoolean reading = new AtomicBoolean();
  private ScheduledFuture<?> timer;
  private volatile boolean stopped;

  FileChecks(
      Tracker tracker,
      int firstIndex,
      List<FileCheck> checks,
      Duration interval,
      ScheduledExecutorService scheduler,
      ExecutorService blocking) {
    this.tracker = tracker;
    this.firstIndex = firstIndex;
    this.checks = List.copyOf(checks);
    this.interval = interval;
    this.scheduler = scheduler;
    this.blocking = blocking;
  }

  @Override
  public synchronized void start() {
    if (!stopped && timer == null) {
      timer =
          scheduler.scheduleAtFixedRate(
              () -> {
                if (!stopped && reading.compareAndSet(false, true)) {
                  blocking.execute(this::readAll);
                }
              },
              0,
              interval.toNanos(),
              TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public synchronized void stop() {
    stopped = true;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void readAll() {
    try {
      for (int i = 0; i < checks.size(); i++) {
        tracker.update(firstIndex + i, state(checks.get(i)));
      }
    } finally {
      reading.set(false);
    }
  }

  static CheckState state(FileCheck c) {
    FileValue.Reading r = FileValue.read(Path.of(c.path()));
    return r.ok()
        ? CheckState.fileValue(c.path(), c.weightOrDefault(), r.value())
        : CheckState.failing(CheckKind.FILE, c.path(), c.weightOrDefault(), r.failure());
  }
}
