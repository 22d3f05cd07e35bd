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
        false,
        counters,
        java.net.InetAddress.getLoopbackAddress());
  }

  private static StatusView view(State state, int priority, long sent, long badTtl) {
    return StatusView.of(status(state, priority, sent, badTtl), Optional.empty());
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  @Test
  void perRouterGaugesAndCountersFollowTheSnapshot() {
    metrics.update(List.of(view(State.BACKUP, 100, 3, 0)));
    assertThat(gauge("floatip_vrrp_state", "vip", "web", "state", "BACKUP")).isEqualTo(1);
    assertThat(gauge("floatip_vrrp_state", "vip", "web", "state", "MASTER")).isZero();

    metrics.update(List.of(view(State.MASTER, 110, 42, 2)));

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
  void checksHaveHealthFaultAndEffect() {
    StatusView base = view(State.MASTER, 110, 0, 0);
    StatusView withChecks =
        new StatusView(
            base.vip(),
            base.family(),
            base.vrid(),
            base.interfaceName(),
            base.state(),
            base.priority(),
            100,
            base.master(),
            base.since(),
            base.reason(),
            base.faults(),
            base.standby(),
            0,
            0,
            Map.of(),
            List.of(
                new StatusView.CheckView("script", "dig", true, "+10", "exit 0"),
                new StatusView.CheckView("file", "/run/x", false, "FAULT", "value 3")));

    metrics.update(List.of(withChecks));

    assertThat(gauge("floatip_check_healthy", "name", "dig")).isEqualTo(1);
    assertThat(gauge("floatip_check_priority_effect", "name", "dig")).isEqualTo(10);
    assertThat(gauge("floatip_check_fault", "name", "/run/x")).isEqualTo(1);
    assertThat(gauge("floatip_vrrp_base_priority", "vip", "web")).isEqualTo(100);

    metrics.update(List.of(base));

    assertThat(registry.find("floatip_check_healthy").gauges()).isEmpty();
  }

  @Test
  void nodeStandbyGaugeFollowsTheLoop() {
    assertThat(registry.get("floatip_node_standby").gauge().value()).isZero();
    metrics.standbyChanged(true);
    assertThat(registry.get("floatip_node_standby").gauge().value()).isEqualTo(1);
    metrics.standbyChanged(false);
    assertThat(registry.get("floatip_node_standby").gauge().value()).isZero();
  }

  @Test
  void metersOfARemovedRouterGoAway() {
    metrics.update(List.of(view(State.BACKUP, 100, 0, 0)));
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

  /**
   * Drops before any router ({@code vip=""}) and a router's own drops are one metric family in the
   * Prometheus exposition (issue 12 item 10).
   */
  @Test
  void unroutedAndPerRouterDropsShareDroppedTotal() {
    var prometheus =
        new io.micrometer.prometheus.PrometheusMeterRegistry(
            io.micrometer.prometheus.PrometheusConfig.DEFAULT);
    AgentMetrics m = new AgentMetrics(prometheus);
    m.update(List.of(view(State.BACKUP, 100, 3, 2)));
    m.dropped(IpFamily.IPV4, DropReason.BAD_CHECKSUM);
    m.dropped(IpFamily.IPV4, DropReason.QUEUE_FULL);
    String scrape = prometheus.scrape();
    assertThat(scrape)
        .contains(
            "floatip_vrrp_dropped_total{family=\"ipv4\",reason=\"BAD_CHECKSUM\",vip=\"\",} 1.0",
            "floatip_vrrp_dropped_total{family=\"ipv4\",reason=\"QUEUE_FULL\",vip=\"\",} 1.0",
            "floatip_vrrp_dropped_total{family=\"ipv4\",reason=\"BAD_TTL\",vip=\"web\",} 2.0");
  }
}
