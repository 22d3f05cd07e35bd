package dev.floatip.agent.cluster;

import dev.floatip.agent.RouterStatus;
import dev.floatip.api.v1alpha1.CheckStatus;
import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.config.IpLiteral;
import dev.floatip.tracking.CheckEffect;
import dev.floatip.tracking.Effective;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.Reason;
import dev.floatip.vrrp.State;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** This node's {@code status.nodes} entry for one VirtualIP, from its routers. Pure. */
final class NodeReport {

  /** VRIDs are 1..255 (RFC 5798 §5.2.3): a node can hear no more foreign ones than that. */
  static final int MAX_VRID = 255;

  private NodeReport() {}

  /**
   * A VirtualIP running here. With two address families, one state stands for both: FAULT if either
   * is in FAULT, else MASTER if either is master (it holds addresses), else the IPv4 one's; the
   * reason then names each family's state.
   *
   * @param routers its routers (IPv4, IPv6), empty until the event loop started them
   * @param masterSince when this node last became master, or null
   */
  static NodeStatus running(
      List<RouterStatus> routers,
      Optional<Effective> checks,
      int basePriority,
      long generation,
      Instant masterSince) {
    List<RouterStatus> sorted =
        routers.stream().sorted(Comparator.comparing(r -> r.id().family())).toList();
    if (sorted.isEmpty()) {
      return new NodeStatus(
          NodeState.Initialize,
          basePriority,
          basePriority,
          null,
          time(masterSince),
          "starting",
          checkStatuses(checks),
          generation,
          null,
          null);
    }
    State state = combined(sorted);
    RouterStatus lead =
        sorted.stream().filter(r -> r.state() == state).findFirst().orElse(sorted.getFirst());
    return new NodeStatus(
        nodeState(state),
        lead.priority(),
        // the plan's base priority, not tracking's: it changes with observedGeneration, in one
        // write
        basePriority,
        lead.since().map(NodeReport::time).orElse(null),
        time(masterSince),
        reason(sorted, state, checks),
        checkStatuses(checks),
        generation,
        sorted.stream().map(RouterStatus::source).map(IpLiteral::format).toList(),
        null);
  }

  /** A VirtualIP selecting this node that cannot run here (no interface for it, no password…). */
  static NodeStatus notRun(String reason, long generation, Instant since) {
    return new NodeStatus(
        NodeState.Fault,
        null,
        null,
        time(since),
        null,
        "not run: " + reason,
        null,
        generation,
        null,
        null);
  }

  /** Routers stopped and addresses removed (the VirtualIP is being deleted, or the agent stops). */
  static NodeStatus stopped(long generation, Instant since, String reason) {
    return new NodeStatus(
        NodeState.Stopped, null, null, time(since), null, reason, null, generation, null, null);
  }

  /**
   * The VRIDs to report as foreign: sorted, distinct, 1..255 (so at most 255 of them); null when
   * there are none, so that an entry without foreign VRIDs stays as it was.
   */
  static List<Integer> foreignVrids(Collection<Integer> heard) {
    List<Integer> vrids =
        heard.stream()
            .filter(Objects::nonNull)
            .filter(v -> v >= 1 && v <= MAX_VRID)
            .distinct()
            .sorted()
            .limit(MAX_VRID)
            .toList();
    return vrids.isEmpty() ? null : vrids;
  }

  /** {@code entry} carrying {@code foreignVrids} (from {@link #foreignVrids}). */
  static NodeStatus withForeignVrids(NodeStatus entry, List<Integer> foreignVrids) {
    return new NodeStatus(
        entry.state(),
        entry.priority(),
        entry.basePriority(),
        entry.since(),
        entry.masterSince(),
        entry.reason(),
        entry.checks(),
        entry.observedGeneration(),
        entry.addresses(),
        foreignVrids);
  }

  static State combined(List<RouterStatus> routers) {
    if (routers.stream().anyMatch(r -> r.state() == State.FAULT)) {
      return State.FAULT;
    }
    if (routers.stream().anyMatch(r -> r.state() == State.MASTER)) {
      return State.MASTER;
    }
    return routers.getFirst().state();
  }

  static NodeState nodeState(State s) {
    return switch (s) {
      case INITIALIZE -> NodeState.Initialize;
      case BACKUP -> NodeState.Backup;
      case MASTER -> NodeState.Master;
      case FAULT -> NodeState.Fault;
    };
  }

  private static String reason(
      List<RouterStatus> routers, State state, Optional<Effective> checks) {
    String own =
        routers.stream()
            .filter(r -> r.state() == state)
            .findFirst()
            .map(r -> describe(r, checks))
            .orElse("");
    boolean mixed = routers.stream().map(RouterStatus::state).distinct().count() > 1;
    if (!mixed) {
      return own;
    }
    return routers.stream()
            .map(r -> family(r.id().family()) + " " + nodeState(r.state()))
            .collect(Collectors.joining(", "))
        + (own.isEmpty() ? "" : "; " + own);
  }

  private static String describe(RouterStatus r, Optional<Effective> checks) {
    if (r.state() == State.FAULT && !r.faults().isEmpty()) {
      return r.faults().stream()
          .sorted()
          .map(f -> f.equals("tracking") ? checks.map(Effective::faultCause).orElse(f) : f)
          .collect(Collectors.joining("; "));
    }
    return r.reason().map(NodeReport::words).orElse("");
  }

  /** {@code MASTER_DOWN} → {@code MasterDown}, like Kubernetes condition reasons. */
  static String words(Reason reason) {
    StringBuilder out = new StringBuilder();
    for (String part : reason.name().split("_")) {
      out.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  private static String family(IpFamily f) {
    return f == IpFamily.IPV4 ? "IPv4" : "IPv6";
  }

  private static List<CheckStatus> checkStatuses(Optional<Effective> checks) {
    List<CheckStatus> list =
        checks
            .map(e -> e.effects().stream().map(CheckEffect::toCheckStatus).toList())
            .orElse(List.of());
    return list.isEmpty() ? null : list;
  }

  private static String time(Instant t) {
    return t == null ? null : t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
  }
}
