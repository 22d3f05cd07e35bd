package dev.floatip.vrrp;

import static dev.floatip.vrrp.State.BACKUP;
import static dev.floatip.vrrp.State.FAULT;
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
import java.util.List;
import java.util.Set;

/**
 * Tracking (DESIGN §5): weights move the effective priority, a weight-0 check failing puts the
 * router in keepalived's FAULT state. From Master, FAULT sends priority 0 first and removes the
 * addresses; leaving FAULT goes to Backup, never straight to Master.
 *
 * <p>r1 (150) is master from 3414.0625 ms, advertising at 3414.0625 + k s; r2 (100) would wait
 * 3609.375 ms, or 609.375 ms after a priority-0 advert; r3 (50) 3804.6875 / 804.6875 ms.
 */
class TrackingFaultScenarioTest {

  private static List<State> states(SimRouter r) {
    return r.transitions().stream().map(SimRouter.Transition::to).toList();
  }

  @Scenario
  void faultOnTheMasterSendsPriorityZeroAndTheBackupTakesOverAfterSkew(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r1().fault("track_script dig");

    var sent = t.r1().sentSince(at(10_500));
    assertEquals(1, sent.size());
    assertEquals(0, sent.getFirst().advertisement().priority());
    assertEquals(Set.of(), t.r1().holds());
    assertEquals(FAULT, t.r1().state());
    assertEquals(Reason.FAULT, t.r1().lastTransition().reason());

    t.lan().runUntil(at(20_000));
    var took = t.r2().firstTransitionTo(MASTER, at(10_500));
    assertEquals(Reason.MASTER_RESIGNED, took.reason());
    assertEquals(t.r2().lastReceivedFrom(t.r1(), took.at()).at().plus(ms(609.375)), took.at());
    t.lan().assertAt(at(11_109.375), took.at(), 1, "r2 takes over");
    assertEquals(List.of(), t.r1().sentSince(at(10_500).plusNanos(1)), "silent in FAULT");
    assertEquals(List.of(BACKUP), states(t.r3()));
    t.lan().assertSettled(t.r2());
  }

  @Scenario
  void leavingFaultGoesToBackupAndPreemptsOnlyAfterTheMasterDownInterval(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r1().fault("interface ens9 down");
    t.lan().runUntil(at(20_000));
    t.lan().assertSettled(t.r2());
    t.r1().clearFault();

    var cleared = t.r1().lastTransition();
    assertEquals(
        new SimRouter.Transition(at(20_000), FAULT, BACKUP, Reason.FAULT_CLEARED, 150), cleared);
    t.lan().runUntil(at(30_000));
    // as a backup it discards r2's lower adverts and preempts when its own timer fires
    var took = t.r1().firstTransitionTo(MASTER, at(20_000));
    assertEquals(at(23_414.0625), took.at());
    assertEquals(Reason.PREEMPTED, took.reason());
    assertEquals(List.of(BACKUP, MASTER, FAULT, BACKUP, MASTER), states(t.r1()));
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void faultOnABackupIsSilentAndTheNextBackupCoversTheMasterCrash(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r2().fault("pod dns/unbound not ready");
    t.lan().runUntil(at(15_500));
    assertEquals(List.of(), t.r2().sent());
    t.lan().assertSettled(t.r1());

    t.r1().crash();
    t.lan().runUntil(at(25_000));
    // r2 is out of the running: r3 takes over after its 3804.6875 ms, from 15414.0625 ms
    var took = t.r3().firstTransitionTo(MASTER, at(15_500));
    assertEquals(t.r3().lastReceivedFrom(t.r1(), took.at()).at().plus(ms(3804.6875)), took.at());
    t.lan().assertAt(at(19_218.75), took.at(), 1, "r3 takes over");
    assertEquals(List.of(BACKUP, FAULT), states(t.r2()));

    t.r2().clearFault();
    t.lan().runUntil(at(35_000));
    assertEquals(at(25_000 + 3609.375), t.r2().firstTransitionTo(MASTER, at(25_000)).at());
    t.lan().assertSettled(t.r2());
  }

  @Scenario
  void faultBeforeStartupEntersFaultAndNeverAdvertises(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var r1 = lan.add("r1", "192.0.2.11", 150, RouterSpec.v2());
    var r2 = lan.add("r2", "192.0.2.12", 100, RouterSpec.v2());
    r1.fault("file /var/run/app/vrrp = 1");
    lan.startAll();
    lan.runUntil(at(10_000));

    assertEquals(
        List.of(new SimRouter.Transition(T0, State.INITIALIZE, FAULT, Reason.FAULT, 150)),
        r1.transitions());
    assertEquals(List.of(), r1.sent());
    assertEquals(at(3609.375), r2.firstTransitionTo(MASTER, T0).at());
    lan.assertSettled(r2);

    r1.clearFault();
    lan.runUntil(at(20_000));
    assertEquals(at(13_414.0625), r1.firstTransitionTo(MASTER, at(10_000)).at());
    lan.assertSettled(r1);
  }

  @Scenario
  void loneRouterLeavingFaultWaitsAsBackupBeforeBecomingMaster(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var r1 = lan.add("r1", "192.0.2.11", 150, RouterSpec.v3(java.time.Duration.ofMillis(100)));
    r1.start();
    lan.runUntil(at(1_000));
    r1.fault("link down");
    lan.runUntil(at(1_050));
    r1.clearFault();
    lan.runUntil(at(2_000));

    // nobody else is there, yet it never goes FAULT → MASTER: Backup first, then 341.40625 ms
    assertEquals(List.of(BACKUP, MASTER, FAULT, BACKUP, MASTER), states(r1));
    assertEquals(at(1_050), r1.firstTransitionTo(BACKUP, at(1_000)).at());
    assertEquals(at(1_391.40625), r1.firstTransitionTo(MASTER, at(1_000)).at());
    lan.assertSettled(r1);
  }

  @Scenario
  void priorityLoweredByTrackingOnTheMasterFailsOver(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r1().setPriority(50); // weight −100

    t.lan().runUntil(at(20_000));
    // r2 discards r1's adverts at 50 from 11414.0625 ms on and preempts 3609.375 ms after the
    // last one it accepted (10414.0625 ms)
    var took = t.r2().firstTransitionTo(MASTER, at(10_500));
    assertEquals(Reason.PREEMPTED, took.reason());
    assertEquals(t.r2().lastReceivedFrom(t.r1(), at(10_500)).at().plus(ms(3609.375)), took.at());
    t.lan().assertAt(at(14_023.4375), took.at(), 1, "r2 takes over");
    assertEquals(50, t.r1().sentSince(at(10_500)).getFirst().advertisement().priority());
    // r1 yields to r2's first advert
    var yielded = t.r1().firstTransitionTo(BACKUP, at(10_500));
    assertEquals(Reason.HIGHER_PRIORITY_MASTER, yielded.reason());
    t.lan().assertAt(took.at(), yielded.at(), 1, "r1 yields");
    // r3 (50) accepted r1's equal-priority adverts, then r2's
    assertEquals(List.of(BACKUP), states(t.r3()));
    t.lan().assertSettled(t.r2());
  }

  @Scenario
  void priorityRaisedByTrackingOnABackupPreemptsTheMaster(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r2().setPriority(200); // weight +100

    t.lan().runUntil(at(20_000));
    // the timer armed at 10414.0625 ms (at priority 100) is no longer re-armed: r1 is now lower
    var took = t.r2().firstTransitionTo(MASTER, at(10_500));
    assertEquals(Reason.PREEMPTED, took.reason());
    t.lan().assertAt(at(14_023.4375), took.at(), 1, "r2 preempts");
    assertEquals(200, t.r2().sent().getFirst().advertisement().priority());
    assertEquals(200, took.priority());
    t.lan().assertAt(took.at(), t.r1().firstTransitionTo(BACKUP, at(10_500)).at(), 1, "r1 yields");
    t.lan().assertSettled(t.r2());
  }

  @Scenario
  void priorityChangeThatKeepsTheOrderChangesNothingButTheAdverts(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.r1().setPriority(120);
    t.r3().setPriority(90);
    t.lan().runUntil(at(30_000));

    assertEquals(List.of(BACKUP, MASTER), states(t.r1()));
    assertEquals(List.of(BACKUP), states(t.r2()));
    assertEquals(List.of(BACKUP), states(t.r3()));
    assertTrue(
        t.r1().sentSince(at(10_000)).stream().allMatch(s -> s.advertisement().priority() == 120));
    t.lan().assertSettled(t.r1());
  }
}
