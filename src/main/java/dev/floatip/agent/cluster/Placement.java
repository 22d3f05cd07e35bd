package dev.floatip.agent.cluster;

import dev.floatip.api.v1alpha1.ClusterContract;
import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.config.IpLiteral;
import dev.floatip.config.LabelSelectors;
import dev.floatip.config.Mode;
import dev.floatip.config.Tolerations;
import dev.floatip.config.Violation;
import dev.floatip.config.VirtualIPValidator;
import dev.floatip.vrrp.Addresses;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What this node does with each VirtualIP, from the objects the API holds. Pure: the agent feeds it
 * its informers' caches.
 */
final class Placement {

  /** The decision for one VirtualIP. */
  sealed interface Decision permits Run, Release, Skip {
    VirtualIP vip();

    default String name() {
      return vip().getMetadata().getName();
    }
  }

  /**
   * Run it here.
   *
   * @param peers the other selected nodes' addresses (both families), for Unicast discovery
   */
  record Run(VirtualIP vip, List<InetAddress> peers) implements Decision {}

  /** It is being deleted: stop, remove the addresses, report Stopped (releases the finalizer). */
  record Release(VirtualIP vip) implements Decision {}

  /** Not for this node now; {@code reason} is for logs. */
  record Skip(VirtualIP vip, String reason) implements Decision {}

  private Placement() {}

  /** Cordoned, or labelled {@value ClusterContract#MAINTENANCE_LABEL}{@code =true}. */
  static boolean maintenance(Node node) {
    return node != null
        && (Boolean.TRUE.equals(node.getSpec() == null ? null : node.getSpec().getUnschedulable())
            || "true".equals(labels(node).get(ClusterContract.MAINTENANCE_LABEL)));
  }

  /**
   * @param self this node (null while unknown: nothing runs)
   * @param nodes every Node, this one included
   */
  static Decision decide(VirtualIP vip, Node self, Collection<Node> nodes) {
    if (vip.getMetadata().getDeletionTimestamp() != null) {
      return new Release(vip);
    }
    if (vip.getSpec() == null) {
      return new Skip(vip, "no spec");
    }
    List<Violation> violations = VirtualIPValidator.validate(vip, Mode.CLUSTER);
    if (!violations.isEmpty()) {
      return new Skip(vip, "invalid spec: " + violations.getFirst());
    }
    if (self == null) {
      return new Skip(vip, "this node's Node object is not known yet");
    }
    if (!selected(vip, self)) {
      return new Skip(vip, "its nodeSelector or tolerations do not admit this node");
    }
    VirtualIPStatus status = vip.getStatus();
    for (String blocking : List.of(ClusterContract.INVALID_SPEC, ClusterContract.VRID_CONFLICT)) {
      if (conditionTrue(status, blocking)) {
        return new Skip(vip, blocking + " is True");
      }
    }
    if (vip.getSpec().virtualRouterId() == null
        && (status == null || status.virtualRouterId() == null)) {
      return new Skip(vip, "waiting for the operator to allocate a virtualRouterId");
    }
    String me = self.getMetadata().getName();
    List<InetAddress> peers =
        nodes.stream()
            .filter(n -> !me.equals(n.getMetadata().getName()))
            .filter(n -> selected(vip, n))
            .flatMap(n -> addresses(vip, n))
            .distinct()
            .sorted(Addresses.ORDER)
            .toList();
    return new Run(vip, peers);
  }

  static boolean selected(VirtualIP vip, Node node) {
    return LabelSelectors.matches(vip.getSpec().nodeSelector(), labels(node))
        && Tolerations.admit(
            vip.getSpec().tolerations(),
            node.getSpec() == null ? null : node.getSpec().getTaints());
  }

  /**
   * A peer's addresses: the ones its agent reports advertising from for this VirtualIP, else the
   * Node's InternalIPs (before its agent reported, or when it is gone).
   */
  private static Stream<InetAddress> addresses(VirtualIP vip, Node node) {
    NodeStatus reported =
        Optional.ofNullable(vip.getStatus())
            .map(VirtualIPStatus::nodes)
            .map(m -> m.get(node.getMetadata().getName()))
            .orElse(null);
    if (reported != null
        && reported.state() != NodeState.Stopped
        && reported.addresses() != null
        && !reported.addresses().isEmpty()) {
      return parse(reported.addresses().stream());
    }
    List<NodeAddress> nodeAddresses =
        node.getStatus() == null || node.getStatus().getAddresses() == null
            ? List.of()
            : node.getStatus().getAddresses();
    return parse(
        nodeAddresses.stream()
            .filter(a -> "InternalIP".equals(a.getType()))
            .map(NodeAddress::getAddress));
  }

  private static Stream<InetAddress> parse(Stream<String> literals) {
    return literals.filter(Objects::nonNull).map(IpLiteral::parse).flatMap(Optional::stream);
  }

  private static boolean conditionTrue(VirtualIPStatus status, String type) {
    return status != null
        && status.conditions() != null
        && status.conditions().stream()
            .filter(Objects::nonNull)
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Map<String, String> labels(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }
}
