package dev.floatip.config;

import dev.floatip.api.v1alpha1.PrioritySpec;
import java.util.List;

/**
 * A node's base priority (before track weights) from {@code spec.priority}, in this precedence:
 *
 * <ol>
 *   <li>{@code nodes[node]}, if set;
 *   <li>if {@code order} names the node: {@code default + step × (n − i)}, where {@code n} is the
 *       number of distinct names in {@code order}, {@code i} the node's 0-based position (first
 *       occurrence) and {@code step = min(10, (254 − default) / n)}. So the first node is highest,
 *       every listed node is distinct and above every unlisted node, and the gap is 10 while it
 *       fits (with default 100, up to 15 nodes), so a track weight below 10 never reorders the
 *       list. The validator refuses an order that does not fit ({@code n > 254 − default});
 *   <li>{@code default} (100).
 * </ol>
 *
 * <p>Example, default 100, order [a, b, c]: a = 130, b = 120, c = 110, everyone else 100.
 */
public final class BasePriority {

  /** The highest priority a non-owner may use (RFC 5798 §5.2.4; 255 = address owner). */
  public static final int MAX = 254;

  static final int ORDER_STEP = 10;

  private BasePriority() {}

  /**
   * @throws IllegalArgumentException if the spec is invalid (the validator reports it first)
   */
  public static int of(PrioritySpec priority, String node) {
    PrioritySpec p = priority == null ? new PrioritySpec(null, null, null) : priority;
    Integer explicit = p.nodeMap().get(node);
    if (explicit != null) {
      return checked(explicit, "priority.nodes");
    }
    int dflt = checked(p.defaultOrDefault(), "priority.default");
    List<String> order = p.orderList().stream().distinct().toList();
    int index = order.indexOf(node);
    if (index < 0) {
      return dflt;
    }
    int n = order.size();
    int step = Math.min(ORDER_STEP, (MAX - dflt) / n);
    if (step < 1) {
      throw new IllegalArgumentException(
          "priority.order has " + n + " nodes but only " + (MAX - dflt) + " priorities are free");
    }
    return dflt + step * (n - index);
  }

  private static int checked(int priority, String field) {
    if (priority < 1 || priority > MAX) {
      throw new IllegalArgumentException(field + " must be 1..254, was " + priority);
    }
    return priority;
  }
}
