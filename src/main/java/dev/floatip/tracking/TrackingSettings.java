package dev.floatip.tracking;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Node-wide knobs of tracking (not part of the VirtualIP spec).
 *
 * @param processInterval how often {@code /proc} is scanned for process checks (default 1 s)
 * @param fileInterval how often tracked files are read (default 1 s)
 * @param defaultScriptUser who scripts without {@code user} run as when the agent is root (default
 *     {@code nobody}; 65534:65534 if there is no such user in {@code passwd})
 * @param procRoot {@code /proc}, or a fake one in tests
 * @param passwd {@code /etc/passwd}
 * @param group {@code /etc/group}
 * @param fileRoot where {@code track.files} paths are read under: {@code /} standalone; in a
 *     cluster the host's root as mounted into the agent's container ({@code FLOATIP_HOST_ROOT}), so
 *     that {@code /etc/keepalived/x} is the host's file, not the image's
 */
public record TrackingSettings(
    Duration processInterval,
    Duration fileInterval,
    String defaultScriptUser,
    Path procRoot,
    Path passwd,
    Path group,
    Path fileRoot) {

  public TrackingSettings {
    Objects.requireNonNull(processInterval, "processInterval");
    Objects.requireNonNull(fileInterval, "fileInterval");
    Objects.requireNonNull(defaultScriptUser, "defaultScriptUser");
    Objects.requireNonNull(procRoot, "procRoot");
    Objects.requireNonNull(passwd, "passwd");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(fileRoot, "fileRoot");
    if (!fileRoot.isAbsolute()) {
      throw new IllegalArgumentException("fileRoot must be absolute, was " + fileRoot);
    }
    if (processInterval.isNegative()
        || processInterval.isZero()
        || fileInterval.isNegative()
        || fileInterval.isZero()) {
      throw new IllegalArgumentException("intervals must be positive");
    }
  }

  public static TrackingSettings defaults() {
    return new TrackingSettings(
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        "nobody",
        Path.of("/proc"),
        Path.of("/etc/passwd"),
        Path.of("/etc/group"),
        Path.of("/"));
  }

  public TrackingSettings withProcessInterval(Duration d) {
    return new TrackingSettings(
        d, fileInterval, defaultScriptUser, procRoot, passwd, group, fileRoot);
  }

  public TrackingSettings withFileInterval(Duration d) {
    return new TrackingSettings(
        processInterval, d, defaultScriptUser, procRoot, passwd, group, fileRoot);
  }

  public TrackingSettings withDefaultScriptUser(String user) {
    return new TrackingSettings(
        processInterval, fileInterval, user, procRoot, passwd, group, fileRoot);
  }

  public TrackingSettings withProcRoot(Path root) {
    return new TrackingSettings(
        processInterval, fileInterval, defaultScriptUser, root, passwd, group, fileRoot);
  }

  public TrackingSettings withFileRoot(Path root) {
    return new TrackingSettings(
        processInterval, fileInterval, defaultScriptUser, procRoot, passwd, group, root);
  }
}
