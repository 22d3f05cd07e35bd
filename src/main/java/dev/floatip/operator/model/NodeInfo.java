package dev.floatip.operator.model;

import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Node's labels and the VRIDs its agent heard from routers outside the cluster ({@link
 * #foreignVridsByNode} is what the VRID allocation reads, per node). The agents report those in
 * their own status entries ({@code status.nodes.<node>.foreignVrids} of each VirtualIP they run),
 * never on the Node object, so they need no write access to Nodes.
 */
public record NodeInfo(String name, Map<String, String> labels, Set<Integer> foreignVrids) {

  public NodeInfo {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    foreignVrids = foreignVrids == null ? Set.of() : Set.copyOf(foreignVrids);
  }

  /** A Node with the foreign VRIDs its agent reported (see {@link #foreignVridsByNode}). */
  public static NodeInfo of(Node node, Map<String, Set<Integer>> foreignByNode) {
    String name = node.getMetadata().getName();
    return new NodeInfo(name, node.getMetadata().getLabels(), foreignByNode.get(name));
  }

  /**
   * Per node name, the union of the foreign VRIDs in that node's entries of all the VirtualIPs. An
   * agent reports the same set in every VirtualIP it runs; the union also covers a report that
   * reached one VirtualIP's status and not yet another's. Out-of-range numbers (an agent of another
   * version, a hand edit) are ignored.
   */
  public static Map<String, Set<Integer>> foreignVridsByNode(Collection<VirtualIP> vips) {
    Map<String, Set<Integer>> out = new TreeMap<>();
    for (VirtualIP vip : vips) {
      if (vip.getStatus() == null || vip.getStatus().nodes() == null) {
        continue;
      }
      for (Map.Entry<String, NodeStatus> e : vip.getStatus().nodes().entrySet()) {
        if (e.getKey() == null || e.getValue() == null) {
          continue;
        }
        for (Integer v : e.getValue().foreignVridList()) {
          if (v != null && v >= 1 && v <= 255) {
            out.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(v);
          }
        }
      }
    }
    return out;
  }
}
