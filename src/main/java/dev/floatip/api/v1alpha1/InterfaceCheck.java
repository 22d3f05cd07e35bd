package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** An interface whose link must be up (keepalived track_interface). */
public record InterfaceCheck(
    @Required @JsonPropertyDescription("Interface name.") String name,
    @Min(-253)
        @Max(253)
        @JsonPropertyDescription("Weight, -253..253; 0 (default): link down means FAULT.")
        Integer weight) {

  public int weightOrDefault() {
    return weight == null ? 0 : weight;
  }
}
