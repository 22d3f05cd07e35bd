package dev.floatip.tracking;

import java.util.ArrayList;
import java.util.List;

/**
 * The effective priority from the base priority and the checks, with keepalived's weight semantics
 * (DESIGN §5, anchors §1.7). Pure: no clock, no I/O.
 *
 * <ul>
 *   <li>weight 0: a failing check means FAULT;
 *   <li>weight w &gt; 0: +w while healthy, nothing while failing;
 *   <li>weight w &lt; 0: −|w| while failing, nothing while healthy;
 *   <li>files: weight 0 → a non-zero value means FAULT; otherwise value × weight is added, and a
 *       product below −253 means FAULT (a product above 253 adds 253); a missing or unparsable file
 *       is failing and counts like any failing check of that weight (weight 0 → FAULT, w &lt; 0 →
 *       −|w|, w &gt; 0 → nothing);
 *   <li>a check without a result yet ({@link CheckState.Health#UNKNOWN}) adds nothing and never
 *       means FAULT: the router runs at its base priority until checks have spoken, never above it;
 *       an unsupported check (pods outside Kubernetes) is shown but never counts;
 *   <li>the sum is clamped to 1..254 (255 is for address owners, which we never are).
 * </ul>
 */
public final class PriorityCalculator {

  public static final int MIN_PRIORITY = 1;
  public static final int MAX_PRIORITY = 254;

  /** A file product above this is capped to it; below its negation means FAULT. */
  public static final int MAX_FILE_EFFECT = 253;

  private PriorityCalculator() {}

  public static Effective compute(int basePriority, List<CheckState> checks) {
    List<CheckEffect> effects = new ArrayList<>(checks.size());
    long sum = basePriority;
    boolean fault = false;
    boolean settled = true;
    for (CheckState check : checks) {
      CheckEffect effect = effect(check);
      effects.add(effect);
      sum += effect.delta();
      fault |= effect.fault();
      settled &= check.health() != CheckState.Health.UNKNOWN;
    }
    int priority = (int) Math.clamp(sum, MIN_PRIORITY, MAX_PRIORITY);
    return new Effective(basePriority, priority, fault, settled, effects);
  }

  /** The effect of one check on its own. */
  public static CheckEffect effect(CheckState c) {
    int w = c.weight();
    return switch (c.health()) {
      case UNKNOWN, UNSUPPORTED -> of(c, null, 0, false);
      case HEALTHY -> of(c, true, Math.max(w, 0), false);
      case FAILING -> w == 0 ? of(c, false, 0, true) : of(c, false, Math.min(w, 0), false);
      case VALUE -> fileValue(c);
    };
  }

  private static CheckEffect fileValue(CheckState c) {
    long value = c.value();
    int w = c.weight();
    if (w == 0) {
      return value == 0 ? of(c, true, 0, false) : of(c, false, 0, true);
    }
    long product = saturatedProduct(value, w);
    if (product < -MAX_FILE_EFFECT) {
      return of(c, false, 0, true);
    }
    return of(c, true, (int) Math.min(product, MAX_FILE_EFFECT), false);
  }

  private static long saturatedProduct(long a, int b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
      return low;
    }
    return high < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
  }

  private static CheckEffect of(CheckState c, Boolean healthy, int delta, boolean fault) {
    return new CheckEffect(c.kind(), c.name(), healthy, delta, fault, c.message());
  }
}
