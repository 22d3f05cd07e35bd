package dev.floatip.operator;

import dev.floatip.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;

/**
 * What the operator's informers keep of each object (JOSDK's {@code TransformingItemStore}): a
 * typical cloud Node is ~20 KB of JSON, mostly images, managedFields and conditions the operator
 * never reads, times every node of the cluster.
 */
final class InformerTrims {

  private InformerTrims() {}

  /**
   * A new Node with only what the plan reads: name, labels, spec.taints, spec.unschedulable, the
   * InternalIP addresses and the Ready condition's status (plus what the informer needs:
   * resourceVersion, uid).
   */
  static Node node(Node n) {
    ObjectMeta m = n.getMetadata();
    NodeSpec spec = n.getSpec();
    NodeStatus status = n.getStatus();
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName(m.getName())
            .withUid(m.getUid())
            .withResourceVersion(m.getResourceVersion())
            .withLabels(m.getLabels())
            .endMetadata();
    if (spec != null) {
      b.withNewSpec()
          .withTaints(spec.getTaints())
          .withUnschedulable(spec.getUnschedulable())
          .endSpec();
    }
    if (status != null) {
      List<NodeCondition> ready =
          status.getConditions() == null
              ? null
              : status.getConditions().stream()
                  .filter(c -> c != null && "Ready".equals(c.getType()))
                  .map(
                      c ->
                          new NodeConditionBuilder()
                              .withType(c.getType())
                              .withStatus(c.getStatus())
                              .build())
                  .toList();
      b.withNewStatus()
          .withAddresses(
              status.getAddresses() == null
                  ? null
                  : status.getAddresses().stream()
                      .filter(a -> a != null && "InternalIP".equals(a.getType()))
                      .toList())
          .withConditions(ready)
          .endStatus();
    }
    return b.build();
  }

  /** The VirtualIP without managedFields (the rest is read: spec, status.nodes, the VRID). */
  static VirtualIP virtualIP(VirtualIP v) {
    if (v.getMetadata() != null) {
      v.getMetadata().setManagedFields(null);
    }
    return v;
  }
}
