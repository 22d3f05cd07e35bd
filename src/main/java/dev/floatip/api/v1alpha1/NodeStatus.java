package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * One node's view, written only by that node's agent (one merge patch of its own key).
 *
 * <p>{@code foreignVrids}: the VRIDs the agent hears on its segments from routers that belong to no
 * VirtualIP of the cluster. The operator allocates around the union of a node's entries in all
 * VirtualIPs (the CRD makes it a set, {@code x-kubernetes-list-type: set}).
 */
public record NodeStatus(
    @JsonPropertyDescription("Initialize, Backup, Master, Fault or Stopped.") NodeState state,
    @JsonPropertyDescription("Effective priority: base ± track weights, 1..254.") Integer priority,
    @JsonPropertyDescription("Priority before track weights.") Integer basePriority,
    @JsonPropertyDescription("RFC 3339 time of the last state change.") String since,
    @JsonPropertyDescription("RFC 3339 time this node last became master.") String masterSince,
    @JsonPropertyDescription("Why the state last changed.") String reason,
    @JsonPropertyDescription("Results of the tracked checks.") List<CheckStatus> checks,
    @JsonPropertyDescription("metadata.generation of the spec the agent runs.")
        Long observedGeneration,
    @JsonPropertyDescription("Source addresses the agent advertises from (one per family).")
        List<String> addresses,
    @JsonPropertyDescription(
            "VRIDs this node hears from routers outside the cluster; the operator allocates"
                + " around them.")
        @Size(max = Schema.MAX_VRIDS)
        List<@Min(1) @Max(255) Integer> foreignVrids) {

  /** An entry without foreign VRIDs. */
  public NodeStatus(
      NodeState state,
      Integer priority,
      Integer basePriority,
      String since,
      String masterSince,
      String reason,
      List<CheckStatus> checks,
      Long observedGeneration,
      List<String> addresses) {
    this(
        state,
        priority,
        basePriority,
        since,
        masterSince,
        reason,
        checks,
        observedGeneration,
        addresses,
        null);
  }

  /** The foreign VRIDs, never null. */
  public List<Integer> foreignVridList() {
    return foreignVrids == null ? List.of() : foreignVrids;
  }
}
