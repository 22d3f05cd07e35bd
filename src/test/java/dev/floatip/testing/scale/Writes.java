package dev.floatip.testing.scale;

import dev.floatip.testing.apiserver.Identity;
import dev.floatip.testing.apiserver.RequestCounter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The test API server's request counts summed the ways the scale benchmark reports them. */
final class Writes {

  static final String LEASES = "leases";

  private Writes() {}

  private static String caller(String user) {
    for (Identity id : Identity.values()) {
      if (id.user().name().equals(user)) {
        return id.name().toLowerCase(java.util.Locale.ROOT);
      }
    }
    return user;
  }

  /**
   * Accepted writes by caller (admin, operator, agent) in a delta, the operator's leader-election
   * Lease renewals (a constant 30 a minute, whatever the cluster's size) left out.
   */
  static Map<String, Long> writesByCallerWithoutLeases(Map<RequestCounter.Key, Long> delta) {
    Map<RequestCounter.Key, Long> kept = new LinkedHashMap<>(delta);
    kept.keySet().removeIf(k -> LEASES.equals(k.resource()));
    return writesByCaller(kept);
  }

  /** Accepted writes by caller (admin, operator, agent) in a delta. */
  static Map<String, Long> writesByCaller(Map<RequestCounter.Key, Long> delta) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Identity id : List.of(Identity.OPERATOR, Identity.AGENT, Identity.ADMIN)) {
      out.put(id.name().toLowerCase(java.util.Locale.ROOT), 0L);
    }
    delta.forEach(
        (k, n) -> {
          if (k.write() && k.accepted()) {
            out.merge(caller(k.user()), n, Long::sum);
          }
        });
    return out;
  }

  /** {@code caller verb resource -> count} of the accepted writes in a delta. */
  static Map<String, Long> writeDetail(Map<RequestCounter.Key, Long> delta) {
    Map<String, Long> out = new java.util.TreeMap<>();
    delta.forEach(
        (k, n) -> {
          if (k.write() && k.accepted()) {
            out.merge(caller(k.user()) + " " + k.verb() + " " + k.resource(), n, Long::sum);
          }
        });
    return out;
  }

  /** {@code caller verb resource -> count} of every request. */
  static Map<String, Long> totals(Map<RequestCounter.Key, Long> all) {
    Map<String, Long> out = new java.util.TreeMap<>();
    all.forEach(
        (k, n) -> out.merge(caller(k.user()) + " " + k.verb() + " " + k.resource(), n, Long::sum));
    return out;
  }

  /** The operator's and agents' writes, the leader election's Lease renewals left out. */
  static long writes(Map<RequestCounter.Key, Long> all) {
    return all.entrySet().stream()
        .filter(e -> e.getKey().write() && !caller(e.getKey().user()).equals("admin"))
        .filter(e -> !LEASES.equals(e.getKey().resource()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}
