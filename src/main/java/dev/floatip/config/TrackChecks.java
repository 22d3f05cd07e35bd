package dev.floatip.config;

import dev.floatip.api.v1alpha1.FileCheck;
import dev.floatip.api.v1alpha1.HttpCheck;
import dev.floatip.api.v1alpha1.InterfaceCheck;
import dev.floatip.api.v1alpha1.PodCheck;
import dev.floatip.api.v1alpha1.ProcessCheck;
import dev.floatip.api.v1alpha1.ScriptCheck;
import dev.floatip.api.v1alpha1.TcpCheck;
import dev.floatip.api.v1alpha1.TrackSpec;
import java.time.Duration;
import java.util.List;
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

  private static final Pattern USER =
      Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]*(:[A-Za-z0-9._][A-Za-z0-9._-]*)?");

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
    if (v.requiredText(path + ".path", c.path()) && !c.path().startsWith("/")) {
      v.add(path + ".path", "must be an absolute path");
    }
    v.range(path + ".weight", c.weight(), -254, 254);
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
