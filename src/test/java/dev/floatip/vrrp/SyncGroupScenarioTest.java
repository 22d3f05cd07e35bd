package dev.floatip.vrrp;

import static dev.floatip.vrrp.State.BACKUP;
import static dev.floatip.vrrp.State.FAULT;
import static dev.floatip.vrrp.State.INITIALIZE;
import static dev.floatip.vrrp.State.MASTER;
import static dev.floatip.vrrp.sim.SimulatedLan.T0;
import static dev.floatip.vrrp.sim.SimulatedLan.at;
import static dev.floatip.vrrp.sim.SimulatedLan.ms;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.vrrp.sim.Jitter;
import dev.floatip.vrrp.sim.RouterSpec;
import dev.floatip.vrrp.sim.Scenario;
import dev.floatip.vrrp.sim.SimRouter;
import dev.floatip.vrrp.sim.SimulatedLan;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Sync groups (keepalived's {@code vrrp_sync_group}, the VirtualIP {@code syncGroup}) on the
 * simulated LAN: two hosts, each running VRID 1 (VIP 192.0.2.201) and VRID 2 (VIP 192.0.2.202),
 * VRRPv2 at 1 s, the two routers of a host in one group "web". Host a (192.0.2.11) runs both at
 * priority 150, host b (192.0.2.12) at 100.
 *
 * <p>Timings: at 150 Master_Down_Interval is 3414.0625 ms (Skew 414.0625 ms), at 100 3609.375 ms
 * (Skew 609.375 ms). a's two routers time out together at 3414.0625 ms and advertise at 3414.0625 +
 * k s from then on.
 */
class SyncGroupScenarioTest {

  private static final InetAddress VIP1 = RouterSpec.ip("192.0.2.201");
  private static final InetAddress VIP2 = RouterSpec.ip("192.0.2.202");
  private static final Duration SECOND = Duration.ofSeconds(1);

  /** The two hosts; {@code grouped} false is the control (the same routers, no group). */
  private record Hosts(SimulatedLan lan, SimRouter a1, SimRouter a2, SimRouter b1, SimRouter b2) {

    static Hosts started(Jitter jitter, boolean grouped) {
      var lan = new SimulatedLan(jitter);
      var vrid1 = RouterSpec.v2().vrid(1).vips("192.0.2.201");
      var vrid2 = RouterSpec.v2().vrid(2).vips("192.0.2.202");
      var h =
          new Hosts(
              lan,
              lan.add("a1", "192.0.2.11", 150, vrid1),
              lan.add("a2", "192.0.2.11", 150, vrid2),
              lan.add("b1", "192.0.2.12", 100, vrid1),
              lan.add("b2", "192.0.2.12", 100, vrid2));
      if (grouped) {
        lan.syncGroup("web", h.a1, h.a2);
        lan.syncGroup("web", h.b1, h.b2);
      }
      lan.startAll();
      return h;
    }

    /** Started, and a master of both by 10 s. */
    static Hosts elected(Jitter jitter) {
      var h = started(jitter, true);
      h.lan.runUntil(at(10_000));
      h.lan.assertSettled(h.a1, h.a2);
      return h;
    }

    List<SimRouter> a() {
      return List.of(a1, a2);
    }

    List<SimRouter> b() {
      return List.of(b1, b2);
    }
  }

  private static List<State> states(SimRouter r) {
    return r.transitions().stream().map(SimRouter.Transition::to).toList();
  }

  /** When both routers of a host became master after {@code since}; fails if not together. */
  private static Instant tookBoth(SimRouter r1, SimRouter r2, Instant since) {
    var t1 = r1.firstTransitionTo(MASTER, since);
    var t2 = r2.firstTransitionTo(MASTER, since);
    assertThat(t2.at()).as("the group becomes master at one instant").isEqualTo(t1.at());
    return t1.at();
  }

  private static List<String> groupChanges(SimulatedLan lan, SimRouter member) {
    return lan.groupTransitions(member).stream().map(g -> g.from() + "->" + g.to()).toList();
  }

  @Scenario
  void initialElectionMakesOneHostMasterOfBoth(Jitter jitter) {
    var h = Hosts.started(jitter, true);
    h.lan().runUntil(at(10_000));

    // a1 times out first (host order) and waits for a2, which times out at the same instant
    for (var r : h.a()) {
      assertThat(r.transitions())
          .containsExactly(
              new SimRouter.Transition(T0, INITIALIZE, BACKUP, Reason.STARTUP, 150),
              new SimRouter.Transition(at(3414.0625), BACKUP, MASTER, Reason.MASTER_DOWN, 150));
    }
    for (var r : h.b()) {
      assertThat(states(r)).as(r.name()).containsExactly(BACKUP);
      assertThat(r.router().followsMaster()).isTrue();
    }
    h.lan().assertSettled(h.a1(), h.a2());
    assertThat(h.a1().group().orElseThrow().state()).isEqualTo(MASTER);
    assertThat(h.b1().group().orElseThrow().state()).isEqualTo(BACKUP);
    assertThat(h.lan().severalHoldersEpisodes()).isZero();
  }

  @Scenario
  void faultOfOneMemberFaultsItsGroupAndThePeerGroupTakesBothAfterSkew(Jitter jitter) {
    var h = Hosts.elected(jitter);
    h.lan().runUntil(at(10_500));
    h.a1().fault("track_script dig");

    // both of a's routers resign with priority 0 at once and go silent
    for (var r : h.a()) {
      var sent = r.sentSince(at(10_500));
      assertThat(sent).as(r.name()).hasSize(1);
      assertThat(sent.getFirst().advertisement().priority()).isZero();
      assertThat(r.state()).isEqualTo(FAULT);
      assertThat(r.holds()).isEmpty();
    }
    assertThat(h.a1().lastTransition().reason()).isEqualTo(Reason.FAULT);
    assertThat(h.a2().lastTransition().reason()).isEqualTo(Reason.SYNC_GROUP);
    assertThat(h.a2().router().groupFaultCause())
        .isEqualTo("sync group web: " + h.a1() + " in FAULT (track_script dig)");
    assertThat(h.a2().router().fault()).as("not a2's own fault").isFalse();

    h.lan().runUntil(at(20_000));
    // each of b's routers waits Skew_Time after its priority 0; the group goes when both can
    var took = tookBoth(h.b1(), h.b2(), at(10_500));
    var lastZero =
        h.b1()
                .lastReceivedFrom(h.a1(), took)
                .at()
                .isAfter(h.b2().lastReceivedFrom(h.a2(), took).at())
            ? h.b1().lastReceivedFrom(h.a1(), took).at()
            : h.b2().lastReceivedFrom(h.a2(), took).at();
    assertThat(took).isEqualTo(lastZero.plus(ms(609.375)));
    h.lan().assertAt(at(11_109.375), took, 1, "b takes both over");
    for (var r : h.b()) {
      assertThat(r.firstTransitionTo(MASTER, at(10_500)).reason())
          .isEqualTo(Reason.MASTER_RESIGNED);
    }
    assertThat(h.a1().sentSince(at(10_500).plusNanos(1))).as("silent in FAULT").isEmpty();
    assertThat(h.a2().sentSince(at(10_500).plusNanos(1))).as("silent in FAULT").isEmpty();
    h.lan().assertSettled(h.b1(), h.b2());
    assertThat(h.lan().severalHoldersEpisodes()).as("never two holders").isZero();
    assertThat(groupChanges(h.lan(), h.a1())).endsWith("MASTER->FAULT");
    assertThat(groupChanges(h.lan(), h.b1())).endsWith("BACKUP->MASTER");
  }

  @Scenario
  void faultClearingReturnsTheGroupToBackupAndItPreemptsBackTogether(Jitter jitter) {
    var h = Hosts.elected(jitter);
    h.lan().runUntil(at(10_500));
    h.a2().fault("interface ens9 down");
    h.lan().runUntil(at(20_000));
    h.lan().assertSettled(h.b1(), h.b2());

    h.a2().clearFault();
    assertThat(h.a2().lastTransition())
        .isEqualTo(new SimRouter.Transition(at(20_000), FAULT, BACKUP, Reason.FAULT_CLEARED, 150));
    assertThat(h.a1().lastTransition())
        .isEqualTo(new SimRouter.Transition(at(20_000), FAULT, BACKUP, Reason.SYNC_GROUP, 150));

    h.lan().runUntil(at(30_000));
    // both discard b's adverts at 100 and time out together, never straight from FAULT
    for (var r : h.a()) {
      var took = r.firstTransitionTo(MASTER, at(20_000));
      assertThat(took.at()).isEqualTo(at(23_414.0625));
      assertThat(took.reason()).isEqualTo(Reason.PREEMPTED);
      assertThat(states(r)).containsExactly(BACKUP, MASTER, FAULT, BACKUP, MASTER);
    }
    // b steps down together on the first of a's adverts to arrive; a router its group sent to
    // Backup before it heard a itself resigns with priority 0 (a answers it at once)
    var first = h.b1().firstTransitionTo(BACKUP, at(20_000));
    var second = h.b2().firstTransitionTo(BACKUP, at(20_000));
    assertThat(List.of(first.reason(), second.reason()))
        .containsAnyOf(Reason.HIGHER_PRIORITY_MASTER);
    for (var r : h.b()) {
      var down = r.firstTransitionTo(BACKUP, at(20_000));
      h.lan().assertAt(at(23_414.0625), down.at(), 1, r.name() + " steps down");
      if (down.reason() == Reason.SYNC_GROUP) {
        assertThat(r.sentSince(down.at()).getFirst().advertisement().priority()).isZero();
      }
    }
    assertThat(first.at()).isEqualTo(second.at());
    h.lan().assertSettled(h.a1(), h.a2());
  }

  @Scenario
  void lossOfOneVridsAdvertsDoesNotSplitTheGroupAcrossHosts(Jitter jitter) {
    var h = Hosts.elected(jitter);
    h.lan().runUntil(at(10_500));
    // VRID 1's adverts from a no longer reach b; VRID 2 is fine
    h.lan().lose(p -> p.advertisement().vrid() == 1 && p.from() == h.a1());
    h.lan().runUntil(at(20_000));

    // b1's timer fired (3609.375 ms after a1's advert of 10414.0625 ms), but b2 still follows
    // a2: b1 waits, nobody moves, VIP 1 stays with a
    assertThat(h.b1().router().waitingForGroup()).isTrue();
    assertThat(h.b1().router().nextDeadline()).isEmpty();
    assertThat(h.b2().router().followsMaster()).isTrue();
    for (var r : h.b()) {
      assertThat(states(r)).as(r.name()).containsExactly(BACKUP);
      assertThat(r.sent()).as(r.name()).isEmpty();
    }
    h.lan().assertSettled(h.a1(), h.a2());
    assertThat(h.lan().severalHoldersEpisodes()).isZero();

    // the adverts come back: b1 follows a1 again
    h.lan().clearLoss();
    h.lan().runUntil(at(21_000));
    assertThat(h.b1().router().waitingForGroup()).isFalse();
    assertThat(h.b1().router().followsMaster()).isTrue();
    h.lan().runUntil(at(30_000));
    assertThat(states(h.b1())).containsExactly(BACKUP);
    h.lan().assertSettled(h.a1(), h.a2());
  }

  @Scenario
  void aGroupWaitingOnOneVridStillTakesBothWhenTheMasterHostDies(Jitter jitter) {
    var h = Hosts.elected(jitter);
    h.lan().lose(p -> p.advertisement().vrid() == 1 && p.from() == h.a1());
    h.lan().runUntil(at(20_000));
    assertThat(h.b1().router().waitingForGroup()).isTrue();
    h.a1().crash(); // the host: a2 goes with it
    assertThat(h.a2().powered()).isFalse();

    h.lan().runUntil(at(30_000));
    // b2 times out 3609.375 ms after a2's last advert (19414.0625 ms): b1 was waiting already
    var took = tookBoth(h.b1(), h.b2(), at(20_000));
    assertThat(took).isEqualTo(h.b2().lastReceivedFrom(h.a2(), at(20_000)).at().plus(ms(3609.375)));
    h.lan().assertAt(at(23_023.4375), took, 1, "b takes both over");
    assertThat(h.b1().firstTransitionTo(MASTER, at(20_000)).reason()).isEqualTo(Reason.MASTER_DOWN);
    h.lan().assertSettled(h.b1(), h.b2());
  }

  @Scenario
  void oneMemberOutrankingItsMasterIsNotEnoughTheGroupMovesWhenAllCan(Jitter jitter) {
    var h = Hosts.elected(jitter);
    h.lan().runUntil(at(10_500));
    h.b1().setPriority(200); // tracking (or an edited priority order) lifts b's VRID 1

    h.lan().runUntil(at(20_000));
    // b1 discards a1's adverts at 150 and times out (Master_Down_Interval at 200: 3218.75 ms
    // after the last one it accepted, 10414.0625 ms): it would preempt, but b2 follows a2
    assertThat(h.b1().router().waitingForGroup()).isTrue();
    assertThat(states(h.b1())).containsExactly(BACKUP);
    assertThat(h.b1().sent()).isEmpty();
    h.lan().assertSettled(h.a1(), h.a2());

    h.b2().setPriority(200); // now b outranks a on both
    h.lan().runUntil(at(30_000));
    // b2's timer, armed at a2's advert of 19414.0625 ms (at priority 100), no longer re-armed
    var took = tookBoth(h.b1(), h.b2(), at(20_000));
    assertThat(took).isEqualTo(h.b2().lastReceivedFrom(h.a2(), at(20_000)).at().plus(ms(3609.375)));
    h.lan().assertAt(at(23_023.4375), took, 1, "b preempts with both");
    for (var r : h.b()) {
      assertThat(r.firstTransitionTo(MASTER, at(20_000)).reason()).isEqualTo(Reason.PREEMPTED);
    }
    for (var r : h.a()) {
      h.lan().assertAt(took, r.firstTransitionTo(BACKUP, at(20_000)).at(), 1, r.name() + " yields");
    }
    h.lan().assertSettled(h.b1(), h.b2());
  }

  @Scenario
  void splitBrainHealsToOneHostMasterOfBoth(Jitter jitter) {
    var h = Hosts.elected(jitter);
    h.lan().runUntil(at(10_500));
    h.lan().partition(h.a(), h.b());
    h.lan().runUntil(at(19_900));
    // each side is master of both
    assertThat(h.lan().masters()).containsExactly(h.a1(), h.a2(), h.b1(), h.b2());
    h.lan().assertAt(at(14_023.4375), tookBoth(h.b1(), h.b2(), at(10_500)), 1, "b took over");

    h.lan().heal();
    var one =
        h.lan()
            .runUntil(
                () -> h.lan().masters().size() == 2,
                at(19_900).plus(SECOND).plus(jitter.tolerance(3)),
                "one host master of both after the heal");
    assertThat(h.lan().masters()).containsExactly(h.a1(), h.a2());
    // b's first advert after the heal (≈ 20023.4375 ms) crosses first; a answers, b yields
    h.lan().assertAt(at(20_023.4375), one, 3, "single master per VRID");
    for (var r : h.a()) {
      assertThat(states(r)).as(r.name() + " never stepped down").containsExactly(BACKUP, MASTER);
    }
    h.lan().runUntil(at(30_000));
    h.lan().assertSettled(h.a1(), h.a2());
  }

  @Scenario
  void gracefulShutdownOfTheMasterHostHandsBothOverAfterSkew(Jitter jitter) {
    var h = Hosts.elected(jitter);
    h.lan().runUntil(at(10_500));
    h.a1().shutdown();
    h.a2().shutdown();
    h.lan().runUntil(at(20_000));

    var took = tookBoth(h.b1(), h.b2(), at(10_500));
    h.lan().assertAt(at(11_109.375), took, 1, "b takes both over");
    assertThat(groupChanges(h.lan(), h.a1())).endsWith("MASTER->INITIALIZE");
    h.lan().assertSettled(h.b1(), h.b2());
  }

  @Scenario
  void maintenanceOfTheMasterHostResignsTheWholeGroupTogether(Jitter jitter) {
    var h = Hosts.elected(jitter);
    h.lan().runUntil(at(10_500));
    // the agent sets standby node-wide, one router after the other: the first takes the group
    h.a1().standby(true);
    for (var r : h.a()) {
      var sent = r.sentSince(at(10_500));
      assertThat(sent).as(r.name()).hasSize(1);
      assertThat(sent.getFirst().advertisement().priority()).isZero();
      assertThat(r.state()).isEqualTo(BACKUP);
      assertThat(r.holds()).isEmpty();
    }
    assertThat(h.a1().lastTransition().reason()).isEqualTo(Reason.MAINTENANCE);
    assertThat(h.a2().lastTransition())
        .isEqualTo(new SimRouter.Transition(at(10_500), MASTER, BACKUP, Reason.SYNC_GROUP, 150));
    h.a2().standby(true);
    assertThat(h.a2().sentSince(at(10_500))).hasSize(1);
    assertThat(groupChanges(h.lan(), h.a1())).endsWith("MASTER->BACKUP");

    h.lan().runUntil(at(30_000));
    var took = tookBoth(h.b1(), h.b2(), at(10_500));
    h.lan().assertAt(at(11_109.375), took, 1, "b takes both over");
    for (var r : h.a()) {
      assertThat(states(r)).as(r.name()).containsExactly(BACKUP, MASTER, BACKUP);
      assertThat(r.sentSince(at(10_500).plusNanos(1))).as(r.name()).isEmpty();
    }
    h.lan().assertSettled(h.b1(), h.b2());
    assertThat(h.lan().severalHoldersEpisodes()).as("never two holders").isZero();

    // back from maintenance: both time out together and preempt, no sooner
    h.a1().standby(false);
    h.a2().standby(false);
    h.lan().runUntil(at(40_000));
    assertThat(tookBoth(h.a1(), h.a2(), at(30_000))).isEqualTo(at(33_414.0625));
    for (var r : h.a()) {
      assertThat(r.firstTransitionTo(MASTER, at(30_000)).reason()).isEqualTo(Reason.PREEMPTED);
    }
    h.lan().assertSettled(h.a1(), h.a2());
  }

  @Scenario
  void oneMemberInMaintenanceHoldsTheWholeGroupInBackup(Jitter jitter) {
    var h = Hosts.elected(jitter);
    h.lan().runUntil(at(10_500));
    h.a2().standby(true);
    assertThat(h.a1().lastTransition())
        .isEqualTo(new SimRouter.Transition(at(10_500), MASTER, BACKUP, Reason.SYNC_GROUP, 150));
    assertThat(h.a1().sentSince(at(10_500)).getFirst().advertisement().priority()).isZero();

    h.lan().runUntil(at(20_000));
    h.lan().assertAt(at(11_109.375), tookBoth(h.b1(), h.b2(), at(10_500)), 1, "b takes both");
    // a1 discards b1's lower adverts and its timer fired (13914.0625 ms): it would preempt, but
    // a2 is in maintenance
    assertThat(h.a1().router().waitingForGroup()).isTrue();
    assertThat(h.a1().sentSince(at(10_500).plusNanos(1))).isEmpty();
    h.lan().assertSettled(h.b1(), h.b2());

    h.a2().standby(false);
    h.lan().runUntil(at(30_000));
    // a2's timer, restarted at 20 s, fires at 23414.0625 ms: now all can, the group preempts
    assertThat(tookBoth(h.a1(), h.a2(), at(20_000))).isEqualTo(at(23_414.0625));
    for (var r : h.a()) {
      assertThat(r.firstTransitionTo(MASTER, at(20_000)).reason()).isEqualTo(Reason.PREEMPTED);
    }
    h.lan().assertSettled(h.a1(), h.a2());
  }

  @Scenario
  void shuttingDownOneMemberIsNotAGroupEvent(Jitter jitter) {
    var h = Hosts.elected(jitter);
    h.lan().runUntil(at(10_500));
    h.a1().shutdown(); // VRID 1 removed from this node only

    h.lan().runUntil(at(20_000));
    // a2 stays master and a's group with it; b1 waits Skew_Time after a1's priority 0 and would
    // take VIP 1, but b2 follows a2: keepalived's rule (a group is master only if all its
    // members can be) leaves VIP 1 without a master while the hosts' groups disagree
    assertThat(states(h.a2())).containsExactly(BACKUP, MASTER);
    assertThat(h.a1().group().orElseThrow().state()).isEqualTo(MASTER);
    assertThat(h.b1().router().waitingForGroup()).isTrue();
    assertThat(h.lan().holdersOf(VIP1)).isEmpty();
    h.lan().assertSettled(h.a2());
  }

  @Scenario
  void withoutAGroupTheVirtualRoutersMoveIndependently(Jitter jitter) {
    var h = Hosts.started(jitter, false);
    h.lan().runUntil(at(10_000));
    h.lan().assertSettled(h.a1(), h.a2());
    h.lan().runUntil(at(10_500));
    h.a1().fault("track_script dig");
    h.lan().runUntil(at(20_000));

    // the control: only VRID 1 moves (after Skew_Time); a2 keeps VRID 2
    h.lan().assertAt(at(11_109.375), h.b1().firstTransitionTo(MASTER, T0).at(), 1, "b1 takes");
    assertThat(states(h.a2())).containsExactly(BACKUP, MASTER);
    assertThat(states(h.b2())).containsExactly(BACKUP);
    h.lan().assertSettled(h.b1(), h.a2());
    assertThat(h.lan().holdersOf(VIP2)).containsExactly(h.a2());

    // and a loss of VRID 2's adverts gives b VRID 2 as well, with two masters of VRID 2
    h.lan().lose(p -> p.advertisement().vrid() == 2);
    h.lan().runUntil(at(30_000));
    assertThat(h.lan().masters()).containsExactly(h.a2(), h.b1(), h.b2());
  }
}
