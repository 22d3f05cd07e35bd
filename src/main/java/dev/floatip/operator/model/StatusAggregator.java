package dev.floatip.operator.model;

import static dev.floatip.api.v1alpha1.ClusterContract.CANDIDATES_LIMITED;
import static dev.floatip.api.v1alpha1.ClusterContract.DEGRADED;
import static dev.floatip.api.v1alpha1.ClusterContract.INVALID_SPEC;
import static dev.floatip.api.v1alpha1.ClusterContract.READY;
import static dev.floatip.api.v1alpha1.ClusterContract.SPLIT_BRAIN;
import static dev.floatip.api.v1alpha1.ClusterContract.VRID_CONFLICT;

import dev.floatip.api.v1alpha1.Candidate;
import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.Phase;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.config.Violation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The operator-owned status fields of one VirtualIP from the agents' reports ({@code
 * status.nodes}), the validation result and the VRID decision. Pure: the time is an input, and the
 * result says when to look again (a pending split-brain deadline) instead of keeping a clock.
 *
 * <p>Phase, in this precedence: Invalid (the spec is refused), Pending (VRID conflict, or no agent
 * reported yet), SplitBrain (two or more nodes have reported Master for longer than one
 * advertisement interval), Active (at least one master), NoMaster.
 *
 * <p>{@code master} is one node or none, never a list: in SplitBrain it is none and the SplitBrain
 * condition names the nodes; while two nodes report Master for less than one advertisement interval
 * (a takeover whose loser has not reported Backup yet) it stays the previous master if that is one
 * of them (no Event for a blip), else it is the one that became master last. {@code addressList} is
 * the spec's addresses as one text for the ADDRESSES printer column.
 *
 * <p>Candidates (the plan's choice) are written as {@code candidates}; with none the VirtualIP is
 * Pending (Ready False, NoCandidates, naming where agents run), and past the limit {@code
 * CandidatesLimited} is True (TooManyNodes, naming how many matched and the Helm value). Entries of
 * {@code goneNodes} (the Node no longer exists) are ignored and removed from {@code status.nodes}.
 *
 * <p>Entries of {@code staleNodes} (the node is gone or NotReady, so its agent cannot update the
 * entry) count as participating but neither ready nor master: a crashed master does not make a
 * split brain with its successor.
 */
public final class StatusAggregator {

  /**
   * Everything the aggregate depends on.
   *
   * @param staleNodes entries of NotReady nodes
   * @param goneNodes entries of Nodes that no longer exist: removed from {@code status.nodes}
   * @param candidates the plan's choice; null when not known (then candidates are not written)
   */
  public record Input(
      VirtualIPStatus previous,
      long generation,
      List<Violation> violations,
      VridAllocator.Decision vrid,
      Duration advertisementInterval,
      Set<String> staleNodes,
      Instant now,
      List<String> addresses,
      Set<String> goneNodes,
      CandidateChoice candidates) {

    /** Without gone nodes and without a candidate choice. */
    public Input(
        VirtualIPStatus previous,
        long generation,
        List<Violation> violations,
        VridAllocator.Decision vrid,
        Duration advertisementInterval,
        Set<String> staleNodes,
        Instant now,
        List<String> addresses) {
      this(
          previous,
          generation,
          violations,
          vrid,
          advertisementInterval,
          staleNodes,
          now,
          addresses,
          Set.of(),
          null);
    }
  }

  /** The operator-owned fields, and when to re-evaluate at the latest (empty: no deadline). */
  public record Result(
      long observedGeneration,
      Integer virtualRouterId,
      String master,
      Phase phase,
      String nodesReady,
      List<Condition> conditions,
      String addressList,
      Optional<Duration> recheckAfter,
      List<Candidate> candidates,
      Set<String> removedNodes) {

    /** Whether writing this would change {@code current}'s operator-owned fields. */
    public boolean differsFrom(VirtualIPStatus current) {
      if (current == null) {
        return true;
      }
      return !Objects.equals(current.observedGeneration(), observedGeneration)
          || !Objects.equals(current.virtualRouterId(), virtualRouterId)
          || !Objects.equals(emptyToNull(current.master()), master)
          || current.phase() != phase
          || !Objects.equals(current.nodesReady(), nodesReady)
          || !Objects.equals(current.conditions(), conditions)
          || !Objects.equals(current.addressList(), addressList)
          || (candidates != null && !Objects.equals(current.candidates(), candidates))
          || !removedNodes.isEmpty();
    }

    public Optional<Condition> condition(String type) {
      return conditions.stream().filter(c -> c.getType().equals(type)).findFirst();
    }
  }

  private StatusAggregator() {}

  public static Result aggregate(Input in) {
    VirtualIPStatus prev = in.previous() == null ? VirtualIPStatus.empty() : in.previous();
    Map<String, NodeStatus> nodes = new TreeMap<>();
    Set<String> gone = in.goneNodes() == null ? Set.of() : in.goneNodes();
    if (prev.nodes() != null) {
      prev.nodes()
          .forEach(
              (name, s) -> {
                if (name != null
                    && s != null
                    && s.state() != NodeState.Stopped
                    && !gone.contains(name)) {
                  nodes.put(name, s);
                }
              });
    }
    Set<String> stale = in.staleNodes() == null ? Set.of() : in.staleNodes();
    List<String> masters =
        nodes.entrySet().stream()
            .filter(e -> e.getValue().state() == NodeState.Master && !stale.contains(e.getKey()))
            .map(Map.Entry::getKey)
            .toList();
    List<String> notReady =
        nodes.entrySet().stream()
            .filter(
                e ->
                    stale.contains(e.getKey())
                        || (e.getValue().state() != NodeState.Master
                            && e.getValue().state() != NodeState.Backup))
            .map(e -> e.getKey() + ": " + describe(e.getValue(), stale.contains(e.getKey())))
            .toList();
    int total = nodes.size();
    int ready = total - notReady.size();

    boolean invalid = !in.violations().isEmpty();
    String conflict = invalid || in.vrid() == null ? null : in.vrid().conflict();
    Optional<Duration> recheck = Optional.empty();
    boolean splitBrain = false;
    String newest = null;
    if (masters.size() >= 2) {
      List<Instant> starts =
          masters.stream().map(m -> masterSince(nodes.get(m), in.now())).sorted().toList();
      newest =
          masters.contains(prev.master())
              ? prev.master()
              : masters.stream()
                  .max(
                      Comparator.comparing((String m) -> masterSince(nodes.get(m), in.now()))
                          .thenComparing(Comparator.reverseOrder()))
                  .orElseThrow();
      Duration overlap = Duration.between(starts.get(1), in.now());
      Duration interval =
          in.advertisementInterval() == null ? Duration.ofSeconds(1) : in.advertisementInterval();
      if (overlap.compareTo(interval) > 0) {
        splitBrain = true;
      } else {
        recheck = Optional.of(interval.minus(overlap).plusMillis(10));
      }
    }

    CandidateChoice choice = in.candidates();
    boolean noCandidates = choice != null && choice.chosen().isEmpty();
    Phase phase;
    if (invalid) {
      phase = Phase.Invalid;
    } else if (conflict != null || noCandidates || total == 0) {
      phase = Phase.Pending;
    } else if (splitBrain) {
      phase = Phase.SplitBrain;
    } else if (!masters.isEmpty()) {
      phase = Phase.Active;
    } else {
      phase = Phase.NoMaster;
    }

    String holders = String.join(", ", masters);
    String master =
        splitBrain || masters.isEmpty() ? null : masters.size() == 1 ? masters.get(0) : newest;
    List<Condition> conds = new ArrayList<>();
    Conditions c = new Conditions(prev.conditions(), in.generation(), in.now());
    conds.add(
        switch (phase) {
          case Active ->
              c.make(
                  READY,
                  true,
                  "Active",
                  masters.size() == 1
                      ? master + " is master"
                      : master + " is master (" + holders + " report Master, for now)");
          case NoMaster ->
              c.make(READY, false, "NoMaster", "no node reports Master (" + total + " nodes)");
          case SplitBrain -> c.make(READY, false, "SplitBrain", holders + " all report Master");
          case Invalid -> c.make(READY, false, "InvalidSpec", "the spec is refused");
          case Pending ->
              conflict != null
                  ? c.make(READY, false, "VRIDConflict", conflict)
                  : noCandidates
                      ? c.make(READY, false, "NoCandidates", noCandidates(choice))
                      : c.make(READY, false, "NoAgents", "no agent has reported yet");
        });
    conds.add(
        notReady.isEmpty()
            ? c.make(DEGRADED, false, "AllNodesReady", ready + "/" + total + " nodes ready")
            : c.make(DEGRADED, true, "NodesNotReady", String.join("; ", notReady)));
    conds.add(
        splitBrain
            ? c.make(
                SPLIT_BRAIN,
                true,
                "MultipleMasters",
                holders + " report Master for longer than one advertisement interval")
            : c.make(SPLIT_BRAIN, false, "SingleMaster", "at most one node reports Master"));
    if (invalid) {
      conds.add(c.make(VRID_CONFLICT, null, "InvalidSpec", "not checked: the spec is refused"));
    } else if (conflict != null) {
      conds.add(c.make(VRID_CONFLICT, true, "VRIDConflict", conflict));
    } else {
      conds.add(
          c.make(
              VRID_CONFLICT,
              false,
              in.vrid() != null && in.vrid().allocated() ? "Allocated" : "Explicit",
              "VRID " + (in.vrid() == null ? "?" : in.vrid().vrid()) + " is free on the segment"));
    }
    conds.add(
        invalid
            ? c.make(
                INVALID_SPEC,
                true,
                "InvalidSpec",
                in.violations().stream().map(Violation::toString).collect(Collectors.joining("; ")))
            : c.make(INVALID_SPEC, false, "Valid", "the spec is valid"));
    if (choice != null) {
      conds.add(
          choice.limited()
              ? c.make(
                  CANDIDATES_LIMITED,
                  true,
                  "TooManyNodes",
                  choice.matched()
                      + " nodes match, more than the limit of "
                      + choice.limit()
                      + " (Helm value maxCandidates): the first "
                      + choice.limit()
                      + " by preference run it; narrow spec.nodeSelector, or list the nodes to"
                      + " prefer in spec.priority.order")
              : c.make(
                  CANDIDATES_LIMITED,
                  false,
                  "WithinLimit",
                  choice.matched()
                      + " nodes match, within the limit of "
                      + choice.limit()
                      + " (Helm value maxCandidates)"));
    }

    Integer vrid =
        invalid || in.vrid() == null || in.vrid().vrid() == null
            ? prev.virtualRouterId()
            : in.vrid().vrid();
    return new Result(
        in.generation(),
        vrid,
        master,
        phase,
        ready + "/" + total,
        List.copyOf(conds),
        VirtualIPStatus.addressText(in.addresses()),
        recheck,
        choice == null ? null : choice.chosen(),
        prev.nodes() == null
            ? Set.of()
            : Set.copyOf(gone.stream().filter(prev.nodes()::containsKey).toList()));
  }

  private static String noCandidates(CandidateChoice choice) {
    String placement = "(Helm values agent.nodeSelector and agent.tolerations)";
    return choice.agentNodes() == 0
        ? "no node can run it: no node runs an agent " + placement
        : "no node can run it: of the "
            + choice.agentNodes()
            + " nodes that run an agent "
            + placement
            + ", none is selected by spec.nodeSelector with its taints tolerated by"
            + " spec.tolerations";
  }

  /**
   * A node in the Degraded message: its state only. The reason stays in the node's own entry: an
   * agent that refines its reason (Fault: link down, then: interface gone) must not cost an
   * operator write each time (issue 13: one operator write per failover).
   */
  private static String describe(NodeStatus s, boolean stale) {
    String state = s.state() == null ? "no state" : s.state().name();
    return stale ? state + " (node gone or NotReady)" : state;
  }

  /**
   * How long to hold back writing a lost master: while the previous master's entry left Master less
   * than one Master_Down_Interval ago (RFC 5798 §6.1: 3 × the advertisement interval + Skew_Time,
   * at most 1 s) plus one second for the successor's report, a backup is about to take over, and
   * one write naming the new master replaces "NoMaster, then Active" (issue 13: one operator write
   * per failover). Empty when there is nothing to hold: a master in the result, none before, or the
   * old one left Master long enough ago.
   */
  public static Optional<Duration> masterLossHold(
      VirtualIPStatus previous, Result result, Duration advertisementInterval, Instant now) {
    String before = previous == null ? null : emptyToNull(previous.master());
    if (before == null
        || result.master() != null
        || result.phase() != Phase.NoMaster
        || advertisementInterval == null
        || previous.nodes() == null
        || previous.nodes().get(before) == null) {
      return Optional.empty();
    }
    NodeStatus old = previous.nodes().get(before);
    if (old.state() == NodeState.Master || old.since() == null) {
      return Optional.empty(); // gone or stale, not resigned: nothing says a successor is coming
    }
    Instant left;
    try {
      left = Instant.parse(old.since());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
    Duration hold = advertisementInterval.multipliedBy(3).plus(Duration.ofSeconds(2));
    Duration remaining = Duration.between(now, left.plus(hold));
    return remaining.isPositive() && remaining.compareTo(hold) <= 0
        ? Optional.of(remaining)
        : Optional.empty();
  }

  /** When the node became master; unknown or unreadable counts as "just now". */
  static Instant masterSince(NodeStatus s, Instant now) {
    for (String text : new String[] {s.masterSince(), s.since()}) {
      if (text != null) {
        try {
          Instant t = Instant.parse(text);
          return t.isAfter(now) ? now : t;
        } catch (DateTimeParseException e) {
          // try the next one
        }
      }
    }
    return now;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** Builds conditions, keeping lastTransitionTime while a condition's status stays the same. */
  private record Conditions(List<Condition> previous, long generation, Instant now) {

    /** status: true, false, or null for Unknown. */
    Condition make(String type, Boolean status, String reason, String message) {
      String text = status == null ? "Unknown" : status ? "True" : "False";
      String since = now.truncatedTo(ChronoUnit.SECONDS).toString();
      if (previous != null) {
        for (Condition p : previous) {
          if (p != null && type.equals(p.getType()) && text.equals(p.getStatus())) {
            since = p.getLastTransitionTime() == null ? since : p.getLastTransitionTime();
          }
        }
      }
      return new ConditionBuilder()
          .withType(type)
          .withStatus(text)
          .withReason(reason)
          .withMessage(message)
          .withObservedGeneration(generation)
          .withLastTransitionTime(since)
          .build();
    }
  }
}
