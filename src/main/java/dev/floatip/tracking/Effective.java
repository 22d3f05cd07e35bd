package dev.floatip.tracking;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of tracking for one router: the priority to advertise and whether it is in FAULT.
 *
 * @param basePriority the configured priority before weights
 * @param priority base ± the effects of all checks, clamped to 1..254 (computed even in FAULT, for
 *     status)
 * @param fault some check with FAULT semantics fails: stop advertising, remove the addresses
 * @param settled every check has had its first result (or cannot run here); before that, checks
 *     without a result count as neither healthy nor failing
 * @param effects every check's current effect, in spec order (pods, processes, scripts, files,
 *     interfaces, tcp, http)
 */
public record Effective(
    int basePriority, int priority, boolean fault, boolean settled, List<CheckEffect> effects) {

  public Effective {
    effects = List.copyOf(effects);
  }

  /** The checks that hold the router in FAULT, e.g. {@code script dig: exit 1}; empty if none. */
  public String faultCause() {
    return effects.stream()
        .filter(CheckEffect::fault)
        .map(e -> e.kind().label() + " " + e.name() + ": " + e.message())
        .collect(Collectors.joining("; "));
  }

  /** A human-readable table: one line per check, for logs and the CLI. */
  public String describe() {
    StringBuilder out =
        new StringBuilder()
            .append("priority ")
            .append(priority)
            .append(" (base ")
            .append(basePriority)
            .append(")")
            .append(fault ? " FAULT" : "")
            .append(settled ? "" : " (waiting for first results)")
            .append('\n');
    for (CheckEffect e : effects) {
      String health = e.healthy() == null ? "unknown" : e.healthy() ? "healthy" : "failing";
      out.append(
          "  %-9s %-30s %-8s %6s  %s%n"
              .formatted(e.kind().label(), e.name(), health, e.effectText(), e.message()));
    }
    return out.toString();
  }
}
