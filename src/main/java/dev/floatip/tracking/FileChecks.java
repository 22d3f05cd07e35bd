package dev.floatip.tracking;

import dev.floatip.api.v1alpha1.FileCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The file checks of one tracker, read every interval (keepalived watches with inotify; reading a
 * few small files each second is simpler and also sees files on filesystems without inotify).
 */
final class FileChecks extends PolledChecks {

  private final Tracker tracker;
  private final int firstIndex;
  private final List<FileCheck> checks;

  FileChecks(
      Tracker tracker,
      int firstIndex,
      List<FileCheck> checks,
      Duration interval,
      ScheduledExecutorService scheduler,
      ExecutorService blocking) {
    super(interval, scheduler, blocking);
    this.tracker = tracker;
    this.firstIndex = firstIndex;
    this.checks = List.copyOf(checks);
  }

  @Override
  void poll() {
    for (int i = 0; i < checks.size(); i++) {
      tracker.update(firstIndex + i, state(checks.get(i)));
    }
  }

  static CheckState state(FileCheck c) {
    FileValue.Reading r = FileValue.read(Path.of(c.path()));
    return r.ok()
        ? CheckState.fileValue(c.path(), c.weightOrDefault(), r.value())
        : CheckState.failing(CheckKind.FILE, c.path(), c.weightOrDefault(), r.failure());
  }
}
