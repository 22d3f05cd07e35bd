package dev.floatip.agent.cluster;

import dev.floatip.api.v1alpha1.Candidate;
import dev.floatip.api.v1alpha1.ClusterContract;
import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.config.IpLiteral;
import dev.floatip.config.Mode;
import dev.floatip.config.Violation;
import dev.floatip.config.VirtualIPValidator;
import dev.floatip.vrrp.Addresses;
import io.fabric8.kubernetes.api.model.Node;
import java.net.InetAddress;
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
   * Runs {@code vip} here only when the operator lists this node in {@code status.candidates} (it
   * applies the nodeSelector and tolerations, and bounds how many nodes run it).
   *
   * @param self this node (null while unknown: nothing runs)
   */
  static Decision decide(VirtualIP vip, Node self) {
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
    if (status == null || status.candidates() == null) {
      return new Skip(vip, WAITING_FOR_CANDIDATES);
    }
    String me = self.getMetadata().getName();
    List<Candidate> candidates = status.candidates().stream().filter(Objects::nonNull).toList();
    if (candidates.stream().noneMatch(c -> me.equals(c.name()))) {
      return new Skip(vip, "the operator did not choose this node as a candidate");
    }
    List<InetAddress> peers =
        candidates.stream()
            .filter(c -> !me.equals(c.name()))
            .flatMap(c -> addresses(status, c))
            .distinct()
            .sorted(Addresses.ORDER)
            .toList();
    return new Run(vip, peers);
  }

  static final String WAITING_FOR_CANDIDATES = "waiting for the operator to choose candidates";

  /**
   * A peer's addresses: the ones its agent reports advertising from for this VirtualIP, else the
   * Node's InternalIPs the operator wrote into the candidate (before its agent reported, or when it
   * stopped).
   */
  private static Stream<InetAddress> addresses(VirtualIPStatus status, Candidate candidate) {
    NodeStatus reported = status.nodes() == null ? null : status.nodes().get(candidate.name());
    if (reported != null
        && reported.state() != NodeState.Stopped
        && reported.addresses() != null
        && !reported.addresses().isEmpty()) {
      return parse(reported.addresses().stream());
    }
    return parse(candidate.addresses() == null ? Stream.of() : candidate.addresses().stream());
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
