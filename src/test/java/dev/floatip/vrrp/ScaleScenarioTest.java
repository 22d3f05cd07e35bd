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
import java.time.Duration;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * The most routers one VRID can have on a segment: 255 (IPv6 link-local fe80::1 … fe80::ff, VRRPv3
 * at 1 s). Priorities 1..254 leave the top two tied at 254 (Master_Down_Interval 3 s + 2/256 s =
 * 3007.8125 ms), which the higher address wins.
 */
class ScaleScenarioTest {

  private static final int ROUTERS = 255;

  private static List<SimRouter> attach(SimulatedLan lan, IntUnaryOperator priority) {
    var spec = RouterSpec.v3ipv6(Duration.ofSeconds(1));
    return java.util.stream.IntStream.rangeClosed(1, ROUTERS)
        .mapToObj(
            i ->
                lan.add(
                    "fe80::" + Integer.toHexString(i),
                    "fe80::" + Integer.toHexString(i),
                    priority.applyAsInt(i),
                    spec))
        .toList();
  }

  private static List<State> states(SimRouter r) {
    return r.transitions().stream().map(SimRouter.Transition::to).toList();
  }

  @Scenario
  void twoHundredFiftyFiveRoutersElectExactlyOneMaster(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var routers = attach(lan, i -> Math.min(i, 254));
    lan.startAll();
    lan.runUntil(at(10_000));

    var top = routers.get(254); // fe80::ff
    var runnerUp = routers.get(253); // fe80::fe, also 254
    assertEquals(at(3007.8125), top.firstTransitionTo(MASTER, T0).at());
    assertEquals(at(3007.8125), runnerUp.firstTransitionTo(MASTER, T0).at());
    lan.assertAt(
        at(3007.8125), runnerUp.firstTransitionTo(BACKUP, at(3000)).at(), 1, "fe80::fe yields");
    for (var r : routers.subList(0, 253)) {
      assertEquals(List.of(BACKUP), states(r), r.name());
    }
    lan.assertSettled(top);
  }

  @Scenario
  void masterCrashAmong255HandsOverToTheNextHighest(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var routers = attach(lan, i -> Math.min(i, 254));
    lan.startAll();
    lan.runUntil(at(10_500));
    var top = routers.get(254);
    lan.assertSettled(top);
    top.crash();
    lan.runUntil(at(20_000));

    // fe80::fe (254) waits 3007.8125 ms from top's last advert; fe80::fd (253) would wait
    // 3011.71875 ms and hears fe80::fe first. Top's adverts run at 3107.8125 ms + k s: in the
    // election it answered fe80::fe's advert at once and its step-down advert a tenth of an
    // interval later (VirtualRouter's answer holdoff), which restarted its Adver_Timer.
    var next = routers.get(253);
    var last = top.lastSentBefore(at(10_500)).at();
    lan.assertAt(at(10_107.8125), last, 1, "top's last advert");
    var took = next.firstTransitionTo(MASTER, at(10_500));
    assertEquals(next.lastReceivedFrom(top, took.at()).at().plus(ms(3007.8125)), took.at());
    lan.assertAt(last.plus(ms(3007.8125)), took.at(), 1, "fe80::fe takes over");
    for (var r : routers.subList(0, 253)) {
      assertEquals(List.of(BACKUP), states(r), r.name());
    }
    lan.assertSettled(next);
  }

  @Scenario
  void twoHundredFiftyFiveRoutersAtEqualPriorityElectTheHighestAddress(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var routers = attach(lan, i -> 100);
    lan.startAll();
    lan.runUntil(at(10_000));

    // every timer fires at 3609.375 ms: 255 masters for one delivery, then RFC 5798 §6.4.3's
    // address tie-break leaves fe80::ff
    for (var r : routers) {
      assertEquals(at(3609.375), r.firstTransitionTo(MASTER, T0).at(), r.name());
    }
    var top = routers.get(254);
    assertEquals(List.of(BACKUP, MASTER), states(top));
    // no answer storm: each loser sent its advert, at most one answer, and its step-down advert
    // (answering every lower master would be ~32 000 multicasts, ~8 million deliveries)
    for (var r : routers.subList(0, 254)) {
      assertTrue(r.sent().size() <= 3, r.name() + " sent " + r.sent().size());
    }
    assertTrue(lan.deliveries() < 4L * ROUTERS * (ROUTERS - 1), lan.deliveries() + " deliveries");
    lan.assertSettled(top);
  }
}
