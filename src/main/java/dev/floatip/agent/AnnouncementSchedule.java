package dev.floatip.agent;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gratuitous ARP / unsolicited NA bursts each master owes, as timer data (no threads). The
 * event loop asks for {@link #due(Instant)} bursts and sleeps until {@link #nextDeadline()}.
 *
 * @param <K> identifies a router
 */
final class AnnouncementSchedule<K> {

  /** One burst: {@code repeat} announcements of each address. */
  record Burst<K>(K router, List<InetAddress> addresses, int repeat) {}

  private static final class Plan {
    final Set<InetAddress> addresses = new LinkedHashSet<>();
    AnnouncePolicy policy;
    Instant second; // the delayed second burst, null once sent
    Instant refresh; // the next refresh burst, null when refresh is off
    Instant extra; // a one-off burst (see extra()), null when none is owed
  }

  private final Map<K, Plan> plans = new HashMap<>();

  /**
   * Starts announcing {@code addresses} for {@code router}: the first burst is returned for
   * immediate sending; the second and the refreshes are scheduled.
   */
  Burst<K> start(K router, List<InetAddress> addresses, AnnouncePolicy policy, Instant now) {
    Plan plan = plans.computeIfAbsent(router, k -> new Plan());
    plan.addresses.addAll(addresses);
    plan.policy = policy;
    plan.second = policy.delay().isZero() ? null : now.plus(policy.delay());
    plan.refresh = policy.refresh().isZero() ? null : now.plus(policy.refresh());
    return new Burst<>(router, List.copyOf(addresses), policy.repeat());
  }

  /**
   * Owes one more burst of {@code addresses} at {@code at}, leaving the rest of the router's plan
   * (second burst, refresh) as it is.
   */
  void extra(K router, List<InetAddress> addresses, AnnouncePolicy policy, Instant at) {
    Plan plan = plans.computeIfAbsent(router, k -> new Plan());
    plan.addresses.addAll(addresses);
    if (plan.policy == null) {
      plan.policy = policy;
    }
    if (plan.extra == null || at.isBefore(plan.extra)) {
      plan.extra = at;
    }
  }

  /** The router stopped being master: nothing more is owed. */
  void stop(K router) {
    plans.remove(router);
  }

  /** Bursts whose time has come; each is rescheduled or retired. */
  List<Burst<K>> due(Instant now) {
    List<Burst<K>> out = new ArrayList<>();
    for (Map.Entry<K, Plan> e : plans.entrySet()) {
      Plan plan = e.getValue();
      boolean fire = false;
      if (plan.second != null && !now.isBefore(plan.second)) {
        plan.second = null;
        fire = true;
      }
      if (plan.refresh != null && !now.isBefore(plan.refresh)) {
        plan.refresh = now.plus(plan.policy.refresh());
        fire = true;
      }
      if (plan.extra != null && !now.isBefore(plan.extra)) {
        plan.extra = null;
        fire = true;
      }
      if (fire) {
        out.add(new Burst<>(e.getKey(), List.copyOf(plan.addresses), plan.policy.repeat()));
      }
    }
    plans.values().removeIf(p -> p.second == null && p.refresh == null && p.extra == null);
    return out;
  }

  Optional<Instant> nextDeadline() {
    return plans.values().stream()
        .flatMap(p -> java.util.stream.Stream.of(p.second, p.refresh, p.extra))
        .filter(java.util.Objects::nonNull)
        .min(Instant::compareTo);
  }
}
