package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.config.IpLiteral;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keepalived's announcement pattern: repeat now, repeat again after delay, refresh while master.
 */
class AnnouncementScheduleTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<InetAddress> VIP =
      List.of(IpLiteral.parse("192.0.2.200").orElseThrow());

  private final AnnouncementSchedule<String> schedule = new AnnouncementSchedule<>();

  @Test
  void firstBurstAtOnceSecondAfterDelayThenNothing() {
    var first = schedule.start("r", VIP, AnnouncePolicy.DEFAULT, T0);

    assertThat(first.repeat()).isEqualTo(5);
    assertThat(first.addresses()).isEqualTo(VIP);
    assertThat(schedule.nextDeadline()).contains(T0.plusSeconds(5));
    assertThat(schedule.due(T0.plusMillis(4999))).isEmpty();
    assertThat(schedule.due(T0.plusSeconds(5)))
        .containsExactly(new AnnouncementSchedule.Burst<>("r", VIP, 5));
    assertThat(schedule.nextDeadline()).isEmpty();
  }

  @Test
  void refreshRepeatsWhileMasterAndStopEndsIt() {
    AnnouncePolicy policy = new AnnouncePolicy(Duration.ZERO, 2, Duration.ofSeconds(30));
    schedule.start("r", VIP, policy, T0);

    assertThat(schedule.nextDeadline()).contains(T0.plusSeconds(30));
    assertThat(schedule.due(T0.plusSeconds(30))).hasSize(1);
    assertThat(schedule.nextDeadline()).contains(T0.plusSeconds(60));

    schedule.stop("r");

    assertThat(schedule.nextDeadline()).isEmpty();
    assertThat(schedule.due(T0.plusSeconds(60))).isEmpty();
  }

  @Test
  void reAnnouncingRestartsTheDelayedBurst() {
    schedule.start("r", VIP, AnnouncePolicy.DEFAULT, T0);
    schedule.start("r", VIP, AnnouncePolicy.DEFAULT, T0.plusSeconds(3));

    assertThat(schedule.due(T0.plusSeconds(5))).isEmpty();
    assertThat(schedule.due(T0.plusSeconds(8))).hasSize(1);
  }

  @Test
  void routersAreIndependent() {
    schedule.start("a", VIP, AnnouncePolicy.DEFAULT, T0);
    schedule.start("b", VIP, AnnouncePolicy.DEFAULT, T0.plusSeconds(1));
    schedule.stop("a");

    assertThat(schedule.due(T0.plusSeconds(6)))
        .extracting(AnnouncementSchedule.Burst::router)
        .containsExactly("b");
  }
}
