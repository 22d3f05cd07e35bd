package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Healthy while at least {@code quorum} matching processes run (keepalived track_process). */
public record ProcessCheck(
    @Required
        @JsonPropertyDescription(
            "Process name, matched exactly against the kernel's comm name (at most 15"
                + " characters). With commandLine set, only the check's name.")
        String name,
    @JsonPropertyDescription(
            "Match the full command line (arguments joined by single spaces) exactly instead of"
                + " the comm name (keepalived full_command).")
        String commandLine,
    @Min(1)
        @Default(Schema.QUORUM_TEXT)
        @JsonPropertyDescription("Matching processes needed (default 1).")
        Integer quorum,
    @Min(-254)
        @Max(254)
        @JsonPropertyDescription("Weight, -254..254; 0 (default): failing means FAULT.")
        Integer weight) {

  public int quorumOrDefault() {
    return quorum == null ? Schema.QUORUM : quorum;
  }

  public int weightOrDefault() {
    return weight == null ? 0 : weight;
  }
}
