package dev.floatip.convert;

import dev.floatip.api.v1alpha1.FileCheck;
import dev.floatip.api.v1alpha1.InterfaceCheck;
import dev.floatip.api.v1alpha1.ProcessCheck;
import dev.floatip.api.v1alpha1.Schema;
import dev.floatip.api.v1alpha1.ScriptCheck;
import dev.floatip.api.v1alpha1.TcpCheck;
import dev.floatip.api.v1alpha1.TrackSpec;
import dev.floatip.config.IpLiteral;
import dev.floatip.config.VirtualIPValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An instance's {@code track_*} lists → {@code spec.track}, with keepalived's defaults written out:
 * script interval 1s, timeout = interval, rise and fall 1, weight 0 (FAULT); file weight 1; process
 * quorum 1. The weight given in the track list wins over the definition's.
 */
final class Tracks {

  /** keepalived: script and interface weights are -253..253, process and file -254..254. */
  private static final int SCRIPT_WEIGHT = 253;

  private static final int PROCESS_FILE_WEIGHT = 254;
  private static final int COMM = 15;

  private final Definitions defs;
  private final List<ConvertWarning> warnings;
  private final Map<String, String> comments;
  private final List<Tracked<Object>> checks = new ArrayList<>();
  private final Set<String> keys = new HashSet<>();
  private boolean groupWeights;

  /** One converted tracker; {@code weight} decides whether a sync group keeps it. */
  private record Tracked<T>(String kind, T check, int weight, ConfNode at) {}

  Tracks(Definitions defs, List<ConvertWarning> warnings, Map<String, String> comments) {
    this.defs = defs;
    this.warnings = warnings;
    this.comments = comments;
  }

  /** {@code sync_group_tracking_weight}: members keep weighted trackers. */
  void keepGroupWeights() {
    groupWeights = true;
  }

  void interfaces(ConfNode list) throws ConfSyntaxError {
    for (ConfNode e : list.children()) {
      Values.Weight w = weight(e, SCRIPT_WEIGHT, null);
      if (!reversed(e, w)) {
        add("interface:" + e.keyword(), new InterfaceCheck(e.keyword(), w.value()), w.value(), e);
      }
    }
  }

  void scripts(ConfNode list) throws ConfSyntaxError {
    for (ConfNode e : list.children()) {
      ConfNode def = defs.scripts.get(e.keyword());
      if (def == null) {
        warn(e, "track_script", "no vrrp_script " + e.keyword() + " (keepalived ignores it)");
        continue;
      }
      script(e, def);
    }
  }

  void processes(ConfNode list) throws ConfSyntaxError {
    for (ConfNode e : list.children()) {
      ConfNode def = defs.processes.get(e.keyword());
      if (def == null) {
        warn(
            e,
            "track_process",
            "no vrrp_track_process " + e.keyword() + " (keepalived ignores it)");
        continue;
      }
      process(e, def);
    }
  }

  void files(ConfNode list) throws ConfSyntaxError {
    for (ConfNode e : list.children()) {
      ConfNode def = defs.files.get(e.keyword());
      if (def == null) {
        warn(e, "track_file", "no track_file " + e.keyword() + " (keepalived ignores it)");
        continue;
      }
      file(e, def);
    }
  }

  /** The track section; {@code group} drops weighted trackers as keepalived does. */
  TrackSpec spec(ConfNode group) {
    List<InterfaceCheck> ifs = new ArrayList<>();
    List<ScriptCheck> scripts = new ArrayList<>();
    List<ProcessCheck> procs = new ArrayList<>();
    List<FileCheck> files = new ArrayList<>();
    List<TcpCheck> tcp = new ArrayList<>();
    for (Tracked<Object> t : checks) {
      if (group != null && !groupWeights && t.weight != 0) {
        warn(
            t.at,
            t.kind,
            "weight "
                + t.weight
                + " in sync group "
                + group.arg()
                + ": keepalived ignores weighted trackers of sync group members (without"
                + " sync_group_tracking_weight); left out");
        continue;
      }
      switch (t.check) {
        case InterfaceCheck c -> ifs.add(c);
        case ScriptCheck c -> scripts.add(c);
        case ProcessCheck c -> procs.add(c);
        case FileCheck c -> files.add(c);
        case TcpCheck c -> tcp.add(c);
        default -> throw new IllegalStateException("unexpected check " + t.check);
      }
    }
    if (ifs.isEmpty() && scripts.isEmpty() && procs.isEmpty() && files.isEmpty() && tcp.isEmpty()) {
      return null;
    }
    return new TrackSpec(
        null, orNull(procs), orNull(scripts), orNull(files), orNull(ifs), orNull(tcp), null);
  }

  private static <T> List<T> orNull(List<T> list) {
    return list.isEmpty() ? null : list;
  }

  private void script(ConfNode use, ConfNode def) throws ConfSyntaxError {
    String command = null;
    Duration interval = Duration.ofSeconds(1);
    Duration timeout = null;
    int rise = Schema.RISE_FALL;
    int fall = Schema.RISE_FALL;
    Values.Weight weight = new Values.Weight(0, false);
    String user = null;
    for (ConfNode c : def.children()) {
      switch (c.keyword()) {
        case "script" -> command = Values.one(c);
        case "interval" -> interval = Values.seconds(c, Integer.MAX_VALUE);
        case "timeout" -> timeout = Values.seconds(c, Integer.MAX_VALUE);
        case "rise" -> rise = Values.integer(c, 1, Integer.MAX_VALUE);
        case "fall" -> fall = Values.integer(c, 1, Integer.MAX_VALUE);
        case "weight" -> weight = Values.weight(withWeightKeyword(c), 0, SCRIPT_WEIGHT);
        case "user" -> user = String.join(":", c.args());
        case "init_fail" ->
            warn(c, "init_fail", "floatip starts every check as pending, not failed");
        default -> warn(c, "unknown keyword in vrrp_script, not converted");
      }
    }
    if (command == null) {
      warn(def, "vrrp_script", def.arg() + " has no script (keepalived ignores it)");
      return;
    }
    if (interval.isZero()) {
      throw new ConfSyntaxError(def.at(), "vrrp_script " + def.arg() + ": interval must be > 0");
    }
    Values.Weight override = weight(use, SCRIPT_WEIGHT, weight.value());
    if (reversed(def, weight) || reversed(use, override)) {
      return;
    }
    int w = override.value();
    String iv = Values.format(interval);
    String to = Values.format(timeout == null || timeout.isZero() ? interval : timeout);
    String name = def.arg();
    var tcp = Commands.devTcp(command);
    if (tcp.isPresent()) {
      String host = tcp.get().host().equals("localhost") ? "127.0.0.1" : tcp.get().host();
      if (IpLiteral.parse(host).isPresent()) {
        String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + tcp.get().port();
        add("script:" + name, new TcpCheck(name, address, to, iv, rise, fall, w), w, use);
        return;
      }
    }
    if (Commands.isSystemctl(command)) {
      comments.put(
          name,
          "keepalived: "
              + command
              + " (kept as a script: it needs the host's systemd, so not from a pod)");
    } else if (Commands.needsShell(command)) {
      warn(def, "script", "uses shell syntax; runs as /bin/sh -c");
    }
    if (user == null) {
      ConfNode scriptUser = defs.global("script_user");
      if (scriptUser != null) {
        user = String.join(":", scriptUser.args());
      } else {
        warn(
            def,
            "script_user",
            "keepalived ran "
                + name
                + " as keepalived_script or root; floatip runs scripts as nobody unless user is"
                + " set");
      }
    }
    add(
        "script:" + name,
        new ScriptCheck(name, Commands.command(command), iv, to, rise, fall, w, user),
        w,
        use);
  }

  /** {@code weight -20 reverse} read like a track list entry {@code x weight -20 reverse}. */
  private static ConfNode withWeightKeyword(ConfNode c) {
    List<String> args = new ArrayList<>();
    args.add("weight");
    args.addAll(c.args());
    return new ConfNode(c.keyword(), args, null, c.at());
  }

  private void process(ConfNode use, ConfNode def) throws ConfSyntaxError {
    String process = null;
    List<String> params = List.of();
    boolean fullCommand = false;
    int quorum = Schema.QUORUM;
    Values.Weight weight = new Values.Weight(0, false);
    for (ConfNode c : def.children()) {
      switch (c.keyword()) {
        case "process" -> {
          process = Values.one(c);
          params = c.args().subList(1, c.args().size());
        }
        case "full_command" -> fullCommand = true;
        case "quorum" -> quorum = Values.integer(c, 1, Integer.MAX_VALUE);
        case "weight" -> weight = Values.weight(withWeightKeyword(c), 0, PROCESS_FILE_WEIGHT);
        case "quorum_max", "param_match", "delay", "fork_delay", "terminate_delay" ->
            warn(c, c.keyword() + " is not supported; not converted");
        default -> warn(c, "unknown keyword in vrrp_track_process, not converted");
      }
    }
    if (process == null) {
      warn(def, "vrrp_track_process", def.arg() + " has no process (keepalived ignores it)");
      return;
    }
    Values.Weight override = weight(use, PROCESS_FILE_WEIGHT, weight.value());
    if (reversed(def, weight) || reversed(use, override)) {
      return;
    }
    int w = override.value();
    ProcessCheck check;
    if (fullCommand || !params.isEmpty()) {
      String line = params.isEmpty() ? process : process + " " + String.join(" ", params);
      warn(
          def,
          "process",
          "matched as the whole command line \""
              + line
              + "\"; keepalived compared the process name and parameters separately");
      check = new ProcessCheck(def.arg(), line, quorum, w);
    } else {
      String comm = process;
      if (comm.length() > COMM) {
        comm = comm.substring(0, COMM);
        warn(def, "process", "the kernel's process name is at most 15 characters: " + comm);
      }
      check = new ProcessCheck(comm, null, quorum, w);
    }
    add("process:" + check.name(), check, w, use);
  }

  private void file(ConfNode use, ConfNode def) throws ConfSyntaxError {
    String path = null;
    Values.Weight weight = new Values.Weight(Schema.FILE_WEIGHT, false);
    for (ConfNode c : def.children()) {
      switch (c.keyword()) {
        case "file" -> path = Values.one(c);
        case "weight" -> weight = Values.weight(withWeightKeyword(c), 0, PROCESS_FILE_WEIGHT);
        case "init_file" -> warn(c, "floatip does not create tracked files; not converted");
        default -> warn(c, "unknown keyword in track_file, not converted");
      }
    }
    if (path == null) {
      warn(def, "track_file", def.arg() + " has no file (keepalived ignores it)");
      return;
    }
    Optional<String> refused = VirtualIPValidator.trackFileProblem(path);
    if (refused.isPresent()) {
      warn(def, "track_file", path + " " + refused.get() + "; not converted");
      return;
    }
    Values.Weight override = weight(use, PROCESS_FILE_WEIGHT, weight.value());
    if (reversed(def, weight) || reversed(use, override)) {
      return;
    }
    int w = override.value();
    add("file:" + path, new FileCheck(path, w), w, use);
  }

  /** The weight of a track list entry, {@code inherited} when it sets none. */
  private static Values.Weight weight(ConfNode e, int limit, Integer inherited)
      throws ConfSyntaxError {
    Values.Weight w = Values.weight(e, 0, limit);
    int value = w.value() != null ? w.value() : inherited == null ? 0 : inherited;
    return new Values.Weight(value, w.reverse());
  }

  /** Whether the weight is reversed, which floatip cannot express: then the tracker is left out. */
  private boolean reversed(ConfNode at, Values.Weight w) {
    if (w.reverse()) {
      warn(at, "reverse", "floatip has no reversed trackers; left out");
    }
    return w.reverse();
  }

  private void add(String key, Object check, int weight, ConfNode at) {
    String kind = "track_" + key.substring(0, key.indexOf(':'));
    if (!keys.add(key)) {
      warn(at, kind, at.keyword() + " is tracked twice; the second is left out");
      return;
    }
    checks.add(new Tracked<>(kind, check, weight, at));
  }

  private void warn(ConfNode n, String message) {
    warn(n, n.keyword(), message);
  }

  private void warn(ConfNode n, String keyword, String message) {
    warnings.add(new ConvertWarning(n.at(), keyword, message));
  }
}
