package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * A node whose agent runs the VirtualIP, chosen by the operator (DESIGN §2 rule 7: per-node status
 * only for a VIP's candidate nodes). Agents run a VirtualIP only where they are listed; a Unicast
 * router's peers are the other candidates, at the addresses their agents report in {@code
 * status.nodes}, else at these.
 */
public record Candidate(
    @Required @JsonPropertyDescription("The Node's name.") String name,
    @JsonPropertyDescription(
            "The Node's InternalIP addresses: Unicast peers until its agent reports its own.")
        List<String> addresses) {}
