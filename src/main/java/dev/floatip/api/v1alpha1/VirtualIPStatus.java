package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;

/**
 * Observed state. Two kinds of writers (DESIGN §4, research/status-writes.md): each agent owns
 * {@code nodes.<its node>} and merge-patches only that key; the operator owns the other fields.
 * Every field is boxed and nothing is initialised, so a partial object serialises to a partial
 * merge patch. Readers treat a {@code null} map value as absent.
 */
public record VirtualIPStatus(
    @JsonPropertyDescription("metadata.generation the operator last acted on.")
        Long observedGeneration,
    @JsonPropertyDescription("The VRID in use: spec.virtualRouterId or the allocated one.")
        Integer virtualRouterId,
    @JsonPropertyDescription("Node holding the addresses; empty when none.") String master,
    @JsonPropertyDescription("Active, NoMaster, SplitBrain, Invalid or Pending.") Phase phase,
    @JsonPropertyDescription("Nodes in Master or Backup state / participating nodes, e.g. 2/3.")
        String nodesReady,
    @JsonPropertyDescription("One entry per participating node, written by that node's agent.")
        Map<String, NodeStatus> nodes,
    @JsonPropertyDescription("Ready, Degraded, SplitBrain, VRIDConflict, InvalidSpec.")
        List<Condition> conditions) {

  /** An empty status, for building merge patches. */
  public static VirtualIPStatus empty() {
    return new VirtualIPStatus(null, null, null, null, null, null, null);
  }
}
