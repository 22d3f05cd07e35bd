package dev.floatip.vrrp;

import static dev.floatip.vrrp.State.BACKUP;
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

/**
 * Preemption (RFC 5798 §6.1 Preempt_Mode, §6.4.2): a higher-priority backup discards a lower
 * master's adverts and takes over when its own Master_Down_Timer fires; with {@code nopreempt} it
 * accepts them; with keepalived's {@code preempt_delay} it accepts them for that long first.
 *
 * <p>Common story: r1 (150) wins at 3414.0625 ms and crashes at 10.5 s; r2 (100) takes over at
 * 14023.4375 ms (+ one delivery) and advertises every second from then on; r1 comes back at 20 s.
 */
class PreemptionScenarioTest {

  private static List<State> states(SimRouter r) {
    return r.transitions().stream().map(SimRouter.Transition::to).toList();
  }

  private static Trio r2InChargeAfterR1Crashed(Jitter jitter, RouterSpec spec) {
    var t = Trio.elected(jitter, spec, at(10_000));
    t.lan().runUntil(at(10_500));
    t.r1().crash();
    t.lan().runUntil(at(20_000));
    t.lan().assertSettled(t.r2());
    t.lan()
        .assertAt(
            at(14_023.4375), t.r2().firstTransitionTo(MASTER, at(10_500)).at(), 1, "r2 took over");
    return t;
  }

  @Scenario
  void returningHigherPriorityRouterPreemptsWhenItsMasterDownTimerFires(Jitter jitter) {
    var t = r2InChargeAfterR1Crashed(jitter, RouterSpec.v2());
    t.r1().reboot();
    t.lan().runUntil(at(30_000));

    // r1 discards every advert of the lower master and takes over after its own 3414.0625 ms:
    // no shortcut (keepalived baseline, behaviour 5)
    var took = t.r1().firstTransitionTo(MASTER, at(20_000));
    assertEquals(at(23_414.0625), took.at());
    assertEquals(Reason.PREEMPTED, took.reason());
    // the old master gives the address up as soon as it hears r1: hitless, overlap < 1 delivery
    var yielded = t.r2().firstTransitionTo(BACKUP, at(20_000));
    assertEquals(Reason.HIGHER_PRIORITY_MASTER, yielded.reason());
    t.lan().assertAt(took.at(), yielded.at(), 1, "r2 yields");
    assertTrue(t.lan().severalHoldersTotal().compareTo(jitter.tolerance(1)) <= 0);
    assertEquals(List.of(BACKUP), states(t.r3()));
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void nopreemptHigherPriorityRouterStaysBackupUntilTheMasterGoes(Jitter jitter) {
    var t = r2InChargeAfterR1Crashed(jitter, RouterSpec.v2().nopreempt());
    t.r1().reboot();
    t.lan().runUntil(at(60_500));

    // RFC 5798 §6.4.2, Preempt_Mode False: the lower master's adverts are accepted
    assertEquals(BACKUP, t.r1().state());
    assertEquals(1, t.r1().transitionsSince(at(20_000)).size(), "only Initialize → Backup");
    t.lan().assertSettled(t.r2());

    t.r2().crash();
    t.lan().runUntil(at(70_000));
    var took = t.r1().firstTransitionTo(MASTER, at(60_500));
    assertEquals(t.r1().lastReceivedFrom(t.r2(), took.at()).at().plus(ms(3414.0625)), took.at());
    // r2 advertised at 14023.4375 + k s; the last one before the crash was at 60023.4375 ms
    t.lan().assertAt(at(63_437.5), took.at(), 2, "r1 takes over");
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void preemptDelayPostponesTheTakeoverByTheDelay(Jitter jitter) {
    var t = r2InChargeAfterR1Crashed(jitter, RouterSpec.v2().preemptDelay(ms(4_500)));
    t.r1().reboot();
    t.lan().runUntil(at(40_000));

    // keepalived preempt_delay: the lower master is tolerated for 4.5 s after r1 first hears it,
    // i.e. its adverts of ≈ 20023, 21023, 22023, 23023 and 24023 ms re-arm r1's timer; the rest
    // are discarded and r1 takes over 3414.0625 ms after the last one it accepted
    Instant first = t.r1().receivedFrom(t.r2()).getFirst().at();
    Instant lastAccepted =
        t.r1().receivedFrom(t.r2()).stream()
            .map(SimRouter.Received::at)
            .filter(at -> at.isBefore(first.plus(ms(4_500))))
            .reduce((a, b) -> b)
            .orElseThrow();
    var took = t.r1().firstTransitionTo(MASTER, at(20_000));
    assertEquals(Reason.PREEMPTED, took.reason());
    assertEquals(lastAccepted.plus(ms(3414.0625)), took.at());
    t.lan().assertAt(at(27_437.5), took.at(), 2, "r1 takes over");
    // without the delay it would have been 23414.0625 ms (the scenario above)
    assertTrue(took.at().isAfter(at(23_414.0625).plus(ms(4_000))));
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void preemptDelayDoesNotDelayAnElectionWithoutMaster(Jitter jitter) {
    var t = Trio.started(jitter, RouterSpec.v2().preemptDelay(Duration.ofSeconds(5)));
    t.lan().runUntil(at(10_000));

    assertEquals(at(3414.0625), t.r1().firstTransitionTo(MASTER, T0).at());
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void equalPriorityBackupWithAHigherAddressDoesNotPreempt(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var low = lan.add("low", "192.0.2.11", 100, RouterSpec.v2());
    var high = lan.add("high", "192.0.2.12", 100, RouterSpec.v2());
    low.start();
    lan.runUntil(at(5_000));
    high.start();
    lan.runUntil(at(60_000));

    // RFC 5798 §6.4.2: a backup accepts adverts "greater than or equal to the local Priority";
    // the address only breaks ties between two masters
    assertEquals(List.of(BACKUP), states(high));
    lan.assertSettled(low);
  }

  @Scenario
  void rebootedMasterPreemptsAtTenMilliseconds(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var spec = RouterSpec.v3(Duration.ofMillis(10));
    var r1 = lan.add("r1", "192.0.2.11", 150, spec);
    var r2 = lan.add("r2", "192.0.2.12", 100, spec);
    lan.startAll();
    lan.runUntil(at(100));
    r1.crash();
    lan.runUntil(at(200));
    lan.assertSettled(r2);
    r1.reboot();
    lan.runUntil(at(400));

    // 200 ms + 3 × 10 ms + 106/256 × 10 ms
    var took = r1.firstTransitionTo(MASTER, at(200));
    assertEquals(at(234.140625), took.at());
    lan.assertAt(took.at(), r2.firstTransitionTo(BACKUP, at(200)).at(), 1, "r2 yields");
    lan.assertSettled(r1);
  }
}
