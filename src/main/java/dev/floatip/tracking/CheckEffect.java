package dev.floatip.tracking;

import dev.floatip.api.v1alpha1.CheckStatus;

/**
 * What one check does to the router now.
 *
 * @param kind the check's kind
 * @param name the check's name
 * @param healthy {@code null} while the check has no result yet or is unsupported; for a file: read
 *     and not FAULT
 * @param delta what the check adds to the base priority now ({@code +w}, {@code −|w|}, {@code value
 *     × weight} capped at 253, or 0); 0 when {@code fault}
 * @param fault whether this check puts the router in FAULT
 * @param message detail of the last result
 */
public record CheckEffect(
    CheckKind kind, String name, Boolean healthy, int delta, boolean fault, String message) {

  /** The effect as a compact text: {@code +10}, {@code -20}, {@code 0} or {@code FAULT}. */
  public String effectText() {
    if (fault) {
      return "FAULT";
    }
    return delta > 0 ? "+" + delta : Integer.toString(delta);
  }

  /** The status entry ({@code status.nodes[].checks[]}); {@code effect} is absent for FAULT. */
  public CheckStatus toCheckStatus() {
    return new CheckStatus(kind.label(), name, healthy, fault ? null : delta, message);
  }
}
