package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** Healthy while at least {@code minReady} matching pods on this node are Ready. Cluster only. */
public record PodCheck(
    @Required @JsonPropertyDescription("Namespace of the pods.") String namespace,
    @Required @JsonPropertyDescription("Pods to count.") LabelSelector selector,
    @Min(1)
        @Default(Schema.MIN_READY_TEXT)
        @JsonPropertyDescription("Ready pods needed on this node (default 1).")
        Integer minReady,
    @Min(-253)
        @Max(253)
        @JsonPropertyDescription("Weight, -253..253; 0 (default): failing means FAULT.")
        Integer weight) {

  public int minReadyOrDefault() {
    return minReady == null ? Schema.MIN_READY : minReady;
  }

  public int weightOrDefault() {
    return weight == null ? 0 : weight;
  }
}
