package dev.floatip.agent;

import dev.floatip.vrrp.Action;
import dev.floatip.vrrp.DropReason;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.State;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics of the agent. Events (transitions, announcements, failovers) are counted as
 * they happen; per-router gauges and protocol counters read the latest {@link RouterStatus}
 * snapshot, which {@link #update(List)} replaces (the agent calls it about once a second).
 *
 * <p>{@code floatip_vrrp_dropped_total} has two sources: the drops of each router ({@code vip} set,
 * from its snapshot) and the packets dropped before any router took them ({@code vip=""}, counted
 * as they happen: undecodable, a VRID nobody here runs, the receive queue full). Together they
 * count every received packet that was not used.
 */
public final class AgentMetrics implements EventLoop.Listener {

  private final MeterRegistry registry;
  private final Map<String, StatusView> latest = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> perRouter = new ConcurrentHashMap<>();
  private final Map<String, StatusView.CheckView> latestChecks = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> perCheck = new ConcurrentHashMap<>();
  private final AtomicInteger standby = new AtomicInteger();
  private final Map<IpFamily, Map<DropReason, Counter>> unrouted = new EnumMap<>(IpFamily.class);

  public AgentMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("floatip_node_standby", standby, AtomicInteger::get)
        .description("1 while the node is in maintenance: every router held in Backup")
        .register(registry);
    // registered up front: a junk packet of a new kind shows as 0 -> 1, not as a new series
    for (IpFamily family : IpFamily.values()) {
      Map<DropReason, Counter> byReason = new EnumMap<>(DropReason.class);
      for (DropReason reason : DropReason.values()) {
        byReason.put(
            reason,
            Counter.builder("floatip_vrrp_dropped")
                .description("Received packets not used, by reason")
                .tags(
                    "vip",
                    "",
                    "family",
                    family.name().toLowerCase(Locale.ROOT),
                    "reason",
                    reason.name())
                .register(registry));
      }
      unrouted.put(family, byReason);
    }
  }

  @Override
  public void dropped(IpFamily family, DropReason reason) {
    unrouted.get(family).get(reason).increment();
  }

  /** Same words as {@link StatusView#family()}. */
  private static Tags tags(RouterId id) {
    return Tags.of("vip", id.vip(), "family", id.family().name().toLowerCase(Locale.ROOT));
  }

  private static String key(String vip, String family) {
    return vip + "/" + family;
  }

  @Override
  public void stateChanged(RouterSpec spec, Action.StateChanged change) {
    Counter.builder("floatip_vrrp_transitions")
        .description("State transitions by from, to and reason")
        .tags(tags(spec.id()))
        .tags(
            "from",
            change.from().name(),
            "to",
            change.to().name(),
            "reason",
            change.reason().name())
        .register(registry)
        .increment();
  }

  @Override
  public void failedOver(RouterSpec spec, Duration duration) {
    Timer.builder("floatip_vrrp_failover")
        .description("From the old master's last advert to our first announcement as new master")
        .tags(tags(spec.id()))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofSeconds(15))
        .register(registry)
        .record(duration);
  }

  @Override
  public void announced(RouterSpec spec, int packets) {
    Counter.builder("floatip_vrrp_announcements")
        .description("Gratuitous ARPs and unsolicited neighbour advertisements sent")
        .tags(tags(spec.id()))
        .register(registry)
        .increment(packets);
  }

  @Override
  public void standbyChanged(boolean on) {
    standby.set(on ? 1 : 0);
  }

  /** Replaces the snapshot; registers meters for new routers and checks, removes gone ones. */
  public void update(List<StatusView> views) {
    Map<String, StatusView> routers = new ConcurrentHashMap<>();
    Map<String, StatusView.CheckView> checks = new ConcurrentHashMap<>();
    for (StatusView v : views) {
      routers.put(key(v.vip(), v.family()), v);
      v.checks().forEach(c -> checks.put(v.vip() + "/" + c.kind() + "/" + c.name(), c));
    }
    replace(latest, perRouter, routers);
    replace(latestChecks, perCheck, checks);
    routers.forEach((k, v) -> perRouter.computeIfAbsent(k, x -> registerRouter(k, v)));
    checks.forEach((k, c) -> perCheck.computeIfAbsent(k, x -> registerCheck(k, c)));
  }

  private <V> void replace(
      Map<String, V> current, Map<String, List<Meter>> meters, Map<String, V> next) {
    for (String gone : List.copyOf(current.keySet())) {
      if (!next.containsKey(gone)) {
        meters.getOrDefault(gone, List.of()).forEach(registry::remove);
        meters.remove(gone);
      }
    }
    current.keySet().retainAll(next.keySet());
    current.putAll(next);
  }

  private List<Meter> registerRouter(String key, StatusView v) {
    List<Meter> meters = new ArrayList<>();
    Tags tags = Tags.of("vip", v.vip(), "family", v.family());
    for (State state : State.values()) {
      meters.add(
          gauge(
              "floatip_vrrp_state",
              "1 for the router's current state",
              tags.and("state", state.name()),
              latest,
              key,
              s -> s.state().equals(state.name()) ? 1 : 0));
    }
    meters.add(
        gauge(
            "floatip_vrrp_priority",
            "Effective priority",
            tags,
            latest,
            key,
            StatusView::priority));
    meters.add(
        gauge(
            "floatip_vrrp_base_priority",
            "Priority before check weights",
            tags,
            latest,
            key,
            StatusView::basePriority));
    meters.add(
        counter("floatip_vrrp_advertisements_sent", tags, key, StatusView::advertisementsSent));
    meters.add(
        counter(
            "floatip_vrrp_advertisements_received", tags, key, StatusView::advertisementsReceived));
    for (DropReason reason : DropReason.values()) {
      meters.add(
          counter(
              "floatip_vrrp_dropped",
              tags.and("reason", reason.name()),
              key,
              s -> s.drops().getOrDefault(reason.name(), 0L)));
    }
    return meters;
  }

  private List<Meter> registerCheck(String key, StatusView.CheckView c) {
    Tags tags =
        Tags.of("vip", key.substring(0, key.indexOf('/')), "kind", c.kind(), "name", c.name());
    return List.of(
        gauge(
            "floatip_check_healthy",
            "1 healthy, 0 failing, NaN before the first result",
            tags,
            latestChecks,
            key,
            x -> x.healthy() == null ? Double.NaN : x.healthy() ? 1 : 0),
        gauge(
            "floatip_check_fault",
            "1 while the check holds the VIP in FAULT",
            tags,
            latestChecks,
            key,
            x -> x.effect().equals("FAULT") ? 1 : 0),
        gauge(
            "floatip_check_priority_effect",
            "What the check adds to the priority (0 when FAULT)",
            tags,
            latestChecks,
            key,
            x -> x.effect().equals("FAULT") ? 0 : Integer.parseInt(x.effect().replace("+", ""))));
  }

  private <V> Meter gauge(
      String name,
      String help,
      Tags tags,
      Map<String, V> source,
      String key,
      ToDoubleFunction<V> f) {
    return Gauge.builder(name, source, m -> value(m, key, f))
        .description(help)
        .tags(tags)
        .register(registry);
  }

  private Meter counter(String name, Tags tags, String key, ToDoubleFunction<StatusView> f) {
    return FunctionCounter.builder(name, latest, m -> value(m, key, f))
        .description(
            name.equals("floatip_vrrp_dropped") ? "Received packets not used, by reason" : null)
        .tags(tags)
        .register(registry);
  }

  private static <V> double value(Map<String, V> m, String key, ToDoubleFunction<V> f) {
    V v = m.get(key);
    return v == null ? Double.NaN : f.applyAsDouble(v);
  }
}
