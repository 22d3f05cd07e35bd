package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** How adverts travel between the nodes. */
@ValidationRule(
    value = "self.mode != 'Multicast' || !has(self.peers) || size(self.peers) == 0",
    message = "only used with mode Unicast",
    fieldPath = ".peers",
    reason = "FieldValueForbidden")
public record TransportSpec(
    @Default("Unicast")
        @JsonPropertyDescription(
            "Unicast (default): adverts go to the peers; Multicast: to 224.0.0.18 / ff02::12.")
        TransportMode mode,
    @JsonPropertyDescription(
            "Unicast peers as IP literals. Absent: the InternalIPs of the other selected nodes,"
                + " kept up to date. Set it for peers outside the cluster (e.g. keepalived).")
        List<@Pattern(Schema.IP) @Size(max = Schema.IP_MAX_LENGTH) String> peers) {

  public TransportMode modeOrDefault() {
    return mode == null ? TransportMode.Unicast : mode;
  }

  public List<String> peerList() {
    return peers == null ? List.of() : peers;
  }
}
