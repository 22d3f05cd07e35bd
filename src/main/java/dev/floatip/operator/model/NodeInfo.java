package dev.floatip.operator.model;

import dev.floatip.api.v1alpha1.ClusterContract;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the allocator needs of a Node: its labels and the VRIDs its agent saw from routers outside
 * the cluster.
 */
public record NodeInfo(String name, Map<String, String> labels, Set<Integer> foreignVrids) {

  public NodeInfo {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    foreignVrids = foreignVrids == null ? Set.of() : Set.copyOf(foreignVrids);
  }

  public static NodeInfo of(Node node) {
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    String foreign =
        annotations == null ? null : annotations.get(ClusterContract.FOREIGN_VRIDS_ANNOTATION);
    return new NodeInfo(
        node.getMetadata().getName(), node.getMetadata().getLabels(), parseVrids(foreign));
  }

  /** "51, 52,x,300" → {51, 52}: garbage and out-of-range entries are ignored. */
  static Set<Integer> parseVrids(String text) {
    Set<Integer> out = new TreeSet<>();
    if (text == null) {
      return out;
    }
    for (String part : text.split(",")) {
      try {
        int v = Integer.parseInt(part.strip());
        if (v >= 1 && v <= 255) {
          out.add(v);
        }
      } catch (NumberFormatException e) {
        // an agent of another version, or a hand edit: not ours to fail on
      }
    }
    return out;
  }
}
