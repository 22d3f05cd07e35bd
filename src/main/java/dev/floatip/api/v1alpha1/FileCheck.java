package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * A file holding an integer (keepalived track_file). Weight 0: a non-zero value means FAULT;
 * otherwise value × weight is added, and below −253 means FAULT.
 */
public record FileCheck(
    @Required @JsonPropertyDescription("Absolute path of the file.") String path,
    @Min(-254)
        @Max(254)
        @Default(Schema.FILE_WEIGHT_TEXT)
        @JsonPropertyDescription("Weight, -254..254 (default 1, as keepalived).")
        Integer weight) {

  public int weightOrDefault() {
    return weight == null ? Schema.FILE_WEIGHT : weight;
  }
}
