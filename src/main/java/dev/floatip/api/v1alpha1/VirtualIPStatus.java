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
 *
 * <p>{@code master} is one node name or absent, never a list: while several nodes report Master the
 * phase is SplitBrain and the SplitBrain condition names them. {@code addressList} is {@code
 * spec.addresses} as one text for the ADDRESSES printer column (kube-apiserver prints a list-valued
 * column as a JSON array).
 */
public record VirtualIPStatus(
    @JsonPropertyDescription("metadata.generation the operator last acted on.")
        Long observedGeneration,
    @JsonPropertyDescription("The VRID in use: spec.virtualRouterId or the allocated one.")
        Integer virtualRouterId,
    @JsonPropertyDescription(
            "The one node holding the addresses; empty when none, and in SplitBrain (the"
                + " SplitBrain condition names the nodes).")
        String master,
    @JsonPropertyDescription("Active, NoMaster, SplitBrain, Invalid or Pending.") Phase phase,
    @JsonPropertyDescription("Nodes in Master or Backup state / participating nodes, e.g. 2/3.")
        String nodesReady,
    @JsonPropertyDescription("One entry per participating node, written by that node's agent.")
        Map<String, NodeStatus> nodes,
    @JsonPropertyDescription(
            "Ready, Degraded, SplitBrain, VRIDConflict, InvalidSpec, CandidatesLimited.")
        List<Condition> conditions,
    @JsonPropertyDescription(
            "spec.addresses of observedGeneration as one text (\"192.0.2.200/24,"
                + " 2001:db8::200/64\"), for the ADDRESSES column.")
        String addressList,
    @JsonPropertyDescription(
            "The nodes whose agents run this VirtualIP (at most the operator's maxCandidates),"
                + " chosen by the operator; most preferred first.")
        List<Candidate> candidates) {

  /** A status without addressList. */
  public VirtualIPStatus(
      Long observedGeneration,
      Integer virtualRouterId,
      String master,
      Phase phase,
      String nodesReady,
      Map<String, NodeStatus> nodes,
      List<Condition> conditions) {
    this(observedGeneration, virtualRouterId, master, phase, nodesReady, nodes, conditions, null);
  }

  /** A status without candidates. */
  public VirtualIPStatus(
      Long observedGeneration,
      Integer virtualRouterId,
      String master,
      Phase phase,
      String nodesReady,
      Map<String, NodeStatus> nodes,
      List<Condition> conditions,
      String addressList) {
    this(
        observedGeneration,
        virtualRouterId,
        master,
        phase,
        nodesReady,
        nodes,
        conditions,
        addressList,
        null);
  }

  /** An empty status, for building merge patches. */
  public static VirtualIPStatus empty() {
    return new VirtualIPStatus(null, null, null, null, null, null, null, null, null);
  }

  /** The text of {@code addressList} for these addresses: {@code "a, b"}. */
  public static String addressText(List<String> addresses) {
    return addresses == null ? "" : String.join(", ", addresses);
  }
}
