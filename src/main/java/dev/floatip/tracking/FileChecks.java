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
  private final Path root;

  FileChecks(
      Tracker tracker,
      int firstIndex,
      List<FileCheck> checks,
      Path root,
      Duration interval,
      ScheduledExecutorService scheduler,
      ExecutorService blocking) {
    super(interval, scheduler, blocking);
    this.tracker = tracker;
    this.firstIndex = firstIndex;
    this.checks = List.copyOf(checks);
    this.root = root;
  }

  @Override
  void poll() {
    for (int i = 0; i < checks.size(); i++) {
      tracker.update(firstIndex + i, state(checks.get(i), root));
    }
  }

  /**
   * Reads {@code c.path()} under {@code root} ({@code /}, or the host's root mounted into the
   * agent's container); the check keeps the path as written.
   */
  static CheckState state(FileCheck c, Path root) {
    FileValue.Reading r = FileValue.read(under(root, c.path()));
    return r.ok()
        ? CheckState.fileValue(c.path(), c.weightOrDefault(), r.value())
        : CheckState.failing(CheckKind.FILE, c.path(), c.weightOrDefault(), r.failure());
  }

  /** {@code /etc/keepalived/x} under {@code /host} is {@code /host/etc/keepalived/x}. */
  static Path under(Path root, String path) {
    Path relative = Path.of("/").relativize(Path.of(path).normalize());
    return root.resolve(relative);
  }
}
