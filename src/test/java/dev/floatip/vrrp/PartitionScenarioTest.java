package dev.floatip.vrrp;

import static dev.floatip.vrrp.State.BACKUP;
import static dev.floatip.vrrp.State.MASTER;
import static dev.floatip.vrrp.sim.SimulatedLan.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * Partitions: each side elects its own master (split brain is what VRRP does when it cannot see);
 * when the segment heals, the first advert to cross settles it within one advertisement interval,
 * and the survivor re-announces the addresses so that neighbours that followed the loser's
 * announcements come back (keepalived #160/#166).
 *
 * <p>r1 (150) advertises at 3414.0625 + k s. Cut off from r1 after its advert of 10414.0625 ms, r2
 * (100) takes over at 14023.4375 ms and r3 (50) would at 14218.75 ms (+ one delivery each).
 */
class PartitionScenarioTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  private static List<State> states(SimRouter r) {
    return r.transitions().stream().map(SimRouter.Transition::to).toList();
  }

  /** Runs from the heal until one master remains; asserts that takes at most one interval. */
  private static Instant oneMasterWithinOneInterval(SimulatedLan lan, Instant healed) {
    return lan.runUntil(
        () -> lan.masters().size() == 1,
        healed.plus(SECOND).plus(lan.jitter().tolerance(1)),
        "a single master after the heal");
  }

  private static Trio twoMasters(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.lan().partition(List.of(t.r1()), List.of(t.r2(), t.r3()));
    t.lan().runUntil(at(19_000));
    assertEquals(List.of(t.r1(), t.r2()), t.lan().masters(), "one master per side");
    t.lan()
        .assertAt(
            at(14_023.4375), t.r2().firstTransitionTo(MASTER, at(10_500)).at(), 1, "r2 took over");
    assertEquals(2, t.lan().holdersOf(RouterSpec.ip("192.0.2.200")).size());
    return t;
  }

  @Scenario
  void healAfterSplitBrainKeepsTheHigherMasterWhenTheLowerSpeaksFirst(Jitter jitter) {
    var t = twoMasters(jitter);
    t.lan().runUntil(at(20_000));
    t.lan().heal();
    var one = oneMasterWithinOneInterval(t.lan(), at(20_000));

    // r2's advert of ≈ 20023.4375 ms crosses first; r1 answers it at once and re-announces, r2
    // steps down on the answer
    t.lan().assertAt(at(20_023.4375), one, 3, "single master");
    var yielded = t.r2().firstTransitionTo(BACKUP, at(20_000));
    assertEquals(Reason.HIGHER_PRIORITY_MASTER, yielded.reason());
    assertEquals(List.of(State.BACKUP, MASTER), states(t.r1()), "r1 never stepped down");
    var reannounced = t.r1().announcementsSince(at(20_000));
    assertFalse(reannounced.isEmpty(), "the survivor re-announces");
    t.lan().assertAt(at(20_023.4375), reannounced.getFirst().at(), 2, "r1 re-announces");
    t.lan().runUntil(at(30_000));
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void healAfterSplitBrainKeepsTheHigherMasterWhenTheHigherSpeaksFirst(Jitter jitter) {
    var t = twoMasters(jitter);
    t.lan().runUntil(at(20_100));
    t.lan().heal();
    var one = oneMasterWithinOneInterval(t.lan(), at(20_100));

    // r1's periodic advert of 20414.0625 ms crosses first: r2 steps down on it
    t.lan().assertAt(at(20_414.0625), one, 1, "single master");
    var yielded = t.r2().firstTransitionTo(BACKUP, at(20_100));
    assertEquals(Reason.HIGHER_PRIORITY_MASTER, yielded.reason());
    // r1 heard nothing from r2 while split, yet must re-announce: neighbours may still point
    // at r2, whose announcements were the latest they saw. r2's last advert, sent as it steps
    // down, tells r1 (two deliveries after r1's advert)
    t.lan().runUntil(at(30_000));
    var reannounced = t.r1().announcementsSince(at(20_100));
    assertFalse(reannounced.isEmpty(), "the survivor re-announces");
    var lastWords = t.r2().sentSince(yielded.at());
    assertEquals(100, lastWords.getFirst().advertisement().priority());
    assertEquals(yielded.at(), lastWords.getFirst().at());
    t.lan().assertAt(at(20_414.0625), reannounced.getFirst().at(), 2, "r1 re-announces");
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void threeWaySplitHealsToTheHighestPriority(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.lan().partition(List.of(t.r1()), List.of(t.r2()), List.of(t.r3()));
    t.lan().runUntil(at(20_100));
    assertEquals(List.of(t.r1(), t.r2(), t.r3()), t.lan().masters());
    t.lan()
        .assertAt(
            at(14_218.75), t.r3().firstTransitionTo(MASTER, at(10_500)).at(), 1, "r3 took over");
    t.lan().heal();
    var one = oneMasterWithinOneInterval(t.lan(), at(20_100));

    // r3's advert of ≈ 20218.75 ms crosses first: r1 and r2 both answer it; r3 yields to the
    // first answer, r2 to r1's
    t.lan().assertAt(at(20_218.75), one, 3, "single master");
    assertEquals(List.of(State.BACKUP, MASTER), states(t.r1()));
    t.lan().runUntil(at(30_000));
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void isolatedBackupBecomesMasterAndYieldsWhenItRejoins(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.lan().partition(List.of(t.r1(), t.r2()), List.of(t.r3()));
    t.lan().runUntil(at(20_000));
    assertEquals(List.of(t.r1(), t.r3()), t.lan().masters());
    assertEquals(List.of(BACKUP), states(t.r2()), "r2 still hears r1");
    t.lan().heal();
    var one = oneMasterWithinOneInterval(t.lan(), at(20_000));

    // whichever crosses first, r1's advert of 20414.0625 ms at the latest
    assertTrue(!one.isAfter(at(20_414.0625).plus(jitter.tolerance(1))));
    t.lan().runUntil(at(30_000));
    assertEquals(List.of(BACKUP), states(t.r2()));
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void oneWayLossKeepsTwoMastersOnlyUntilTheLinkRecovers(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    // r2 stops hearing r1, but r1 (and r3) still hear r2
    t.lan().lose(p -> p.from() == t.r1() && p.to() == t.r2());
    t.lan().runUntil(at(20_000));

    // r2 takes over; r1 answers each of r2's adverts (the answers are lost) and re-announces,
    // r3 hears both masters and stays Backup
    assertEquals(List.of(t.r1(), t.r2()), t.lan().masters());
    assertTrue(t.r1().announcementsSince(at(14_000)).size() >= 5);
    assertEquals(List.of(BACKUP), states(t.r3()));
    t.lan().clearLoss();
    var one = oneMasterWithinOneInterval(t.lan(), at(20_000));

    t.lan().assertAt(at(20_023.4375), one, 3, "single master");
    t.lan().runUntil(at(30_000));
    t.lan().assertSettled(t.r1());
  }

  @Scenario
  void partitionShorterThanTheMasterDownIntervalChangesNothing(Jitter jitter) {
    var t = Trio.elected(jitter, RouterSpec.v2(), at(10_000));
    t.lan().runUntil(at(10_500));
    t.lan().partition(List.of(t.r1()), List.of(t.r2(), t.r3()));
    // r2's timer runs until 14023.4375 ms; r1's advert of 13414.0625 ms arrives in time
    t.lan().runUntil(at(13_000));
    t.lan().heal();
    t.lan().runUntil(at(30_000));

    for (var r : List.of(t.r2(), t.r3())) {
      assertEquals(List.of(BACKUP), states(r), r.name());
    }
    assertEquals(Set.of(), Set.copyOf(t.r2().announcements()));
    t.lan().assertSettled(t.r1());
  }
}
