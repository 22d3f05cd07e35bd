package dev.floatip.operator.model;

import dev.floatip.api.v1alpha1.FileCheck;
import dev.floatip.api.v1alpha1.ScriptCheck;
import dev.floatip.api.v1alpha1.TrackSpec;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.FieldPath;
import dev.floatip.config.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * What a VirtualIP needs from the agent pods that the chart's values do not allow (DESIGN §2 rule
 * 6): the pod template follows the values, never the VirtualIPs, so such a VirtualIP is refused
 * with a violation naming the field and the Helm value to set, and nothing is rolled out.
 */
public final class AllowanceCheck {

  private AllowanceCheck() {}

  public static List<Violation> violations(VirtualIP vip, AgentAllowance allowance) {
    if (vip.getSpec() == null) {
      return List.of();
    }
    TrackSpec track = vip.getSpec().trackOrDefault();
    List<Violation> out = new ArrayList<>();
    if (!track.processList().isEmpty() && !allowance.processTracking()) {
      out.add(
          new Violation(
              "spec.track.processes",
              "process tracking needs hostPID: set the Helm value agent.processTracking=true"));
    }
    if (!allowance.scriptUsers()) {
      List<ScriptCheck> scripts = track.scriptList();
      for (int i = 0; i < scripts.size(); i++) {
        if (scripts.get(i) != null && !isRoot(scripts.get(i).user())) {
          out.add(
              new Violation(
                  FieldPath.index("spec.track.scripts", i) + ".user",
                  "runs as "
                      + (scripts.get(i).user() == null
                          ? "nobody (the default)"
                          : scripts.get(i).user())
                      + ", and switching users needs SETUID and SETGID: set the Helm value"
                      + " agent.scriptUsers=true, or run it as user: root"));
        }
      }
      // notify.user: hooks switch users as script checks do; without a user they stay root
      String hookUser =
          vip.getSpec().notifications() == null ? null : vip.getSpec().notifications().user();
      if (hookUser != null && !isRoot(hookUser)) {
        out.add(
            new Violation(
                "spec.notify.user",
                "runs the hooks as "
                    + hookUser
                    + ", and switching users needs SETUID and SETGID: set the Helm value"
                    + " agent.scriptUsers=true, or leave notify.user out"));
      }
    }
    List<FileCheck> files = track.fileList();
    for (int i = 0; i < files.size(); i++) {
      String path = files.get(i) == null ? null : files.get(i).path();
      if (path != null && allowance.hostPathOf(path).isEmpty()) {
        out.add(
            new Violation(
                FieldPath.index("spec.track.files", i) + ".path",
                "the agents read no host directory holding "
                    + path
                    + ": add its directory to the Helm value "
                    + AgentAllowance.HOST_PATHS_VALUE
                    + (allowance.hostPaths().isEmpty()
                        ? " (empty)"
                        : " (now " + String.join(", ", allowance.hostPaths()) + ")")));
      }
    }
    return out;
  }

  /**
   * Whether a script runs as root: only when its user says so (root or 0, with no group or group
   * root or 0); else the agent, which runs as root, switches to that user or to {@code nobody}.
   */
  static boolean isRoot(String user) {
    if (user == null) {
      return false;
    }
    String[] parts = user.split(":", 2);
    boolean rootUser = parts[0].equals("root") || parts[0].equals("0");
    boolean rootGroup = parts.length == 1 || parts[1].equals("root") || parts[1].equals("0");
    return rootUser && rootGroup;
  }
}
