package dev.floatip.operator;

import java.util.List;
import java.util.Map;

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
 *     value {@code agent.hostPaths})
 */
public record AgentAllowance(
    Map<String, String> nodeSelector,
    boolean processTracking,
    boolean scriptUsers,
    List<String> hostPaths) {

  public AgentAllowance {
    nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    hostPaths = hostPaths == null ? List.of() : List.copyOf(hostPaths);
  }

  /** The chart's defaults: every node, no process tracking, script users allowed, no host paths. */
  public static AgentAllowance defaults() {
    return new AgentAllowance(Map.of(), false, true, List.of());
  }
}
