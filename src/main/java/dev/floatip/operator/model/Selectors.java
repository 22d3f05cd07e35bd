package dev.floatip.operator.model;

import dev.floatip.config.LabelSelectors;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Label selectors over Nodes: matching ({@link LabelSelectors}), and as node-affinity terms. */
public final class Selectors {

  private Selectors() {}

  /** A null or empty selector selects every node. */
  public static boolean selectsAll(LabelSelector s) {
    return LabelSelectors.selectsAll(s);
  }

  /** Whether the labels satisfy the selector (Kubernetes semantics; unknown operators: no). */
  public static boolean matches(LabelSelector s, Map<String, String> labels) {
    return LabelSelectors.matches(s, labels);
  }

  /**
   * The same selection as one node-affinity term (its requirements are ANDed). matchLabels become
   * {@code In [value]}, in key order; matchExpressions keep their order.
   */
  public static NodeSelectorTerm toTerm(LabelSelector s) {
    List<NodeSelectorRequirement> reqs = new ArrayList<>();
    if (s.getMatchLabels() != null) {
      new TreeMap<>(s.getMatchLabels())
          .forEach((k, v) -> reqs.add(new NodeSelectorRequirement(k, "In", List.of(v))));
    }
    if (s.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : s.getMatchExpressions()) {
        List<String> values =
            r.getValues() == null || r.getValues().isEmpty() ? null : List.copyOf(r.getValues());
        reqs.add(new NodeSelectorRequirement(r.getKey(), r.getOperator(), values));
      }
    }
    NodeSelectorTerm term = new NodeSelectorTerm();
    term.setMatchExpressions(reqs);
    return term;
  }
}
