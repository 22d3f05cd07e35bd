package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * The base priority of each node, before track weights. Precedence: {@code nodes}, then {@code
 * order}, then {@code default}; the order rule is in {@code dev.floatip.config.BasePriority}.
 */
@ValidationRule(
    value = "!has(self.order) || size(self.order) <= 254 - self.default",
    message =
        "every node in order needs a distinct priority above default (the maximum is 254);"
            + " lower default or shorten order",
    fieldPath = ".order")
public record PrioritySpec(
    @JsonProperty("default")
        @Min(1)
        @Max(254)
        @Default(Schema.PRIORITY_TEXT)
        @JsonPropertyDescription("Priority of nodes not named in order or nodes, 1..254.")
        Integer defaultPriority,
    @JsonPropertyDescription(
            "Preference list of node names, first = highest, each at most once. Edit it to move"
                + " the VIP; the listed nodes get distinct priorities above default.")
        @Size(max = Schema.MAX_ORDER)
        List<@Size(min = 1, max = Schema.NAME_MAX_LENGTH) String> order,
    @JsonPropertyDescription("Explicit priorities (1..254) by node name; they win over order.")
        Map<String, @Min(1) @Max(254) Integer> nodes) {

  public int defaultOrDefault() {
    return defaultPriority == null ? Schema.PRIORITY : defaultPriority;
  }

  public List<String> orderList() {
    return order == null ? List.of() : order;
  }

  public Map<String, Integer> nodeMap() {
    return nodes == null ? Map.of() : nodes;
  }
}
