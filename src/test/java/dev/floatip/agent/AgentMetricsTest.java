package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.vrrp.Action;
import dev.floatip.vrrp.Counters;
import dev.floatip.vrrp.DropReason;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.Reason;
import dev.floatip.vrrp.State;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {

  private static final RouterId WEB = new RouterId("web", IpFamily.IPV4);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AgentMetrics metrics = new AgentMetrics(registry);

  private static RouterStatus status(State state, int priority, long sent, long badTtl) {
    Counters.Snapshot counters =
        new Counters.Snapshot(Map.of(DropReason.BAD_TTL, badTtl), sent, 7, 0, 0, 0, 1);
    return new RouterStatus(
        WEB,
        "eth0",
        51,
        state,
        priority,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Set.of(),
        counters);
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  @Test
  void perRouterGaugesAndCountersFollowTheSnapshot() {
    metrics.update(List.of(status(State.BACKUP, 100, 3, 0)));
    assertThat(gauge("floatip_vrrp_state", "vip", "web", "state", "BACKUP")).isEqualTo(1);
    assertThat(gauge("floatip_vrrp_state", "vip", "web", "state", "MASTER")).isZero();

    metrics.update(List.of(status(State.MASTER, 110, 42, 2)));

    assertThat(gauge("floatip_vrrp_state", "vip", "web", "state", "MASTER")).isEqualTo(1);
    assertThat(gauge("floatip_vrrp_priority", "vip", "web")).isEqualTo(110);
    assertThat(registry.get("floatip_vrrp_advertisements_sent").functionCounter().count())
        .isEqualTo(42);
    assertThat(
            registry
                .get("floatip_vrrp_dropped")
                .tags("reason", "BAD_TTL")
                .functionCounter()
                .count())
        .isEqualTo(2);
  }

  @Test
  void metersOfARemovedRouterGoAway() {
    metrics.update(List.of(status(State.BACKUP, 100, 0, 0)));
    metrics.update(List.of());

    assertThat(registry.find("floatip_vrrp_priority").gauges()).isEmpty();
    assertThat(registry.find("floatip_vrrp_dropped").functionCounters()).isEmpty();
  }

  @Test
  void transitionsAnnouncementsAndFailoversAreCounted() {
    RouterSpec spec = EventLoopTest.spec("web", 51, EventLoopTest.VIP_A, 100);
    metrics.stateChanged(
        spec,
        new Action.StateChanged(
            Instant.EPOCH, State.BACKUP, State.MASTER, Reason.MASTER_DOWN, 100));
    metrics.announced(spec, 5);
    metrics.failedOver(spec, Duration.ofMillis(3609));

    assertThat(
            registry
                .get("floatip_vrrp_transitions")
                .tags("from", "BACKUP", "to", "MASTER", "reason", "MASTER_DOWN")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("floatip_vrrp_announcements").counter().count()).isEqualTo(5);
    assertThat(
            registry
                .get("floatip_vrrp_failover")
                .timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isEqualTo(3609);
  }
}
