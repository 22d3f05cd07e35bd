package dev.floatip.config;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Whether tolerations admit a node's taints, with the scheduler's matching rules. */
public final class Tolerations {

  /** Cordoning a node adds this taint; the agent answers it with maintenance, not a stop. */
  public static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

  /**
   * Taints Kubernetes itself sets from a node's conditions, which never change where a VirtualIP
   * runs nor who its peers are. The kubelet and the node lifecycle controller add and remove them
   * (k8s.io/api core/v1 well_known_taints.go; pkg/controller/nodelifecycle
   * node_lifecycle_controller.go, doNoScheduleTaintingPass and doNoExecuteTaintingPass) whenever a
   * condition flips: a disk-pressured node that released its addresses would leave no master when
   * two nodes are pressured, and its peers, dropping it from their peer lists, would ignore the
   * adverts of a master that still holds the address. Whether a node can serve is VRRP's and
   * tracking's business, not the scheduler's. The cordon's taint means maintenance (standby), which
   * {@code Placement} answers on its own.
   *
   * <p>{@code node.kubernetes.io/out-of-service} is deliberately not here: an administrator sets it
   * on a node that is shut down (KEP-2268 non-graceful node shutdown), so it is an admin's taint
   * and takes the node out of placement unless tolerated. The node is off, so nothing is lost, and
   * a router that drops it from its peers still hears it until it has been silent for
   * Master_Down_Interval (see {@code VirtualRouter}).
   */
  public static final Set<String> CONDITION_TAINTS =
      Set.of(
          "node.kubernetes.io/not-ready",
          "node.kubernetes.io/unreachable",
          "node.kubernetes.io/memory-pressure",
          "node.kubernetes.io/disk-pressure",
          "node.kubernetes.io/pid-pressure",
          "node.kubernetes.io/network-unavailable",
          UNSCHEDULABLE_TAINT);

  private Tolerations() {}

  /**
   * Whether every NoSchedule/NoExecute taint, except the {@link #CONDITION_TAINTS condition
   * taints}, is tolerated. PreferNoSchedule never keeps a pod off a node, so it never keeps a
   * VirtualIP off one either.
   */
  public static boolean admit(List<Toleration> tolerations, List<Taint> taints) {
    List<Toleration> ts = tolerations == null ? List.of() : tolerations;
    return taints == null
        || taints.stream()
            .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
            .filter(t -> !CONDITION_TAINTS.contains(t.getKey()))
            .allMatch(t -> ts.stream().anyMatch(tol -> tolerates(tol, t)));
  }

  /** Kubernetes' toleration ↔ taint match (an empty key with Exists matches every taint). */
  static boolean tolerates(Toleration tol, Taint taint) {
    if (tol.getEffect() != null
        && !tol.getEffect().isEmpty()
        && !tol.getEffect().equals(taint.getEffect())) {
      return false;
    }
    boolean exists = "Exists".equals(tol.getOperator());
    if (tol.getKey() == null || tol.getKey().isEmpty()) {
      return exists;
    }
    if (!tol.getKey().equals(taint.getKey())) {
      return false;
    }
    return exists || Objects.equals(emptyToNull(tol.getValue()), emptyToNull(taint.getValue()));
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
