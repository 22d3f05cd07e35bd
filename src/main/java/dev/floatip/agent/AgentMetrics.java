package dev.floatip.agent;

import dev.floatip.vrrp.Action;
import dev.floatip.vrrp.DropReason;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics of the agent. Events (transitions, announcements, failovers) are counted as
 * they happen; per-router gauges and protocol counters read the latest {@link RouterStatus}
 * snapshot, which {@link #update(List)} replaces (the agent calls it about once a second).
 */
public final class AgentMetrics implements EventLoop.Listener {

  private final MeterRegistry registry;
  private final Map<RouterId, RouterStatus> latest = new ConcurrentHashMap<>();
  private final Map<RouterId, List<Meter>> perRouter = new ConcurrentHashMap<>();

  public AgentMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  private static Tags tags(RouterId id) {
    return Tags.of(
        "vip", id.vip(), "family", id.family() == dev.floatip.vrrp.IpFamily.IPV4 ? "ipv4" : "ipv6");
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

  /** Replaces the snapshot; registers meters for new routers and removes those of gone ones. */
  public void update(List<RouterStatus> statuses) {
    Map<RouterId, RouterStatus> next = new ConcurrentHashMap<>();
    statuses.forEach(s -> next.put(s.id(), s));
    for (RouterId gone : new ArrayList<>(latest.keySet())) {
      if (!next.containsKey(gone)) {
        perRouter.getOrDefault(gone, List.of()).forEach(registry::remove);
        perRouter.remove(gone);
      }
    }
    latest.keySet().retainAll(next.keySet());
    latest.putAll(next);
    next.keySet().forEach(id -> perRouter.computeIfAbsent(id, this::register));
  }

  private List<Meter> register(RouterId id) {
    List<Meter> meters = new ArrayList<>();
    Tags tags = tags(id);
    for (State state : State.values()) {
      meters.add(
          gauge(
              "floatip_vrrp_state",
              "1 for the router's current state",
              tags.and("state", state.name()),
              id,
              s -> s.state() == state ? 1 : 0));
    }
    meters.add(
        gauge("floatip_vrrp_priority", "Effective priority", tags, id, RouterStatus::priority));
    meters.add(
        counter(
            "floatip_vrrp_advertisements_sent", tags, id, s -> s.counters().advertisementsSent()));
    meters.add(
        counter(
            "floatip_vrrp_advertisements_received",
            tags,
            id,
            s -> s.counters().advertisementsReceived()));
    meters.add(
        counter(
            "floatip_vrrp_address_list_mismatches",
            tags,
            id,
            s -> s.counters().addressListMismatches()));
    for (DropReason reason : DropReason.values()) {
      meters.add(
          counter(
              "floatip_vrrp_dropped",
              tags.and("reason", reason.name()),
              id,
              s -> s.counters().drops(reason)));
    }
    return meters;
  }

  private Meter gauge(
      String name, String help, Tags tags, RouterId id, ToDoubleFunction<RouterStatus> f) {
    return Gauge.builder(name, latest, m -> value(m, id, f))
        .description(help)
        .tags(tags)
        .register(registry);
  }

  private Meter counter(String name, Tags tags, RouterId id, ToDoubleFunction<RouterStatus> f) {
    return FunctionCounter.builder(name, latest, m -> value(m, id, f))
        .tags(tags)
        .register(registry);
  }

  private static double value(
      Map<RouterId, RouterStatus> m, RouterId id, ToDoubleFunction<RouterStatus> f) {
    RouterStatus s = m.get(id);
    return s == null ? Double.NaN : f.applyAsDouble(s);
  }
}
