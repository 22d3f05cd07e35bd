package dev.floatip.vrrp;

import static dev.floatip.vrrp.State.BACKUP;
import static dev.floatip.vrrp.State.INITIALIZE;
import static dev.floatip.vrrp.State.MASTER;
import static dev.floatip.vrrp.sim.SimulatedLan.T0;
import static dev.floatip.vrrp.sim.SimulatedLan.at;
import static dev.floatip.vrrp.sim.SimulatedLan.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floatip.vrrp.sim.Jitter;
import dev.floatip.vrrp.sim.RouterSpec;
import dev.floatip.vrrp.sim.Scenario;
import dev.floatip.vrrp.sim.SimRouter;
import dev.floatip.vrrp.sim.SimulatedLan;
import dev.floatip.vrrp.sim.Trio;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Losing the master: a crash is noticed after Master_Down_Interval from the last advert heard (RFC
 * 5798 §6.4.2), a clean stop after Skew_Time only (priority 0, §6.4.3), and lost adverts fail over
 * only when three in a row go missing (3 × interval + skew).
 *
 * <p>r1 (priority 150) wins the election at 3414.0625 ms (v2 / v3 at 1 s) and advertises at
 * 3414.0625 + k s; at 100 ms it wins at 341.40625 ms, at 10 ms at 34.140625 ms.
 */
class FailoverScenarioTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  private static List<State> states(SimRouter r) {
    return r.transitions().stream().map(SimRouter.Transition::to).toList();
  }

  /**
   * The takeover by {@code next} after {@code gone} stopped: exact from what {@code next} heard.
   */
  private static Instant assertTakeover(
      SimulatedLan lan,
      SimRouter next,
      SimRouter gone,
      Instant stoppedAt,
      Duration wait,
      Reason reason,
      Instant expected) {
    var took = next.firstTransitionTo(MASTER, stoppedAt);
    assertEquals(reason, took.reason());
    // deterministic once the last packet has arrived …
    assertEquals(next.lastReceivedFrom(gone, took.at()).at().plus(wait), took.at());
    // … and within one delivery of the schedule
    lan.assertAt(expected, took.at(), 1, next.name() + " takes over");
    return took.at();
  }

  @Scenario
  void masterCrashBackupTakesOverAtThreeIntervalsPlusItsSkew(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r1().crash();
    t.lan().runUntil(at(20_000));

    // last advert 10414.0625 ms; r2 (priority 100) waits 3 s + 156/256 s = 3609.375 ms
    assertTakeover(
        t.lan(), t.r2(), t.r1(), at(10_500), ms(3609.375), Reason.MASTER_DOWN, at(14_023.4375));
    // r3 would have waited 3804.6875 ms; r2's first advert reached it long before
    assertEquals(List.of(BACKUP), states(t.r3()));
    t.lan().assertSettled(t.r2());
    // from the crash to the takeover nobody held the address (the host took it down with it)
    assertEquals(0, t.lan().severalHoldersEpisodes());
  }

  @Scenario
  void masterCrashV3AtOneSecondTakesOverAt3609_375ms(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v3(SECOND), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r1().crash();
    t.lan().runUntil(at(20_000));

    assertTakeover(
        t.lan(), t.r2(), t.r1(), at(10_500), ms(3609.375), Reason.MASTER_DOWN, at(14_023.4375));
    t.lan().assertSettled(t.r2());
  }

  @Scenario
  void masterCrashV3At100msTakesOverAt360_9375ms(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v3(Duration.ofMillis(100)), at(1_000));
    t.r1().crash();
    t.lan().runUntil(at(3_000));

    // last advert 941.40625 ms; 3 × 100 ms + 156/256 × 100 ms (the anchor's 0.36093750 s)
    assertTakeover(
        t.lan(), t.r2(), t.r1(), at(1_000), ms(360.9375), Reason.MASTER_DOWN, at(1_302.34375));
    assertEquals(List.of(BACKUP), states(t.r3()));
    t.lan().assertSettled(t.r2());
  }

  @Scenario
  void masterCrashV3At10msTakesOverAt36_09375ms(Jitter jitter) {
    // two routers: at 10 ms a third at priority 50 would be only 1.95 ms behind r2, less than
    // two sub-millisecond deliveries, and could legitimately flap
    var lan = new SimulatedLan(jitter);
    var spec = RouterSpec.v3(Duration.ofMillis(10));
    var r1 = lan.add("r1", "192.0.2.11", 150, spec);
    var r2 = lan.add("r2", "192.0.2.12", 100, spec);
    lan.startAll();
    lan.runUntil(at(100));
    lan.assertSettled(r1);
    r1.crash();
    lan.runUntil(at(500));

    // last advert 94.140625 ms; 3 × 10 ms + 156/256 × 10 ms
    assertTakeover(lan, r2, r1, at(100), ms(36.09375), Reason.MASTER_DOWN, at(130.234375));
    lan.assertSettled(r2);
  }

  @Scenario
  void gracefulShutdownHandsOverAfterSkewTimeOnly(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r1().shutdown();

    // RFC 5798 §6.4.3 Shutdown: priority 0 at once, addresses gone, Initialize
    var resign = t.r1().sentSince(at(10_500));
    assertEquals(1, resign.size());
    assertEquals(0, resign.getFirst().advertisement().priority());
    assertEquals(Set.of(), t.r1().holds());
    assertEquals(INITIALIZE, t.r1().state());

    t.lan().runUntil(at(20_000));
    // §6.4.2: priority 0 sets Master_Down_Timer to Skew_Time = 156/256 s
    assertTakeover(
        t.lan(), t.r2(), t.r1(), at(10_500), ms(609.375), Reason.MASTER_RESIGNED, at(11_109.375));
    assertEquals(List.of(BACKUP), states(t.r3()));
    assertEquals(List.of(), t.r1().sentSince(at(10_500).plusNanos(1)), "silent after resigning");
    t.lan().assertSettled(t.r2());
  }

  @Scenario
  void gracefulShutdownV3At100msHandsOverAfter60_9375ms(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v3(Duration.ofMillis(100)), at(1_000));
    t.r1().shutdown();
    t.lan().runUntil(at(2_000));

    assertTakeover(
        t.lan(), t.r2(), t.r1(), at(1_000), ms(60.9375), Reason.MASTER_RESIGNED, at(1_060.9375));
    assertEquals(List.of(BACKUP), states(t.r3()));
    t.lan().assertSettled(t.r2());
  }

  @Scenario
  void gracefulShutdownV3At10msHandsOverAfter6_09375ms(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var spec = RouterSpec.v3(Duration.ofMillis(10));
    var r1 = lan.add("r1", "192.0.2.11", 150, spec);
    var r2 = lan.add("r2", "192.0.2.12", 100, spec);
    lan.startAll();
    lan.runUntil(at(100));
    r1.shutdown();
    lan.runUntil(at(200));

    assertTakeover(lan, r2, r1, at(100), ms(6.09375), Reason.MASTER_RESIGNED, at(106.09375));
    lan.assertSettled(r2);
  }

  @Scenario
  void oneLostAdvertDoesNotFailOver(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.r1().loseNextAdverts(1); // the one of 10414.0625 ms
    t.lan().runUntil(at(30_000));

    assertEquals(List.of(BACKUP), states(t.r2()));
    assertEquals(List.of(BACKUP), states(t.r3()));
    assertEquals(List.of(BACKUP, MASTER), states(t.r1()));
    assertTrue(
        t.r2().receivedFrom(t.r1()).stream()
            .noneMatch(r -> r.at().isAfter(at(10_000)) && r.at().isBefore(at(11_000))));
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void twoConsecutiveLostAdvertsDoNotFailOver(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.r1().loseNextAdverts(2); // 10414.0625 and 11414.0625 ms
    t.lan().runUntil(at(30_000));

    // the third advert (12414.0625 ms) comes 3 s after the last one heard: inside 3609.375 ms
    assertEquals(List.of(BACKUP), states(t.r2()));
    assertEquals(List.of(BACKUP), states(t.r3()));
    assertEquals(List.of(BACKUP, MASTER), states(t.r1()));
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void threeConsecutiveLostAdvertsFailOverAndTheMasterReclaimsAtOnce(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.r1().loseNextAdverts(3); // 10414.0625, 11414.0625, 12414.0625 ms
    t.lan().runUntil(at(30_000));

    // last heard 9414.0625 ms: r2 takes over 3609.375 ms later, before the fourth advert
    var took =
        assertTakeover(
            t.lan(), t.r2(), t.r1(), at(10_000), ms(3609.375), Reason.MASTER_DOWN, at(13_023.4375));
    // r1 never noticed a problem; hearing r2's lower-priority advert it answers at once and
    // re-announces, and r2 steps down on that answer (advert out, answer back: two deliveries)
    assertEquals(List.of(BACKUP, MASTER), states(t.r1()));
    var back = t.r2().firstTransitionTo(BACKUP, took);
    assertEquals(Reason.HIGHER_PRIORITY_MASTER, back.reason());
    t.lan().assertAt(took, back.at(), 2, "r2 steps down on r1's answer");
    assertTrue(back.at().isBefore(at(13_414.0625)), "before r1's next periodic advert");
    t.lan().assertAt(took, t.r1().announcementsSince(took).getFirst().at(), 1, "r1 re-announces");
    assertEquals(List.of(BACKUP), states(t.r3()));
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void v3BackupAdoptsTheMastersAdvertisedInterval(Jitter jitter) {
    // RFC 5798 §6.4.2: a backup sets Master_Adver_Interval from the master's adverts
    var lan = new SimulatedLan(jitter);
    var r1 = lan.add("r1", "192.0.2.11", 150, RouterSpec.v3(Duration.ofMillis(100)));
    var r2 = lan.add("r2", "192.0.2.12", 100, RouterSpec.v3(SECOND));
    lan.startAll();
    lan.runUntil(at(1_000));
    lan.assertSettled(r1);
    assertEquals(Duration.ofMillis(100), r2.router().masterAdverInterval());
    r1.crash();
    lan.runUntil(at(5_000));

    // 360.9375 ms (the 100 ms timers), not the 3609.375 ms of its own 1 s configuration
    var took =
        assertTakeover(lan, r2, r1, at(1_000), ms(360.9375), Reason.MASTER_DOWN, at(1_302.34375));
    // as master it advertises at its own Advertisement_Interval again
    assertEquals(
        List.of(took, took.plus(SECOND), took.plus(SECOND.multipliedBy(2))),
        r2.sent().stream().map(SimRouter.Sent::at).limit(3).toList());
    assertEquals(SECOND, r2.sent().getFirst().advertisement().adverInterval());
    lan.assertSettled(r2);
  }

  @Scenario
  void nopreemptBackupAtPriority254TakesOverAfter3_0078125s(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var r1 = lan.add("r1", "192.0.2.11", 100, RouterSpec.v2());
    var r2 = lan.add("r2", "192.0.2.12", 254, RouterSpec.v2().nopreempt());
    r1.start();
    lan.runUntil(at(5_000));
    r2.start(); // RFC 5798 §6.4.2: Preempt_Mode False accepts the lower master
    lan.runUntil(at(10_500));
    assertEquals(List.of(BACKUP), states(r2));
    r1.crash();
    lan.runUntil(at(20_000));

    // r1 won at 3609.375 ms and last advertised at 9609.375 ms; 3 s + 2/256 s
    assertTakeover(lan, r2, r1, at(10_500), ms(3007.8125), Reason.MASTER_DOWN, at(12_617.1875));
    lan.assertSettled(r2);
  }

  @Scenario
  void backupAtPriorityOneWaitsTheLongestMasterDownInterval(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var r1 = lan.add("r1", "192.0.2.11", 100, RouterSpec.v2());
    var r2 = lan.add("r2", "192.0.2.12", 1, RouterSpec.v2());
    lan.startAll();
    lan.runUntil(at(10_500));
    lan.assertSettled(r1);
    r1.crash();
    lan.runUntil(at(20_000));

    // 3 s + 255/256 s
    assertTakeover(lan, r2, r1, at(10_500), ms(3996.09375), Reason.MASTER_DOWN, at(13_605.46875));
    lan.assertSettled(r2);
  }

  @Scenario
  void crashOfTheNewMasterHandsOverToTheLastRouter(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r1().crash();
    t.lan().runUntil(at(20_000));
    var r2Took = t.r2().firstTransitionTo(MASTER, at(10_500)).at();
    t.r2().crash();
    t.lan().runUntil(at(30_000));

    // r2 advertised at r2Took + k s; r3 waits 3 s + 206/256 s after the last one
    var lastR2 = t.r2().lastSentBefore(at(20_000)).at();
    assertEquals(r2Took.plus(SECOND.multipliedBy(5)), lastR2);
    var took = t.r3().firstTransitionTo(MASTER, at(20_000));
    assertEquals(t.r3().lastReceivedFrom(t.r2(), took.at()).at().plus(ms(3804.6875)), took.at());
    t.lan().assertAt(lastR2.plus(ms(3804.6875)), took.at(), 1, "r3 takes over");
    t.lan().assertSettled(t.r3());
    assertTrue(T0.isBefore(took.at()));
  }
}
