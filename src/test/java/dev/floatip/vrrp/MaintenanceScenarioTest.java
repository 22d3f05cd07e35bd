package dev.floatip.vrrp;

import static dev.floatip.vrrp.State.BACKUP;
import static dev.floatip.vrrp.State.FAULT;
import static dev.floatip.vrrp.State.INITIALIZE;
import static dev.floatip.vrrp.State.MASTER;
import static dev.floatip.vrrp.sim.SimulatedLan.T0;
import static dev.floatip.vrrp.sim.SimulatedLan.at;
import static dev.floatip.vrrp.sim.SimulatedLan.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floatip.vrrp.sim.Jitter;
import dev.floatip.vrrp.sim.RouterSpec;
import dev.floatip.vrrp.sim.Scenario;
import dev.floatip.vrrp.sim.SimRouter;
import dev.floatip.vrrp.sim.SimulatedLan;
import dev.floatip.vrrp.sim.Trio;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Node maintenance ({@link Input.Standby}; a drained, cordoned or labelled node): a master resigns
 * with priority 0 as on Shutdown and stays Backup, a backup never takes over, and leaving
 * maintenance resumes the election by the usual rules from Master_Down_Interval on.
 *
 * <p>r1 (150) is master from 3414.0625 ms, advertising at 3414.0625 + k s; Master_Down_Interval and
 * Skew_Time: r1 3414.0625 / 414.0625 ms, r2 (100) 3609.375 / 609.375 ms, r3 (50) 3804.6875 /
 * 804.6875 ms.
 */
class MaintenanceScenarioTest {

  private static List<State> states(SimRouter r) {
    return r.transitions().stream().map(SimRouter.Transition::to).toList();
  }

  @Scenario
  void masterEnteringMaintenanceSendsPriorityZeroAndTheBackupTakesOverAfterSkew(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r1().standby(true);
    t.r1().standby(true); // repeated: nothing more

    var sent = t.r1().sentSince(at(10_500));
    assertEquals(1, sent.size());
    assertEquals(0, sent.getFirst().advertisement().priority());
    assertEquals(Set.of(), t.r1().holds());
    assertEquals(List.of(at(10_500)), t.r1().stopAnnouncing());
    assertEquals(
        new SimRouter.Transition(at(10_500), MASTER, BACKUP, Reason.MAINTENANCE, 150),
        t.r1().lastTransition());
    assertTrue(t.r1().router().standby());

    t.lan().runUntil(at(30_000));
    var took = t.r2().firstTransitionTo(MASTER, at(10_500));
    assertEquals(Reason.MASTER_RESIGNED, took.reason());
    assertEquals(t.r2().lastReceivedFrom(t.r1(), took.at()).at().plus(ms(609.375)), took.at());
    t.lan().assertAt(at(11_109.375), took.at(), 1, "r2 takes over");
    // r1 follows the lower r2 instead of preempting it, and says nothing
    assertEquals(List.of(BACKUP, MASTER, BACKUP), states(t.r1()));
    assertEquals(List.of(), t.r1().sentSince(at(10_500).plusNanos(1)));
    assertEquals(Optional.of(t.r2().address()), t.r1().router().masterAddress());
    assertEquals(List.of(BACKUP), states(t.r3()));
    t.lan().assertSettled(t.r2());
  }

  @Scenario
  void backupInMaintenanceNeverTakesOverEvenWhenTheMasterDies(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r2().standby(true);
    assertEquals(List.of(BACKUP), states(t.r2()));
    t.r1().crash();
    t.lan().runUntil(at(30_000));

    // r2's timer fires at 14023.4375 ms and is only re-armed; r3 takes over after its 3804.6875 ms
    var took = t.r3().firstTransitionTo(MASTER, at(10_500));
    assertEquals(Reason.MASTER_DOWN, took.reason());
    assertEquals(t.r3().lastReceivedFrom(t.r1(), took.at()).at().plus(ms(3804.6875)), took.at());
    t.lan().assertAt(at(14_218.75), took.at(), 1, "r3 takes over");
    assertEquals(List.of(BACKUP), states(t.r2()));
    assertEquals(List.of(), t.r2().sent());
    assertEquals(Optional.of(t.r3().address()), t.r2().router().masterAddress());
    t.lan().assertSettled(t.r3());
  }

  @Scenario
  void backupInMaintenanceIgnoresTheMastersResignation(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r2().standby(true);
    t.r1().shutdown();
    t.lan().runUntil(at(20_000));

    // r2 would have waited 609.375 ms; r3 waits its own Skew_Time, 804.6875 ms
    var took = t.r3().firstTransitionTo(MASTER, at(10_500));
    assertEquals(Reason.MASTER_RESIGNED, took.reason());
    assertEquals(t.r3().lastReceivedFrom(t.r1(), took.at()).at().plus(ms(804.6875)), took.at());
    t.lan().assertAt(at(11_304.6875), took.at(), 1, "r3 takes over");
    assertEquals(List.of(BACKUP), states(t.r2()));
    assertEquals(List.of(), t.r2().sent());
    t.lan().assertSettled(t.r3());
  }

  @Scenario
  void leavingMaintenancePreemptsBackAfterTheMasterDownInterval(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r1().standby(true);
    t.lan().runUntil(at(20_000));
    t.lan().assertSettled(t.r2());

    t.r1().standby(false);
    assertEquals(List.of(BACKUP, MASTER, BACKUP), states(t.r1()));
    assertFalse(t.r1().router().standby());
    t.lan().runUntil(at(21_000));
    t.r1().standby(false); // repeated: does not restart the timer
    t.lan().runUntil(at(30_000));

    // no shortcut: it discards r2's lower adverts and preempts when its timer fires
    var took = t.r1().firstTransitionTo(MASTER, at(20_000));
    assertEquals(at(23_414.0625), took.at());
    assertEquals(Reason.PREEMPTED, took.reason());
    assertEquals(took.at(), t.r1().sentSince(at(20_000)).getFirst().at());
    var yielded = t.r2().firstTransitionTo(BACKUP, at(20_000));
    assertEquals(Reason.HIGHER_PRIORITY_MASTER, yielded.reason());
    t.lan().assertAt(took.at(), yielded.at(), 1, "r2 yields");
    assertEquals(List.of(BACKUP, MASTER, BACKUP, MASTER), states(t.r1()));
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void leavingMaintenanceWithoutPreemptStaysBackupUntilTheMasterDies(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2().nopreempt(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r1().standby(true);
    t.lan().runUntil(at(20_000));
    t.r1().standby(false);
    t.lan().runUntil(at(30_000));

    assertEquals(List.of(BACKUP, MASTER, BACKUP), states(t.r1()));
    t.lan().assertSettled(t.r2());

    // out of maintenance it is an ordinary backup again: it covers r2's crash
    t.r2().crash();
    t.lan().runUntil(at(40_000));
    var took = t.r1().firstTransitionTo(MASTER, at(30_000));
    assertEquals(Reason.MASTER_DOWN, took.reason());
    assertEquals(t.r1().lastReceivedFrom(t.r2(), took.at()).at().plus(ms(3414.0625)), took.at());
    // r2 advertises at 11109.375 + k s (one delivery late at most), last at 29109.375 ms
    t.lan().assertAt(at(32_523.4375), took.at(), 2, "r1 takes over");
    assertEquals(List.of(BACKUP), states(t.r3()));
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void maintenanceOnEveryRouterLeavesNoMaster(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r1().standby(true);
    t.r2().standby(true);
    t.r3().standby(true);
    t.lan().runUntil(at(30_000));

    assertEquals(List.of(), t.lan().masters());
    assertEquals(List.of(BACKUP, MASTER, BACKUP), states(t.r1()));
    assertEquals(List.of(BACKUP), states(t.r2()));
    assertEquals(List.of(BACKUP), states(t.r3()));
    assertEquals(1, t.r1().sentSince(at(10_500)).size(), "the priority-0 advert only");
    assertEquals(List.of(), t.r2().sent());
    assertEquals(List.of(), t.r3().sent());
    t.lan().assertSettled();

    // one node back: it takes over once Master_Down_Interval passes with nobody advertising; r1,
    // still in maintenance, does not preempt it
    t.r2().standby(false);
    t.lan().runUntil(at(40_000));
    var took = t.r2().firstTransitionTo(MASTER, at(30_000));
    assertEquals(
        new SimRouter.Transition(at(33_609.375), BACKUP, MASTER, Reason.MASTER_DOWN, 100), took);
    t.lan().assertSettled(t.r2());
  }

  @Scenario
  void maintenanceDuringFaultHoldsTheRouterInBackupWhenTheFaultClears(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.r1().fault("track_script dig");
    t.lan().runUntil(at(15_000));
    t.r1().standby(true);
    assertEquals(List.of(BACKUP, MASTER, FAULT), states(t.r1()));
    t.lan().runUntil(at(20_000));
    t.r1().clearFault();

    assertEquals(
        new SimRouter.Transition(at(20_000), FAULT, BACKUP, Reason.FAULT_CLEARED, 150),
        t.r1().lastTransition());
    t.lan().runUntil(at(30_000));
    // the fault cleared (it would preempt at 23414.0625 ms), but maintenance holds it
    assertEquals(List.of(BACKUP, MASTER, FAULT, BACKUP), states(t.r1()));
    assertEquals(1, t.r1().sentSince(at(10_500)).size(), "the priority-0 advert only");
    t.lan().assertSettled(t.r2());

    t.r1().standby(false);
    t.lan().runUntil(at(40_000));
    var took = t.r1().firstTransitionTo(MASTER, at(30_000));
    assertEquals(at(33_414.0625), took.at());
    assertEquals(Reason.PREEMPTED, took.reason());
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void maintenanceBeforeStartupStartsInBackupAndStaysThere(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var r1 = lan.add("r1", "192.0.2.11", 150, RouterSpec.v2());
    var r2 = lan.add("r2", "192.0.2.12", 100, RouterSpec.v2());
    r1.standby(true);
    lan.startAll();
    lan.runUntil(at(10_000));

    assertEquals(
        List.of(new SimRouter.Transition(T0, INITIALIZE, BACKUP, Reason.STARTUP, 150)),
        r1.transitions());
    assertEquals(List.of(), r1.sent());
    assertEquals(at(3609.375), r2.firstTransitionTo(MASTER, T0).at());
    lan.assertSettled(r2);
  }
}
