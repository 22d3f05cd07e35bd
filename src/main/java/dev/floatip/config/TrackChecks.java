package dev.floatip.config;

import dev.floatip.api.v1alpha1.FileCheck;
import dev.floatip.api.v1alpha1.HttpCheck;
import dev.floatip.api.v1alpha1.InterfaceCheck;
import dev.floatip.api.v1alpha1.PodCheck;
import dev.floatip.api.v1alpha1.ProcessCheck;
import dev.floatip.api.v1alpha1.ScriptCheck;
import dev.floatip.api.v1alpha1.TcpCheck;
import dev.floatip.api.v1alpha1.TrackSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks of {@code spec.track}. Weight ranges are keepalived's (anchors §1.7): ±253 for scripts,
 * interfaces (and our pods, TCP, HTTP), ±254 for files and processes.
 */
final class TrackChecks {

  /** The kernel's comm name is at most 15 characters (TASK_COMM_LEN 16). */
  static final int MAX_COMM = 15;

  /** Checks run at most every 10 ms; keepalived's resolution is 1 ms, but 10 ms is plenty. */
  static final Duration MIN_INTERVAL = Duration.ofMillis(10);

  static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

  /** {@code user[:group]}, names or numbers (track.scripts[].user, notify.user). */
  static final Pattern USER =
      Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]*(:[A-Za-z0-9._][A-Za-z0-9._-]*)?");

  /**
   * Where a tracked file may not be: in a cluster the agent reads {@code track.files} from the
   * host's root (mounted read-only), on behalf of whoever may write a VirtualIP, and reports what
   * it read in status; standalone the same file is the same host's. These hold kernel and device
   * state ({@code /proc}, {@code /sys}, {@code /dev}), boot images, root's home, the host's
   * configuration and credentials ({@code /etc}), the kubelet's and etcd's data (pod volumes,
   * Secrets), the container runtimes' state, and mounted Secrets. {@code /etc/keepalived} and
   * {@code /etc/floatip} are allowed: that is where keepalived users keep their track files. {@code
   * /var/run} is a link to {@code /run} on most hosts: both spellings are listed.
   */
  static final List<String> SYSTEM_PATHS =
      List.of(
          "/proc",
          "/sys",
          "/dev",
          "/boot",
          "/root",
          "/etc",
          "/var/lib/kubelet",
          "/var/lib/etcd",
          "/var/lib/containerd",
          "/var/lib/docker",
          "/run/secrets",
          "/var/run/secrets",
          "/run/containerd",
          "/var/run/containerd");

  /** The exceptions to {@link #SYSTEM_PATHS}: directories under them where track files belong. */
  static final List<String> ALLOWED_UNDER_SYSTEM_PATHS = List.of("/etc/keepalived", "/etc/floatip");

  private TrackChecks() {}

  static void track(Violations v, TrackSpec t, Mode mode) {
    if (t == null) {
      return;
    }
    String path = "spec.track";
    each(v, path + ".pods", t.pods(), (p, c) -> pod(v, p, c, mode));
    each(v, path + ".processes", t.processes(), (p, c) -> process(v, p, c));
    each(v, path + ".scripts", t.scripts(), (p, c) -> script(v, p, c));
    each(v, path + ".files", t.files(), (p, c) -> file(v, p, c));
    each(v, path + ".interfaces", t.interfaces(), (p, c) -> iface(v, p, c));
    each(v, path + ".tcp", t.tcp(), (p, c) -> tcp(v, p, c));
    each(v, path + ".http", t.http(), (p, c) -> http(v, p, c));
    unique(v, path + ".processes", t.processList(), ProcessCheck::name, "name", "process");
    unique(v, path + ".scripts", t.scriptList(), ScriptCheck::name, "name", "script");
    unique(v, path + ".files", t.fileList(), FileCheck::path, "path", "file");
    unique(v, path + ".interfaces", t.interfaceList(), InterfaceCheck::name, "name", "interface");
    unique(v, path + ".tcp", t.tcpList(), TcpCheck::name, "name", "check");
    unique(v, path + ".http", t.httpList(), HttpCheck::name, "name", "check");
  }

  private static void pod(Violations v, String path, PodCheck c, Mode mode) {
    if (mode == Mode.STANDALONE) {
      v.add(path, "pods are only tracked in a cluster");
      return;
    }
    if (v.requiredText(path + ".namespace", c.namespace())
        && !VirtualIPValidator.DNS_LABEL.matcher(c.namespace()).matches()) {
      v.add(path + ".namespace", "must be a namespace name (DNS label)");
    }
    if (v.required(path + ".selector", c.selector())) {
      SelectorChecks.labelSelector(v, path + ".selector", c.selector());
    }
    v.atLeast(path + ".minReady", c.minReady(), 1);
    v.range(path + ".weight", c.weight(), -253, 253);
  }

  private static void process(Violations v, String path, ProcessCheck c) {
    if (v.requiredText(path + ".name", c.name())
        && c.commandLine() == null
        && c.name().length() > MAX_COMM) {
      v.add(
          path + ".name",
          "the kernel's process name has at most 15 characters, so this never matches;"
              + " use commandLine to match longer names");
    }
    if (c.commandLine() != null && c.commandLine().isBlank()) {
      v.add(path + ".commandLine", "must not be empty");
    }
    v.atLeast(path + ".quorum", c.quorum(), 1);
    v.range(path + ".weight", c.weight(), -254, 254);
  }

  private static void script(Violations v, String path, ScriptCheck c) {
    v.requiredText(path + ".name", c.name());
    if (c.command() == null) {
      v.add(path + ".command", "required");
    } else {
      NotifyChecks.command(v, path + ".command", c.command());
    }
    timing(v, path, c.interval(), c.timeout(), c.rise(), c.fall());
    v.range(path + ".weight", c.weight(), -253, 253);
    if (c.user() != null && !USER.matcher(c.user()).matches()) {
      v.add(path + ".user", "must be user or user:group");
    }
  }

  private static void file(Violations v, String path, FileCheck c) {
    if (v.requiredText(path + ".path", c.path())) {
      filePath(v, path + ".path", c.path());
    }
    v.range(path + ".weight", c.weight(), -254, 254);
  }

  private static void filePath(Violations v, String field, String file) {
    filePathProblem(file).ifPresent(m -> v.add(field, m));
  }

  /** An absolute path, without {@code ..}, not under a {@link #SYSTEM_PATHS system path}. */
  static Optional<String> filePathProblem(String file) {
    if (!file.startsWith("/")) {
      return Optional.of("must be an absolute path");
    }
    if (List.of(file.split("/")).contains("..")) {
      return Optional.of("must not contain .. segments");
    }
    if (file.indexOf('\0') >= 0) {
      return Optional.of("must not contain a NUL character"); // no file has one in its name
    }
    return systemPath(file)
        .map(
            p ->
                "must not be under "
                    + p
                    + " (a system path)"
                    + (p.equals("/etc") ? "; use /etc/keepalived or /etc/floatip" : ""));
  }

  /** The system path {@code file} is under, if any (empty for the allowed directories). */
  static Optional<String> systemPath(String file) {
    String normal = Path.of(file).normalize().toString(); // "//proc/./x" is "/proc/x"
    if (ALLOWED_UNDER_SYSTEM_PATHS.stream().anyMatch(a -> normal.startsWith(a + "/"))) {
      return Optional.empty();
    }
    return SYSTEM_PATHS.stream()
        .filter(p -> normal.equals(p) || normal.startsWith(p + "/"))
        .findFirst();
  }

  private static void iface(Violations v, String path, InterfaceCheck c) {
    if (v.requiredText(path + ".name", c.name())) {
      SelectorChecks.interfaceName(v, path + ".name", c.name());
    }
    v.range(path + ".weight", c.weight(), -253, 253);
  }

  private static void tcp(Violations v, String path, TcpCheck c) {
    v.requiredText(path + ".name", c.name());
    if (v.requiredText(path + ".address", c.address())) {
      try {
        IpLiteral.socketAddress(c.address());
      } catch (IllegalArgumentException e) {
        v.add(path + ".address", e.getMessage());
      }
    }
    timing(v, path, c.interval(), c.timeout(), c.rise(), c.fall());
    v.range(path + ".weight", c.weight(), -253, 253);
  }

  private static void http(Violations v, String path, HttpCheck c) {
    v.requiredText(path + ".name", c.name());
    if (v.requiredText(path + ".url", c.url())) {
      NotifyChecks.httpUrl(v, path + ".url", c.url());
    }
    v.range(path + ".expectedStatus", c.expectedStatus(), 100, 599);
    timing(v, path, c.interval(), c.timeout(), c.rise(), c.fall());
    v.range(path + ".weight", c.weight(), -253, 253);
  }

  private static void timing(
      Violations v, String path, String interval, String timeout, Integer rise, Integer fall) {
    v.duration(path + ".interval", interval, MIN_INTERVAL, null);
    v.duration(path + ".timeout", timeout, MIN_TIMEOUT, null);
    v.atLeast(path + ".rise", rise, 1);
    v.atLeast(path + ".fall", fall, 1);
  }

  private interface ItemCheck<T> {
    void check(String path, T item);
  }

  private static <T> void each(Violations v, String path, List<T> items, ItemCheck<T> check) {
    if (items == null) {
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      String item = FieldPath.index(path, i);
      if (v.required(item, items.get(i))) {
        check.check(item, items.get(i));
      }
    }
  }

  private static <T> void unique(
      Violations v,
      String path,
      List<T> items,
      Function<T, String> key,
      String field,
      String what) {
    List<String> keys = items.stream().map(c -> c == null ? null : key.apply(c)).toList();
    v.unique(keys, i -> FieldPath.index(path, i) + "." + field, what + " " + field);
  }
}
