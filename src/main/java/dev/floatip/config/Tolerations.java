package dev.floatip.config;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;

/** Whether tolerations admit a node's taints, with the scheduler's matching rules. */
public final class Tolerations {

  /** Cordoning a node adds this taint; the agent answers it with maintenance, not a stop. */
  public static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

  private Tolerations() {}

  /**
   * Whether every NoSchedule/NoExecute taint, except the cordon's, is tolerated. PreferNoSchedule
   * never keeps a pod off a node, so it never keeps a VirtualIP off one either.
   */
  public static boolean admit(List<Toleration> tolerations, List<Taint> taints) {
    List<Toleration> ts = tolerations == null ? List.of() : tolerations;
    return taints == null
        || taints.stream()
            .filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
            .filter(t -> !UNSCHEDULABLE_TAINT.equals(t.getKey()))
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
