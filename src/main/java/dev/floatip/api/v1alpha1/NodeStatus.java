package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One node's view, written only by that node's agent (one merge patch of its own key). */
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
            "VRIDs this node hears on its segments that belong to no VirtualIP, sorted.")
        List<Integer> foreignVrids) {}
