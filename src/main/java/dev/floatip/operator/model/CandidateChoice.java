package dev.floatip.operator.model;

import dev.floatip.api.v1alpha1.Candidate;
import java.util.List;

/**
 * The nodes chosen to run one VirtualIP, most preferred first.
 *
 * @param chosen at most {@code limit} of the matching nodes
 * @param matched how many nodes run an agent and are selected by the VirtualIP
 * @param limit the operator's {@code maxCandidates}
 * @param agentNodes when none is chosen, how many nodes run an agent at all (for the message); 0
 *     otherwise
 */
public record CandidateChoice(List<Candidate> chosen, int matched, int limit, int agentNodes) {

  public CandidateChoice {
    chosen = List.copyOf(chosen);
  }

  /** More nodes matched than may run it. */
  public boolean limited() {
    return matched > chosen.size();
  }

  /** The chosen nodes' names. */
  public List<String> names() {
    return chosen.stream().map(Candidate::name).toList();
  }
}
