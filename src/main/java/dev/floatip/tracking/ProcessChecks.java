package dev.floatip.tracking;

import dev.floatip.api.v1alpha1.ProcessCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The process checks of one tracker: one {@code /proc} scan per interval serves them all. Healthy
 * while at least {@code quorum} matching processes run (zombies do not count).
 */
final class ProcessChecks implements Tracker.Part {

  private final Tracker tracker;
  private final int firstIndex;
  private final List<ProcessCheck> checks;
  private final ProcTable table;
  private final Duration interval;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService blocking;
  private final boolean commandLines;
  private final AtomicBoolean scanning = new AtomicBoolean();
  private ScheduledFuture<?> timer;
  private volatile boolean stopped;

  ProcessChecks(
      Tracker tracker,
      int firstIndex,
      List<ProcessCheck> checks,
      ProcTable table,
      Duration interval,
      ScheduledExecutorService scheduler,
      ExecutorService blocking) {
    this.tracker = tracker;
    this.firstIndex = firstIndex;
    this.checks = List.copyOf(checks);
    this.table = table;
    this.interval = interval;
    this.scheduler = scheduler;
    this.blocking = blocking;
    this.commandLines = checks.stream().anyMatch(c -> c.commandLine() != null);
  }

  @Override
  public synchronized void start() {
    if (!stopped && timer == null) {
      timer =
          scheduler.scheduleAtFixedRate(
              () -> {
                if (!stopped && scanning.compareAndSet(false, true)) {
                  blocking.execute(this::scan);
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

  private void scan() {
    try {
      List<ProcTable.Proc> procs;
      try {
        procs = table.scan(commandLines);
      } catch (IOException | RuntimeException e) {
        String reason = "cannot scan " + table.root() + ": " + PeriodicCheck.describe(e);
        for (int i = 0; i < checks.size(); i++) {
          ProcessCheck c = checks.get(i);
          tracker.update(
              firstIndex + i,
              CheckState.failing(CheckKind.PROCESS, c.name(), c.weightOrDefault(), reason));
        }
        return;
      }
      for (int i = 0; i < checks.size(); i++) {
        tracker.update(firstIndex + i, state(checks.get(i), ProcTable.count(procs, checks.get(i))));
      }
    } finally {
      scanning.set(false);
    }
  }

  static CheckState state(ProcessCheck c, int running) {
    int quorum = c.quorumOrDefault();
    String message = running + " running" + (quorum == 1 ? "" : ", quorum " + quorum);
    return running >= quorum
        ? CheckState.healthy(CheckKind.PROCESS, c.name(), c.weightOrDefault(), message)
        : CheckState.failing(CheckKind.PROCESS, c.name(), c.weightOrDefault(), message);
  }
}
