package dev.floatip.operator.model;

import dev.floatip.config.Tolerations;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the operator's plan needs of a Node: its name and labels (selectors), the taints that keep a
 * pod off it (NoSchedule/NoExecute, without the condition taints Kubernetes sets itself: {@link
 * Tolerations#CONDITION_TAINTS}), its InternalIP addresses (a candidate's Unicast address until its
 * agent reports one) and its Ready condition (an entry of a NotReady node is stale).
 */
public record NodeView(
    String name,
    Map<String, String> labels,
    List<Taint> taints,
    List<String> addresses,
    boolean ready) {

  public NodeView {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    taints = taints == null ? List.of() : List.copyOf(taints);
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
  }

  /** The view of a (possibly trimmed) Node. */
  public static NodeView of(Node n) {
    List<Taint> taints = new ArrayList<>();
    if (n.getSpec() != null && n.getSpec().getTaints() != null) {
      for (Taint t : n.getSpec().getTaints()) {
        if (t != null
            && ("NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
            && !Tolerations.CONDITION_TAINTS.contains(t.getKey())) {
          taints.add(t);
        }
      }
    }
    List<String> addresses = new ArrayList<>();
    if (n.getStatus() != null && n.getStatus().getAddresses() != null) {
      for (NodeAddress a : n.getStatus().getAddresses()) {
        if (a != null && "InternalIP".equals(a.getType()) && a.getAddress() != null) {
          addresses.add(a.getAddress());
        }
      }
    }
    return new NodeView(
        n.getMetadata().getName(), n.getMetadata().getLabels(), taints, addresses, ready(n));
  }

  /** The Ready condition; a node without conditions (no kubelet report yet) counts as ready. */
  public static boolean ready(Node n) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) {
      return true;
    }
    for (NodeCondition c : n.getStatus().getConditions()) {
      if (c != null && "Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return true;
  }
}
