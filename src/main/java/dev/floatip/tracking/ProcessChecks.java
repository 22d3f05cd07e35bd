package dev.floatip.tracking;

import dev.floatip.api.v1alpha1.ProcessCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The process checks of one tracker: one {@code /proc} scan per interval serves them all. Healthy
 * while at least {@code quorum} matching processes run (zombies do not count).
 */
final class ProcessChecks extends PolledChecks {

  private final Tracker tracker;
  private final int firstIndex;
  private final List<ProcessCheck> checks;
  private final ProcTable table;
  private final boolean commandLines;

  ProcessChecks(
      Tracker tracker,
      int firstIndex,
      List<ProcessCheck> checks,
      ProcTable table,
      Duration interval,
      ScheduledExecutorService scheduler,
      ExecutorService blocking) {
    super(interval, scheduler, blocking);
    this.tracker = tracker;
    this.firstIndex = firstIndex;
    this.checks = List.copyOf(checks);
    this.table = table;
    this.commandLines = checks.stream().anyMatch(c -> c.commandLine() != null);
  }

  @Override
  void poll() {
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
  }

  static CheckState state(ProcessCheck c, int running) {
    int quorum = c.quorumOrDefault();
    String message = running + " running" + (quorum == 1 ? "" : ", quorum " + quorum);
    return running >= quorum
        ? CheckState.healthy(CheckKind.PROCESS, c.name(), c.weightOrDefault(), message)
        : CheckState.failing(CheckKind.PROCESS, c.name(), c.weightOrDefault(), message);
  }
}
