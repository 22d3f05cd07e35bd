package dev.floatip.vrrp;

import static dev.floatip.vrrp.State.BACKUP;
import static dev.floatip.vrrp.State.INITIALIZE;
import static dev.floatip.vrrp.State.MASTER;
import static dev.floatip.vrrp.sim.RouterSpec.ip;
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
import java.util.stream.IntStream;

/**
 * Initial election: all routers start in Backup (RFC 5798 §6.4.1, floatip never owns the address)
 * and the one whose Master_Down_Timer fires first wins; its first advert silences the others.
 *
 * <p>Master_Down_Interval = 3 × Adver_Interval + (256 − priority)/256 × Adver_Interval (v2: the
 * skew's unit is always one second). At 1 s: priority 150 → 3414.0625 ms, 100 → 3609.375 ms, 50 →
 * 3804.6875 ms. At 10 ms: 34.140625, 36.09375, 38.046875 ms.
 */
class ElectionScenarioTest {

  private static List<State> states(SimRouter r) {
    return r.transitions().stream().map(SimRouter.Transition::to).toList();
  }

  private static List<Instant> sentTimes(SimRouter r) {
    return r.sent().stream().map(SimRouter.Sent::at).toList();
  }

  private static List<Instant> every(Duration interval, Instant first, int count) {
    return IntStream.range(0, count).mapToObj(i -> first.plus(interval.multipliedBy(i))).toList();
  }

  @Scenario
  void twoRoutersElectTheHigherPriorityAtItsMasterDownInterval(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var r1 = lan.add("r1", "192.0.2.11", 150, RouterSpec.v2());
    var r2 = lan.add("r2", "192.0.2.12", 100, RouterSpec.v2());
    lan.startAll();
    lan.runUntil(at(10_000));

    // RFC 5798 §6.4.2: r1's Master_Down_Timer (3414.0625 ms) fires before r2's (3609.375 ms)
    var won = r1.firstTransitionTo(MASTER, T0);
    assertEquals(at(3414.0625), won.at());
    assertEquals(Reason.MASTER_DOWN, won.reason());
    assertEquals(List.of(BACKUP, MASTER), states(r1));
    assertEquals(List.of(BACKUP), states(r2), "r2 never leaves Backup");
    assertEquals(List.of(), r2.sent(), "a backup never advertises");
    // §6.4.3: one advert per Advertisement_Interval, from the takeover on
    assertEquals(every(Duration.ofSeconds(1), at(3414.0625), 7), sentTimes(r1));
    assertEquals(at(3414.0625), r1.announcements().getFirst().at());
    // r2 re-armed its Master_Down_Timer from the last advert it heard
    Instant heard = r2.lastReceivedFrom(r1, lan.now()).at();
    assertEquals(heard.plus(ms(3609.375)), r2.router().deadline(Timer.MASTER_DOWN).orElseThrow());
    lan.assertSettled(r1);
  }

  @Scenario
  void threeRoutersElectTheHighestPriorityAndTheOthersStayBackup(Jitter jitter) {
    var t = Trio.started(jitter, RouterSpec.v2());
    t.lan().runUntil(at(30_000));

    assertEquals(at(3414.0625), t.r1().firstTransitionTo(MASTER, T0).at());
    assertEquals(List.of(BACKUP), states(t.r2()));
    assertEquals(List.of(BACKUP), states(t.r3()));
    // the first advert reached each backup one delivery after the takeover
    t.lan().assertAt(at(3414.0625), t.r2().receivedFrom(t.r1()).getFirst().at(), 1, "r2 heard r1");
    t.lan().assertAt(at(3414.0625), t.r3().receivedFrom(t.r1()).getFirst().at(), 1, "r3 heard r1");
    assertEquals(27, t.r2().receivedFrom(t.r1()).size());
    assertEquals(0, t.lan().severalHoldersEpisodes());
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void v3AtOneSecondElectsWithTheSameTimersAsV2(Jitter jitter) {
    var t = Trio.started(jitter, RouterSpec.v3(Duration.ofSeconds(1)));
    t.lan().runUntil(at(10_000));

    assertEquals(at(3414.0625), t.r1().firstTransitionTo(MASTER, T0).at());
    assertEquals(every(Duration.ofSeconds(1), at(3414.0625), 7), sentTimes(t.r1()));
    assertEquals(
        Duration.ofSeconds(1),
        t.r2().receivedFrom(t.r1()).getFirst().advertisement().adverInterval());
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void threeRoutersElectAtTenMillisecondIntervalsV3(Jitter jitter) {
    var t = Trio.started(jitter, RouterSpec.v3(Duration.ofMillis(10)));
    t.lan().runUntil(at(1_000));

    // 3 × 10 ms + 106/256 × 10 ms; the runners-up would fire at 36.09375 and 38.046875 ms
    assertEquals(at(34.140625), t.r1().firstTransitionTo(MASTER, T0).at());
    assertEquals(every(Duration.ofMillis(10), at(34.140625), 97), sentTimes(t.r1()));
    assertEquals(List.of(BACKUP), states(t.r2()));
    assertEquals(List.of(BACKUP), states(t.r3()));
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void equalPriorityTieGoesToTheHigherPrimaryAddress(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var low = lan.add("low", "192.0.2.11", 100, RouterSpec.v2());
    var high = lan.add("high", "192.0.2.12", 100, RouterSpec.v2());
    lan.startAll();
    lan.runUntil(at(10_000));

    // both timers fire together: two masters for one delivery, then RFC 5798 §6.4.3 "priority
    // equal and primary IP address of the sender greater than the local primary IP address"
    assertEquals(at(3609.375), low.firstTransitionTo(MASTER, T0).at());
    assertEquals(at(3609.375), high.firstTransitionTo(MASTER, T0).at());
    var stepDown = low.firstTransitionTo(BACKUP, at(3609.375));
    assertEquals(Reason.HIGHER_PRIORITY_MASTER, stepDown.reason());
    lan.assertAt(at(3609.375), stepDown.at(), 1, "low steps down when it hears high");
    assertEquals(List.of(BACKUP, MASTER), states(high));
    lan.assertSettled(high);
    assertTrue(lan.severalHoldersTotal().compareTo(jitter.tolerance(1)) <= 0);
  }

  @Scenario
  void threeWayEqualPriorityTieGoesToTheHighestAddress(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var a = lan.add("a", "192.0.2.13", 100, RouterSpec.v2());
    var b = lan.add("b", "192.0.2.11", 100, RouterSpec.v2());
    var c = lan.add("c", "192.0.2.12", 100, RouterSpec.v2());
    lan.startAll();
    lan.runUntil(at(10_000));

    for (var r : List.of(a, b, c)) {
      assertEquals(at(3609.375), r.firstTransitionTo(MASTER, T0).at(), r.name());
    }
    assertEquals(List.of(BACKUP, MASTER), states(a));
    lan.assertSettled(a);
  }

  @Scenario
  void lowerPriorityRouterStartingLaterJoinsAsBackupWithoutDisturbingTheMaster(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var r1 = lan.add("r1", "192.0.2.11", 150, RouterSpec.v2());
    var r3 = lan.add("r3", "192.0.2.13", 50, RouterSpec.v2());
    r1.start();
    lan.runUntil(at(10_000));
    r3.start();
    lan.runUntil(at(30_000));

    assertEquals(List.of(BACKUP, MASTER), states(r1));
    assertEquals(List.of(BACKUP), states(r3));
    assertEquals(at(10_000), r3.lastTransition().at());
    // r1 alone also waits its full Master_Down_Interval: there is no shortcut at startup
    assertEquals(at(3414.0625), r1.firstTransitionTo(MASTER, T0).at());
    lan.assertSettled(r1);
  }

  @Scenario
  void ipv6ElectionAdvertisesToFf02_12FromLinkLocalAddresses(Jitter jitter) {
    var spec = RouterSpec.v3ipv6(Duration.ofMillis(100));
    var lan = new SimulatedLan(jitter);
    var r1 = lan.add("r1", "fe80::11", 150, spec);
    var r2 = lan.add("r2", "fe80::12", 100, spec);
    lan.startAll();
    lan.runUntil(at(2_000));

    // RFC 5798 §5.1.2.2: ff02::12; 3 × 100 ms + 106/256 × 100 ms
    assertEquals(at(341.40625), r1.firstTransitionTo(MASTER, T0).at());
    assertEquals(List.of(ip("ff02::12")), r1.sent().getFirst().destinations());
    assertEquals(List.of(ip("2001:db8::200")), r1.sent().getFirst().advertisement().addresses());
    assertEquals(17, r2.receivedFrom(r1).size());
    assertEquals(List.of(BACKUP), states(r2));
    lan.assertSettled(r1);
  }

  @Scenario
  void unicastRoutersAdvertiseToEachPeerAndElectTheHighest(Jitter jitter) {
    var spec =
        RouterSpec.v3(Duration.ofSeconds(1)).unicast("192.0.2.11", "192.0.2.12", "192.0.2.13");
    var t = Trio.started(jitter, spec);
    t.lan().runUntil(at(10_000));

    assertEquals(at(3414.0625), t.r1().firstTransitionTo(MASTER, T0).at());
    // one advert per peer, in address order (the baseline's unicast capture)
    assertEquals(
        List.of(ip("192.0.2.12"), ip("192.0.2.13")), t.r1().sent().getFirst().destinations());
    assertEquals(7, t.r2().receivedFrom(t.r1()).size());
    assertEquals(7, t.r3().receivedFrom(t.r1()).size());
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void shutdownOfEveryRouterLeavesNoHolder(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.r3().shutdown();
    t.r2().shutdown();
    t.r1().shutdown();
    t.lan().runUntil(at(20_000));

    for (var r : List.of(t.r1(), t.r2(), t.r3())) {
      assertEquals(INITIALIZE, r.state(), r.name());
      assertEquals(java.util.Set.of(), r.holds(), r.name());
    }
    assertEquals(List.of(), t.lan().masters());
  }
}
