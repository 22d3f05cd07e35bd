package dev.floatip.config;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kubernetes label-selector matching, shared by the operator (nodes) and the agent (pods): {@code
 * matchLabels} and {@code matchExpressions} with In, NotIn, Exists, DoesNotExist, all ANDed.
 */
public final class LabelSelectors {

  private LabelSelectors() {}

  /** A null or empty selector selects everything. */
  public static boolean selectsAll(LabelSelector s) {
    return s == null
        || ((s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
            && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty()));
  }

  /** Whether the labels satisfy the selector (Kubernetes semantics; unknown operators: no). */
  public static boolean matches(LabelSelector s, Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (selectsAll(s)) {
      return true;
    }
    if (s.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : s.getMatchLabels().entrySet()) {
        if (!l.containsKey(e.getKey()) || !l.get(e.getKey()).equals(e.getValue())) {
          return false;
        }
      }
    }
    if (s.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : s.getMatchExpressions()) {
        if (!matches(r, l)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> l) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    String op = r.getOperator() == null ? "" : r.getOperator();
    return switch (op) {
      case "In" -> l.containsKey(r.getKey()) && values.contains(l.get(r.getKey()));
      case "NotIn" -> !l.containsKey(r.getKey()) || !values.contains(l.get(r.getKey()));
      case "Exists" -> l.containsKey(r.getKey());
      case "DoesNotExist" -> !l.containsKey(r.getKey());
      default -> false;
    };
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
