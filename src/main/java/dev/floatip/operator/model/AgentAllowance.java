package dev.floatip.operator.model;

import dev.floatip.config.VirtualIPValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the agents run and what they may do: the chart's values, never the VirtualIPs (DESIGN §2
 * rule 6), so that adding or deleting a VirtualIP never changes the agents' pod template.
 *
 * @param nodeSelector node labels the agent pods require (chart value {@code agent.nodeSelector});
 *     empty: every node the tolerations admit
 * @param processTracking hostPID for {@code track.processes} (chart value {@code
 *     agent.processTracking})
 * @param scriptUsers SETUID/SETGID for scripts run as another user (chart value {@code
 *     agent.scriptUsers})
 * @param hostPaths host directories, read-only, under which {@code track.files} may lie (chart
 *     value {@code agent.hostPaths}): absolute, normalized, neither {@code /} nor a system path
 *     (the ones {@code track.files} may not name, e.g. {@code /etc} but not {@code
 *     /etc/keepalived}), none inside another; sorted
 */
public record AgentAllowance(
    Map<String, String> nodeSelector,
    boolean processTracking,
    boolean scriptUsers,
    List<String> hostPaths) {

  /** The Helm values, for messages. */
  public static final String NODE_SELECTOR_VALUE = "agent.nodeSelector";

  public static final String HOST_PATHS_VALUE = "agent.hostPaths";

  // k8s.io/apimachinery/pkg/util/validation: qualified names and label values
  private static final Pattern NAME =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
  private static final Pattern PREFIX =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  public AgentAllowance {
    nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    nodeSelector.forEach(AgentAllowance::checkLabel);
    if (hostPaths != null && hostPaths.stream().anyMatch(p -> p == null)) {
      throw new IllegalArgumentException(HOST_PATHS_VALUE + ": an entry is null");
    }
    hostPaths = hostPaths == null ? List.of() : hostPaths.stream().sorted().toList();
    checkHostPaths(hostPaths);
  }

  /** The chart's defaults: every node, no process tracking, script users allowed, no host paths. */
  public static AgentAllowance defaults() {
    return new AgentAllowance(Map.of(), false, true, List.of());
  }

  /** The allowed host directory {@code file} lies in, if any ({@code file} absolute). */
  public Optional<String> hostPathOf(String file) {
    if (file == null || List.of(file.split("/")).contains("..")) {
      return Optional.empty();
    }
    return hostPaths.stream().filter(p -> file.startsWith(p + "/")).findFirst();
  }

  private static void checkLabel(String key, String value) {
    String[] parts = key.split("/", -1);
    String name = parts[parts.length - 1];
    boolean keyOk =
        parts.length <= 2
            && NAME.matcher(name).matches()
            && (parts.length == 1
                || (parts[0].length() <= 253 && PREFIX.matcher(parts[0]).matches()));
    if (!keyOk) {
      throw new IllegalArgumentException(
          NODE_SELECTOR_VALUE + ": \"" + key + "\" is not a valid label key");
    }
    if (!value.isEmpty() && !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          NODE_SELECTOR_VALUE + "." + key + ": \"" + value + "\" is not a valid label value");
    }
  }

  /**
   * Each allowed directory becomes one hostPath volume mounted under the agent's host root: two
   * equal paths would give a duplicate mountPath, which kube-apiserver refuses
   * (pkg/apis/core/validation/validation.go, validateVolumeMounts); a path inside another would be
   * mounted twice.
   */
  private static void checkHostPaths(List<String> paths) {
    List<String> seen = new ArrayList<>();
    for (String p : paths) {
      String field = HOST_PATHS_VALUE + ": \"" + p + "\" ";
      if (!p.startsWith("/")) {
        throw new IllegalArgumentException(field + "must be an absolute path");
      }
      if (p.equals("/")) {
        throw new IllegalArgumentException(
            field
                + "would give the agents the host's whole file system; name the directories"
                + " the track.files lie in, e.g. /run/keepalived");
      }
      if (p.endsWith("/")
          || p.contains("//")
          || List.of(p.split("/")).contains(".")
          || List.of(p.split("/")).contains("..")
          || p.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new IllegalArgumentException(
            field + "must be a normalized path (no trailing /, //, . or .. segments)");
      }
      Optional<String> system = VirtualIPValidator.trackFileProblem(p + "/x");
      if (system.isPresent()) {
        throw new IllegalArgumentException(
            field + system.get().replace("must not be under", "must not be or lie under"));
      }
      for (String other : seen) {
        if (other.equals(p)) {
          throw new IllegalArgumentException(field + "is listed twice");
        }
        if (p.startsWith(other + "/")) {
          throw new IllegalArgumentException(field + "lies inside " + other + ", listed too");
        }
      }
      seen.add(p);
    }
  }
}
