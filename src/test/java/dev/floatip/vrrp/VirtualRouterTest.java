package dev.floatip.vrrp;

import static dev.floatip.vrrp.sim.RouterSpec.ip;
import static dev.floatip.vrrp.sim.SimulatedLan.T0;
import static dev.floatip.vrrp.sim.SimulatedLan.at;
import static dev.floatip.vrrp.sim.SimulatedLan.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floatip.vrrp.Action.AddAddresses;
import dev.floatip.vrrp.Action.AddressListMismatch;
import dev.floatip.vrrp.Action.AnnounceAddresses;
import dev.floatip.vrrp.Action.RemoveAddresses;
import dev.floatip.vrrp.Action.SendAdvertisement;
import dev.floatip.vrrp.Action.StateChanged;
import dev.floatip.vrrp.Action.StopAnnouncing;
import dev.floatip.vrrp.Input.AdvertisementReceived;
import dev.floatip.vrrp.Input.ConfigChanged;
import dev.floatip.vrrp.Input.FaultChanged;
import dev.floatip.vrrp.Input.PriorityChanged;
import dev.floatip.vrrp.Input.Shutdown;
import dev.floatip.vrrp.Input.Standby;
import dev.floatip.vrrp.Input.Startup;
import dev.floatip.vrrp.Input.SyncGroupBackup;
import dev.floatip.vrrp.Input.SyncGroupFault;
import dev.floatip.vrrp.Input.SyncGroupMaster;
import dev.floatip.vrrp.Input.SyncGroupMembership;
import dev.floatip.vrrp.Input.TimerFired;
import dev.floatip.vrrp.sim.RouterSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One router, inputs in, exact actions out (RFC 5798 §6, plus the rules in its Javadoc). */
class VirtualRouterTest {

  private static final InetAddress SELF = ip("192.0.2.11");
  private static final InetAddress PEER = ip("192.0.2.12");
  private static final InetAddress LOWER_PEER = ip("192.0.2.10");
  private static final InetAddress GROUP = ip("224.0.0.18");
  private static final InetAddress VIP = ip("192.0.2.200");
  private static final InetAddress VIP2 = ip("192.0.2.201");
  private static final Duration SECOND = Duration.ofSeconds(1);

  private static VirtualRouter router(RouterSpec spec, int priority) {
    return new VirtualRouter(spec.config(SELF), priority);
  }

  private static Advertisement adv(VrrpVersion version, int priority, Duration interval) {
    return new Advertisement(
        version, RouterSpec.VRID, priority, interval, List.of(VIP), Authentication.NONE);
  }

  private static Advertisement v2(int priority) {
    return adv(VrrpVersion.V2, priority, SECOND);
  }

  private static AdvertisementReceived from(InetAddress source, Instant at, Advertisement adv) {
    return new AdvertisementReceived(at, source, 255, adv);
  }

  private static SendAdvertisement send(int priority, List<InetAddress> vips) {
    return new SendAdvertisement(
        new Advertisement(
            VrrpVersion.V2, RouterSpec.VRID, priority, SECOND, vips, Authentication.NONE),
        List.of(GROUP));
  }

  /** Started at T0 and master at 3414.0625 ms (priority 150, v2, 1 s). */
  private static VirtualRouter master() {
    VirtualRouter r = router(RouterSpec.v2(), 150);
    r.handle(new Startup(T0));
    r.handle(new TimerFired(at(3414.0625)));
    assertEquals(State.MASTER, r.state());
    return r;
  }

  // ---- timer arithmetic: RFC 5798 §6.1 (v3), RFC 3768 §6.1 (v2: the skew unit is one second)

  @ParameterizedTest(name = "{0} at {1} ms, priority {2}: skew {3} ms, master down {4} ms")
  @CsvSource({
    "V2, 1000, 1,   996.09375, 3996.09375",
    "V2, 1000, 100, 609.375,   3609.375",
    "V2, 1000, 254, 7.8125,    3007.8125",
    "V2, 3000, 100, 609.375,   9609.375",
    "V3, 1000, 1,   996.09375, 3996.09375",
    "V3, 1000, 100, 609.375,   3609.375",
    "V3, 1000, 254, 7.8125,    3007.8125",
    "V3, 100,  1,   99.609375, 399.609375",
    "V3, 100,  100, 60.9375,   360.9375",
    "V3, 100,  254, 0.78125,   300.78125",
    "V3, 10,   1,   9.960937,  39.960937", // 9.9609375 ms: the half nanosecond is dropped
    "V3, 10,   100, 6.09375,   36.09375",
    "V3, 10,   254, 0.078125,  30.078125",
  })
  void skewAndMasterDownInterval(
      VrrpVersion version, long intervalMs, int priority, double skew, double masterDown) {
    Duration interval = Duration.ofMillis(intervalMs);
    RouterSpec spec =
        version == VrrpVersion.V2 ? RouterSpec.v2().interval(interval) : RouterSpec.v3(interval);
    VirtualRouter r = router(spec, priority);
    assertEquals(ms(skew), r.skewTime());
    assertEquals(ms(masterDown), r.masterDownInterval());
    // and the Startup event arms exactly that
    r.handle(new Startup(T0));
    assertEquals(Optional.of(at(masterDown)), r.nextDeadline());
  }

  // ---- Initialize, Backup, Master

  @Test
  void startupGoesToBackupAndArmsMasterDown() {
    VirtualRouter r = router(RouterSpec.v2(), 150);
    assertEquals(
        List.of(new StateChanged(T0, State.INITIALIZE, State.BACKUP, Reason.STARTUP, 150)),
        r.handle(new Startup(T0)));
    assertEquals(Optional.of(at(3414.0625)), r.deadline(Timer.MASTER_DOWN));
    assertEquals(List.of(), r.handle(new Startup(at(1))), "a second Startup is ignored");
  }

  @Test
  void timerFiredEarlyDoesNothing() {
    VirtualRouter r = router(RouterSpec.v2(), 150);
    r.handle(new Startup(T0));
    assertEquals(List.of(), r.handle(new TimerFired(at(3414.0625).minusNanos(1))));
    assertEquals(State.BACKUP, r.state());
  }

  @Test
  void masterDownTimerMakesMaster() {
    VirtualRouter r = router(RouterSpec.v2(), 150);
    r.handle(new Startup(T0));
    assertEquals(
        List.of(
            new AddAddresses(List.of(VIP)),
            new AnnounceAddresses(List.of(VIP)),
            send(150, List.of(VIP)),
            new StateChanged(at(3414.0625), State.BACKUP, State.MASTER, Reason.MASTER_DOWN, 150)),
        r.handle(new TimerFired(at(3414.0625))));
    assertEquals(Optional.of(at(4414.0625)), r.nextDeadline());
    assertEquals(Optional.of(SELF), r.masterAddress());
    assertEquals(List.of(send(150, List.of(VIP))), r.handle(new TimerFired(at(4414.0625))));
    assertEquals(Optional.of(at(5414.0625)), r.nextDeadline());
  }

  @Test
  void backupFollowsHigherAndEqualMastersAndDiscardsLowerOnes() {
    VirtualRouter r = router(RouterSpec.v2(), 100);
    r.handle(new Startup(T0));
    assertEquals(List.of(), r.handle(from(PEER, at(500), v2(150))));
    assertEquals(Optional.of(at(4109.375)), r.nextDeadline());
    assertEquals(Optional.of(PEER), r.masterAddress());
    assertEquals(List.of(), r.handle(from(PEER, at(1500), v2(100))), "equal is accepted");
    assertEquals(Optional.of(at(5109.375)), r.nextDeadline());
    // RFC 5798 §6.4.2: Preempt_Mode and a lower priority: discard
    assertEquals(List.of(), r.handle(from(PEER, at(2500), v2(99))));
    assertEquals(Optional.of(at(5109.375)), r.nextDeadline());
    assertEquals(
        List.of(
            new AddAddresses(List.of(VIP)),
            new AnnounceAddresses(List.of(VIP)),
            send(100, List.of(VIP)),
            new StateChanged(at(5109.375), State.BACKUP, State.MASTER, Reason.PREEMPTED, 100)),
        r.handle(new TimerFired(at(5109.375))));
  }

  @Test
  void nopreemptBackupFollowsALowerMaster() {
    VirtualRouter r = router(RouterSpec.v2().nopreempt(), 200);
    r.handle(new Startup(T0));
    r.handle(from(PEER, at(500), v2(100)));
    assertEquals(Optional.of(at(500 + 3000 + 218.75)), r.nextDeadline());
  }

  @Test
  void backupWaitsOnlySkewAfterPriorityZero() {
    VirtualRouter r = router(RouterSpec.v2(), 100);
    r.handle(new Startup(T0));
    r.handle(from(PEER, at(500), v2(150)));
    assertEquals(List.of(), r.handle(from(PEER, at(1200), v2(0))));
    assertEquals(Optional.of(at(1809.375)), r.nextDeadline());
    assertEquals(
        Reason.MASTER_RESIGNED,
        r.handle(new TimerFired(at(1809.375))).stream()
            .filter(StateChanged.class::isInstance)
            .map(a -> ((StateChanged) a).reason())
            .findFirst()
            .orElseThrow());
  }

  @Test
  void v3BackupAdoptsTheAdvertisedIntervalForBothTimers() {
    VirtualRouter r = router(RouterSpec.v3(SECOND), 100);
    r.handle(new Startup(T0));
    r.handle(from(PEER, at(100), adv(VrrpVersion.V3, 150, Duration.ofMillis(100))));
    assertEquals(Duration.ofMillis(100), r.masterAdverInterval());
    assertEquals(Optional.of(at(460.9375)), r.nextDeadline());
    r.handle(from(PEER, at(200), adv(VrrpVersion.V3, 0, Duration.ofMillis(100))));
    assertEquals(Optional.of(at(260.9375)), r.nextDeadline(), "skew of the adopted interval");
  }

  @Test
  void masterStepsDownForAHigherAdvertAfterOneLastAdvert() {
    VirtualRouter r = master();
    assertEquals(
        List.of(
            send(150, List.of(VIP)),
            new StopAnnouncing(),
            new RemoveAddresses(List.of(VIP)),
            new StateChanged(
                at(5000), State.MASTER, State.BACKUP, Reason.HIGHER_PRIORITY_MASTER, 150)),
        r.handle(from(PEER, at(5000), v2(200))));
    assertEquals(Optional.of(at(5000 + 3414.0625)), r.nextDeadline());
    assertEquals(Optional.empty(), r.deadline(Timer.ADVERTISEMENT));
    assertEquals(Optional.of(PEER), r.masterAddress());
  }

  @Test
  void equalPriorityTieIsBrokenByThePrimaryAddress() {
    VirtualRouter r = master();
    // lower address, same priority: we win and answer
    assertEquals(
        List.of(send(150, List.of(VIP)), new AnnounceAddresses(List.of(VIP))),
        r.handle(from(LOWER_PEER, at(5000), v2(150))));
    assertEquals(State.MASTER, r.state());
    // higher address, same priority: RFC 5798 §6.4.3, we step down
    r.handle(from(PEER, at(6000), v2(150)));
    assertEquals(State.BACKUP, r.state());
  }

  @Test
  void masterAnswersLowerAdvertsAtOnceThenAtMostOncePerTenthOfTheInterval() {
    VirtualRouter r = master();
    var answer = List.of(send(150, List.of(VIP)), new AnnounceAddresses(List.of(VIP)));
    assertEquals(answer, r.handle(from(LOWER_PEER, at(5000), v2(100))));
    assertEquals(Optional.of(at(6000)), r.nextDeadline(), "the answer restarts the Adver_Timer");
    // a burst within 100 ms: one trailing answer when the holdoff ends
    assertEquals(List.of(), r.handle(from(LOWER_PEER, at(5010), v2(100))));
    assertEquals(List.of(), r.handle(from(ip("192.0.2.9"), at(5050), v2(90))));
    assertEquals(Optional.of(at(5100)), r.nextDeadline());
    assertEquals(answer, r.handle(new TimerFired(at(5100))));
    assertEquals(Optional.of(at(6100)), r.nextDeadline());
    // after the holdoff, at once again, and the announcement once more with the next advert
    assertEquals(answer, r.handle(from(LOWER_PEER, at(5200), v2(100))));
    assertEquals(answer, r.handle(new TimerFired(at(6200))));
    // an ordinary periodic advert does not announce
    assertEquals(List.of(send(150, List.of(VIP))), r.handle(new TimerFired(at(7200))));
  }

  @Test
  void masterAnswersPriorityZeroWithAnAdvert() {
    VirtualRouter r = master();
    assertEquals(List.of(send(150, List.of(VIP))), r.handle(from(PEER, at(5000), v2(0))));
    assertEquals(Optional.of(at(6000)), r.nextDeadline());
  }

  /**
   * Issue 12 item 4: forged priority-0 adverts were answered 1:1 (an amplifier). 10,000 in 10 s now
   * get at most one answer per holdoff (a tenth of the interval) plus the periodic adverts, while
   * the first (a genuine resignation) is still answered at once.
   */
  @Test
  void aFloodOfPriorityZeroAdvertsIsAnsweredAtMostOncePerHoldoff() {
    VirtualRouter r = master();
    assertEquals(
        List.of(send(150, List.of(VIP))),
        r.handle(from(PEER, at(5000), v2(0))),
        "a genuine resignation is answered at once");
    int sent = 1;
    Duration flood = Duration.ofSeconds(10);
    int adverts = 10_000;
    Instant start = at(5000);
    for (int i = 1; i < adverts; i++) {
      Instant now = start.plus(flood.multipliedBy(i).dividedBy(adverts));
      Optional<Instant> due = r.nextDeadline();
      if (due.isPresent() && !now.isBefore(due.get())) {
        sent += sends(r.handle(new TimerFired(due.get())));
      }
      sent += sends(r.handle(from(PEER, now, v2(0))));
    }
    long holdoffs = flood.dividedBy(SECOND.dividedBy(VirtualRouter.ANSWER_HOLDOFF_FRACTION));
    long periodic = flood.dividedBy(SECOND);
    assertTrue(sent <= holdoffs + periodic + 1, "adverts sent: " + sent);
    assertTrue(sent >= holdoffs / 2, "still answered, once per holdoff: " + sent);
    assertEquals(State.MASTER, r.state());
  }

  private static int sends(List<Action> actions) {
    return (int) actions.stream().filter(a -> a instanceof SendAdvertisement).count();
  }

  @Test
  void shutdownAsMasterResignsWithPriorityZero() {
    VirtualRouter r = master();
    assertEquals(
        List.of(
            send(0, List.of(VIP)),
            new StopAnnouncing(),
            new RemoveAddresses(List.of(VIP)),
            new StateChanged(at(5000), State.MASTER, State.INITIALIZE, Reason.SHUTDOWN, 150)),
        r.handle(new Shutdown(at(5000))));
    assertEquals(Optional.empty(), r.nextDeadline());
    assertEquals(1, r.counters().priorityZeroSent());
  }

  @Test
  void shutdownAsBackupIsSilent() {
    VirtualRouter r = router(RouterSpec.v2(), 100);
    r.handle(new Startup(T0));
    assertEquals(
        List.of(new StateChanged(at(1), State.BACKUP, State.INITIALIZE, Reason.SHUTDOWN, 100)),
        r.handle(new Shutdown(at(1))));
    assertEquals(Optional.empty(), r.nextDeadline());
  }

  // ---- standby (node maintenance)

  @Test
  void standbyAsMasterResignsWithPriorityZeroToBackupAndRepeatingItDoesNothing() {
    VirtualRouter r = master();
    assertEquals(
        List.of(
            send(0, List.of(VIP)),
            new StopAnnouncing(),
            new RemoveAddresses(List.of(VIP)),
            new StateChanged(at(5000), State.MASTER, State.BACKUP, Reason.MAINTENANCE, 150)),
        r.handle(new Standby(at(5000), true)));
    assertTrue(r.standby());
    assertEquals(Optional.of(at(5000 + 3414.0625)), r.nextDeadline());
    assertEquals(List.of(), r.handle(new Standby(at(5001), true)));
    assertEquals(Optional.of(at(5000 + 3414.0625)), r.nextDeadline());
    assertEquals(1, r.counters().priorityZeroSent());
  }

  @Test
  void standbyBackupRearmsMasterDownSilentlyAndFollowsALowerMaster() {
    VirtualRouter r = router(RouterSpec.v2(), 150);
    r.handle(new Startup(T0));
    assertEquals(List.of(), r.handle(new Standby(at(1), true)));
    assertEquals(List.of(), r.handle(new TimerFired(at(3414.0625))));
    assertEquals(State.BACKUP, r.state());
    assertEquals(Optional.of(at(2 * 3414.0625)), r.nextDeadline());
    // a lower master is followed, not discarded to preempt; its resignation changes nothing
    assertEquals(List.of(), r.handle(from(PEER, at(4000), v2(100))));
    assertEquals(Optional.of(PEER), r.masterAddress());
    assertTrue(r.followsMaster());
    assertEquals(Optional.of(at(4000 + 3414.0625)), r.nextDeadline());
    assertEquals(List.of(), r.handle(from(PEER, at(5000), v2(0))));
    assertEquals(List.of(), r.handle(new TimerFired(at(5414.0625))));
    assertEquals(State.BACKUP, r.state());
    assertEquals(Optional.empty(), r.masterAddress());
    assertEquals(Optional.of(at(5414.0625 + 3414.0625)), r.nextDeadline());
  }

  @Test
  void leavingStandbyRestartsMasterDownFromThenAndRepeatingItDoesNothing() {
    VirtualRouter r = router(RouterSpec.v2(), 150);
    r.handle(new Startup(T0));
    r.handle(new Standby(at(1), true));
    r.handle(from(PEER, at(1000), v2(100)));
    assertEquals(List.of(), r.handle(new Standby(at(1500), false)));
    assertFalse(r.standby());
    assertEquals(Optional.of(at(1500 + 3414.0625)), r.nextDeadline());
    assertEquals(List.of(), r.handle(new Standby(at(1600), false)));
    // the lower master's next advert is discarded: we preempt when the timer fires
    assertEquals(List.of(), r.handle(from(PEER, at(2000), v2(100))));
    assertEquals(Optional.of(at(1500 + 3414.0625)), r.nextDeadline());
    List<Action> took = r.handle(new TimerFired(at(1500 + 3414.0625)));
    assertEquals(
        new StateChanged(at(1500 + 3414.0625), State.BACKUP, State.MASTER, Reason.PREEMPTED, 150),
        took.getLast());
  }

  @Test
  void standbyInFaultOrBeforeStartupIsRecordedAndHoldsTheRouterInBackup() {
    VirtualRouter r = router(RouterSpec.v2(), 150);
    assertEquals(List.of(), r.handle(new Standby(T0, true)));
    r.handle(new FaultChanged(T0, true, "link"));
    r.handle(new Startup(T0));
    assertEquals(State.FAULT, r.state());
    assertEquals(
        List.of(new StateChanged(at(1), State.FAULT, State.BACKUP, Reason.FAULT_CLEARED, 150)),
        r.handle(new FaultChanged(at(1), false, "")));
    assertEquals(List.of(), r.handle(new TimerFired(at(1 + 3414.0625))));
    assertEquals(State.BACKUP, r.state());
    assertTrue(r.standby());
  }

  @Test
  void standbyEndsTheWaitForTheGroupAndTheGroupCannotMakeItMaster() {
    VirtualRouter r = router(RouterSpec.v2(), 150);
    r.handle(new SyncGroupMembership(T0, "web"));
    r.handle(new Startup(T0));
    r.handle(new TimerFired(at(3414.0625)));
    assertTrue(r.waitingForGroup());
    assertEquals(List.of(), r.handle(new Standby(at(4000), true)));
    assertFalse(r.waitingForGroup());
    assertEquals(Optional.of(at(4000 + 3414.0625)), r.nextDeadline());
    assertEquals(List.of(), r.handle(new SyncGroupMaster(at(4001))));
    assertEquals(List.of(), r.handle(new SyncGroupMembership(at(4002), "")));
    assertEquals(State.BACKUP, r.state());
  }

  // ---- FAULT

  @Test
  void faultFromMasterResignsAndClearingGoesToBackup() {
    VirtualRouter r = master();
    assertEquals(
        List.of(
            send(0, List.of(VIP)),
            new StopAnnouncing(),
            new RemoveAddresses(List.of(VIP)),
            new StateChanged(at(5000), State.MASTER, State.FAULT, Reason.FAULT, 150)),
        r.handle(new FaultChanged(at(5000), true, "script")));
    assertEquals(Optional.empty(), r.nextDeadline());
    assertEquals("script", r.faultCause());
    assertEquals(List.of(), r.handle(new TimerFired(at(9000))));
    assertEquals(List.of(), r.handle(from(PEER, at(5500), v2(100))), "silent in FAULT");
    assertEquals(
        List.of(new StateChanged(at(6000), State.FAULT, State.BACKUP, Reason.FAULT_CLEARED, 150)),
        r.handle(new FaultChanged(at(6000), false, "")));
    assertEquals(Optional.of(at(6000 + 3414.0625)), r.nextDeadline());
  }

  @Test
  void faultBeforeStartupStartsInFault() {
    VirtualRouter r = router(RouterSpec.v2(), 150);
    assertEquals(List.of(), r.handle(new FaultChanged(T0, true, "link")));
    assertEquals(
        List.of(new StateChanged(at(1), State.INITIALIZE, State.FAULT, Reason.FAULT, 150)),
        r.handle(new Startup(at(1))));
    assertEquals(Optional.empty(), r.nextDeadline());
  }

  // ---- configuration changes

  @Test
  void addingAnAddressWhileMasterAddsAnnouncesAndAdvertisesIt() {
    VirtualRouter r = master();
    var next = RouterSpec.v2().vips("192.0.2.200", "192.0.2.201").config(SELF);
    assertEquals(
        List.of(
            new AddAddresses(List.of(VIP2)),
            new AnnounceAddresses(List.of(VIP2)),
            send(150, List.of(VIP, VIP2))),
        r.handle(new ConfigChanged(at(5000), next)));
    assertEquals(Optional.of(at(6000)), r.nextDeadline());
  }

  @Test
  void removingAnAddressWhileMasterRemovesOnlyThatOne() {
    VirtualRouter r = router(RouterSpec.v2().vips("192.0.2.200", "192.0.2.201"), 150);
    r.handle(new Startup(T0));
    r.handle(new TimerFired(at(3414.0625)));
    assertEquals(
        List.of(new RemoveAddresses(List.of(VIP2)), send(150, List.of(VIP))),
        r.handle(new ConfigChanged(at(5000), RouterSpec.v2().config(SELF))));
  }

  @Test
  void replacingTheAddressWhileMasterRemovesThenAdds() {
    VirtualRouter r = master();
    assertEquals(
        List.of(
            new RemoveAddresses(List.of(VIP)),
            new AddAddresses(List.of(VIP2)),
            new AnnounceAddresses(List.of(VIP2)),
            send(150, List.of(VIP2))),
        r.handle(new ConfigChanged(at(5000), RouterSpec.v2().vips("192.0.2.201").config(SELF))));
  }

  @Test
  void unchangedConfigWhileMasterOrAnyChangeWhileBackupDoesNothing() {
    VirtualRouter m = master();
    assertEquals(List.of(), m.handle(new ConfigChanged(at(5000), RouterSpec.v2().config(SELF))));
    VirtualRouter b = router(RouterSpec.v2(), 100);
    b.handle(new Startup(T0));
    assertEquals(
        List.of(),
        b.handle(new ConfigChanged(at(1), RouterSpec.v2().vips("192.0.2.201").config(SELF))));
  }

  @Test
  void changingTheVridIsRefused() {
    VirtualRouter r = master();
    assertThrows(
        IllegalArgumentException.class,
        () -> r.handle(new ConfigChanged(at(5000), RouterSpec.v2().vrid(52).config(SELF))));
  }

  // ---- priority

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 255, 256})
  void priorityOutside1To254IsRefused(int priority) {
    assertThrows(IllegalArgumentException.class, () -> router(RouterSpec.v2(), priority));
    VirtualRouter r = router(RouterSpec.v2(), 100);
    assertThrows(IllegalArgumentException.class, () -> r.handle(new PriorityChanged(T0, priority)));
    assertEquals(100, r.priority());
  }

  @Test
  void priorityChangeIsSilentAndShowsInTheNextAdvertAndTimer() {
    VirtualRouter m = master();
    assertEquals(List.of(), m.handle(new PriorityChanged(at(4000), 120)));
    assertEquals(List.of(send(120, List.of(VIP))), m.handle(new TimerFired(at(4414.0625))));

    VirtualRouter b = router(RouterSpec.v2(), 100);
    b.handle(new Startup(T0));
    b.handle(new PriorityChanged(at(1), 254));
    assertEquals(Optional.of(at(3609.375)), b.nextDeadline(), "an armed timer stays");
    b.handle(from(PEER, at(2000), v2(254)));
    assertEquals(Optional.of(at(5007.8125)), b.nextDeadline(), "re-armed with the new skew");
  }

  // ---- receive checks that only the router can make

  @Test
  void advertFromTheOtherFamilyIsDroppedAsUnsupported() {
    VirtualRouter r = router(RouterSpec.v2(), 100);
    r.handle(new Startup(T0));
    r.handle(from(ip("fe80::12"), at(1), v2(150)));
    assertEquals(1, r.counters().drops(DropReason.UNSUPPORTED_FAMILY));
    assertEquals(Optional.of(at(3609.375)), r.nextDeadline());
  }

  @Test
  void addressListMismatchIsReportedOncePerListAndCountedEachTime() {
    VirtualRouter r = router(RouterSpec.v2(), 100);
    r.handle(new Startup(T0));
    var theirs =
        new Advertisement(
            VrrpVersion.V2, RouterSpec.VRID, 150, SECOND, List.of(VIP, VIP2), Authentication.NONE);
    assertEquals(
        List.of(new AddressListMismatch(at(1), PEER, List.of(VIP, VIP2), List.of(VIP))),
        r.handle(from(PEER, at(1), theirs)));
    assertEquals(List.of(), r.handle(from(PEER, at(2), theirs)));
    assertEquals(2, r.counters().addressListMismatches());
    assertEquals(Optional.of(at(3609.375).plus(ms(2))), r.nextDeadline(), "still obeyed");
    // a resigning master's list is not checked
    assertEquals(
        List.of(),
        r.handle(
            from(
                PEER,
                at(3),
                new Advertisement(
                    VrrpVersion.V2,
                    RouterSpec.VRID,
                    0,
                    SECOND,
                    List.of(VIP2),
                    Authentication.NONE))));
    assertEquals(2, r.counters().addressListMismatches());
  }

  // ---- sync-group inputs (SyncGroup feeds them; SyncGroupTest and SyncGroupScenarioTest test
  // the group)

  private static VirtualRouter grouped(int priority) {
    VirtualRouter r = router(RouterSpec.v2(), priority);
    assertEquals(List.of(), r.handle(new SyncGroupMembership(T0, "web")));
    assertEquals("web", r.syncGroup());
    r.handle(new Startup(T0));
    return r;
  }

  @Test
  void groupedBackupWaitsForTheGroupWhenMasterDownFires() {
    VirtualRouter r = grouped(150);
    assertEquals(List.of(), r.handle(new TimerFired(at(3414.0625))));
    assertEquals(State.BACKUP, r.state());
    assertTrue(r.waitingForGroup());
    assertFalse(r.followsMaster());
    assertEquals(Optional.empty(), r.nextDeadline(), "nothing armed while it waits");
    assertEquals(
        List.of(
            new AddAddresses(List.of(VIP)),
            new AnnounceAddresses(List.of(VIP)),
            send(150, List.of(VIP)),
            new StateChanged(at(3500), State.BACKUP, State.MASTER, Reason.MASTER_DOWN, 150)),
        r.handle(new SyncGroupMaster(at(3500))));
    assertFalse(r.waitingForGroup());
    assertEquals(Optional.of(at(4500)), r.nextDeadline());
  }

  @Test
  void syncGroupMasterIsIgnoredUnlessTheRouterWaits() {
    VirtualRouter r = grouped(150);
    assertEquals(List.of(), r.handle(new SyncGroupMaster(at(1000))), "timer still running");
    assertEquals(State.BACKUP, r.state());
    VirtualRouter m = master();
    assertEquals(List.of(), m.handle(new SyncGroupMaster(at(4000))), "already master");
  }

  @Test
  void hearingAMasterEndsTheWaitAndALowerOneKeepsItWithTheReasonPreempted() {
    VirtualRouter r = grouped(100);
    r.handle(new TimerFired(at(3609.375)));
    assertTrue(r.waitingForGroup());
    // a lower master is discarded (preempt): still waiting, now to preempt
    assertEquals(List.of(), r.handle(from(PEER, at(4000), v2(50))));
    assertTrue(r.waitingForGroup());
    // an acceptable master: follows it, the wait is over
    r.handle(from(PEER, at(4100), v2(150)));
    assertFalse(r.waitingForGroup());
    assertTrue(r.followsMaster());
    assertEquals(Optional.of(at(4100 + 3609.375)), r.nextDeadline());
    // it resigns: not following any more, Skew_Time armed
    r.handle(from(PEER, at(4200), v2(0)));
    assertFalse(r.followsMaster());
    r.handle(new TimerFired(at(4809.375)));
    assertTrue(r.waitingForGroup());
    assertEquals(
        Reason.MASTER_RESIGNED,
        ((StateChanged) r.handle(new SyncGroupMaster(at(4900))).getLast()).reason());
  }

  @Test
  void waitingAfterDiscardingALowerMasterTakesOverAsPreempted() {
    VirtualRouter r = grouped(100);
    r.handle(from(PEER, at(500), v2(150)));
    r.handle(from(PEER, at(1500), v2(50)));
    r.handle(new TimerFired(at(4109.375)));
    assertTrue(r.waitingForGroup());
    assertEquals(
        new StateChanged(at(4200), State.BACKUP, State.MASTER, Reason.PREEMPTED, 100),
        r.handle(new SyncGroupMaster(at(4200))).getLast());
  }

  @Test
  void groupFaultFromMasterResignsAndItsClearingGoesToBackup() {
    VirtualRouter r = master();
    assertEquals(
        List.of(
            send(0, List.of(VIP)),
            new StopAnnouncing(),
            new RemoveAddresses(List.of(VIP)),
            new StateChanged(at(5000), State.MASTER, State.FAULT, Reason.SYNC_GROUP, 150)),
        r.handle(new SyncGroupFault(at(5000), true, "sync group web: vip2 in FAULT (script)")));
    assertTrue(r.groupFault());
    assertFalse(r.fault());
    assertEquals("sync group web: vip2 in FAULT (script)", r.groupFaultCause());
    assertEquals(Optional.empty(), r.nextDeadline());
    assertEquals(
        List.of(),
        r.handle(new SyncGroupFault(at(5500), true, "sync group web: vip2, vip3 in FAULT")),
        "a new cause changes nothing else");
    assertEquals("sync group web: vip2, vip3 in FAULT", r.groupFaultCause());
    assertEquals(
        List.of(new StateChanged(at(6000), State.FAULT, State.BACKUP, Reason.SYNC_GROUP, 150)),
        r.handle(new SyncGroupFault(at(6000), false, "")));
    assertEquals(Optional.of(at(6000 + 3414.0625)), r.nextDeadline());
  }

  @Test
  void groupFaultAndTrackedFaultComposeEitherHoldsTheRouterInFault() {
    VirtualRouter r = master();
    r.handle(new SyncGroupFault(at(5000), true, "group"));
    assertEquals(List.of(), r.handle(new FaultChanged(at(5100), true, "script")));
    assertEquals(List.of(), r.handle(new SyncGroupFault(at(5200), false, "")), "still tracked");
    assertEquals(State.FAULT, r.state());
    assertEquals(List.of(), r.handle(new SyncGroupFault(at(5300), true, "group")));
    assertEquals(List.of(), r.handle(new FaultChanged(at(5400), false, "")), "still the group");
    assertEquals(State.FAULT, r.state());
    assertEquals(
        List.of(new StateChanged(at(5500), State.FAULT, State.BACKUP, Reason.SYNC_GROUP, 150)),
        r.handle(new SyncGroupFault(at(5500), false, "")));
    // and the other way round: the tracked fault clears last
    r.handle(new FaultChanged(at(6000), true, "script"));
    r.handle(new SyncGroupFault(at(6100), true, "group"));
    r.handle(new SyncGroupFault(at(6200), false, ""));
    assertEquals(
        List.of(new StateChanged(at(6300), State.FAULT, State.BACKUP, Reason.FAULT_CLEARED, 150)),
        r.handle(new FaultChanged(at(6300), false, "")));
  }

  @Test
  void groupFaultBeforeStartupStartsInFault() {
    VirtualRouter r = router(RouterSpec.v2(), 150);
    r.handle(new SyncGroupMembership(T0, "web"));
    assertEquals(List.of(), r.handle(new SyncGroupFault(T0, true, "group")));
    assertEquals(
        List.of(new StateChanged(at(1), State.INITIALIZE, State.FAULT, Reason.SYNC_GROUP, 150)),
        r.handle(new Startup(at(1))));
  }

  @Test
  void syncGroupBackupMakesAMasterResignWithPriorityZero() {
    VirtualRouter r = master();
    assertEquals(
        List.of(
            send(0, List.of(VIP)),
            new StopAnnouncing(),
            new RemoveAddresses(List.of(VIP)),
            new StateChanged(at(5000), State.MASTER, State.BACKUP, Reason.SYNC_GROUP, 150)),
        r.handle(new SyncGroupBackup(at(5000), "vip2 follows a master elsewhere")));
    assertEquals(Optional.of(at(5000 + 3414.0625)), r.nextDeadline());
    assertEquals(Optional.empty(), r.deadline(Timer.ADVERTISEMENT));
    assertEquals(Optional.empty(), r.masterAddress());
    assertFalse(r.followsMaster(), "it knows no master yet");
    assertEquals(List.of(), r.handle(new SyncGroupBackup(at(5100), "again")), "not master");
  }

  @Test
  void masterSteppingDownForAHigherAdvertFollowsIt() {
    VirtualRouter r = master();
    r.handle(from(PEER, at(5000), v2(200)));
    assertTrue(r.followsMaster());
  }

  @Test
  void leavingTheGroupLiftsItsFaultAndEndsTheWaitAsMaster() {
    VirtualRouter r = grouped(150);
    r.handle(new TimerFired(at(3414.0625)));
    assertEquals(
        List.of(
            new AddAddresses(List.of(VIP)),
            new AnnounceAddresses(List.of(VIP)),
            send(150, List.of(VIP)),
            new StateChanged(at(4000), State.BACKUP, State.MASTER, Reason.MASTER_DOWN, 150)),
        r.handle(new SyncGroupMembership(at(4000), "")));
    assertEquals("", r.syncGroup());

    VirtualRouter f = grouped(150);
    f.handle(new SyncGroupFault(at(100), true, "group"));
    assertEquals(
        List.of(new StateChanged(at(200), State.FAULT, State.BACKUP, Reason.SYNC_GROUP, 150)),
        f.handle(new SyncGroupMembership(at(200), "")));
    assertFalse(f.groupFault());
  }

  @Test
  void shutdownWhileWaitingEndsTheWait() {
    VirtualRouter r = grouped(150);
    r.handle(new TimerFired(at(3414.0625)));
    r.handle(new Shutdown(at(3500)));
    assertFalse(r.waitingForGroup());
    assertEquals(List.of(), r.handle(new SyncGroupMaster(at(3600))));
    assertEquals(State.INITIALIZE, r.state());
  }

  // ---- state data lives and dies with its state (RouterState)

  @Test
  void whatABackupLearnedOfItsMasterDoesNotOutliveTheBackup() {
    VirtualRouter r = router(RouterSpec.v2(), 150);
    r.handle(new Startup(T0));
    r.handle(from(PEER, at(1000), v2(200)));
    assertEquals(Optional.of(PEER), r.masterAddress());
    assertEquals(Optional.of(at(1000)), r.lastMasterAdvert());

    r.handle(new FaultChanged(at(1500), true, "link down"));
    assertEquals(State.FAULT, r.state());
    assertEquals(Optional.empty(), r.masterAddress(), "FAULT listens to nobody");
    assertEquals(Optional.empty(), r.lastMasterAdvert());
    assertEquals(Optional.empty(), r.nextDeadline());

    r.handle(new FaultChanged(at(2000), false, ""));
    assertEquals(State.BACKUP, r.state());
    assertEquals(Optional.empty(), r.masterAddress(), "this Backup has heard no master yet");
    assertEquals(Optional.empty(), r.lastMasterAdvert());
    assertEquals(Optional.of(at(5414.0625)), r.deadline(Timer.MASTER_DOWN));

    // nobody advertised since: a takeover, not a failover from the master heard before the fault
    // (that advert is 4.4 s old; a failover metric from it would be made up)
    r.handle(new TimerFired(at(5414.0625)));
    assertEquals(State.MASTER, r.state());
    assertEquals(Optional.of(Reason.MASTER_DOWN), r.lastReason());
    assertEquals(Optional.empty(), r.lastMasterAdvert());
    assertEquals(Optional.of(SELF), r.masterAddress());
  }

  @Test
  void aMasterKeepsTheFailoverStartButNotTheIntervalItLearnedAsBackup() {
    Duration ours = Duration.ofMillis(100);
    VirtualRouter r = router(RouterSpec.v3(ours), 150);
    r.handle(new Startup(T0));
    r.handle(from(PEER, at(100), adv(VrrpVersion.V3, 200, SECOND)));
    assertEquals(SECOND, r.masterAdverInterval(), "RFC 5798 §6.4.2: learned from the master");
    r.handle(from(PEER, at(500), adv(VrrpVersion.V3, 0, SECOND)));
    // resigned: Skew_Time of the learned interval, (256 - 150) / 256 s
    assertEquals(Optional.of(at(914.0625)), r.nextDeadline());

    r.handle(new TimerFired(at(914.0625)));
    assertEquals(State.MASTER, r.state());
    assertEquals(Optional.of(Reason.MASTER_RESIGNED), r.lastReason());
    assertEquals(Optional.of(at(500)), r.lastMasterAdvert(), "where this failover began");
    assertEquals(ours, r.masterAdverInterval(), "Master_Adver_Interval is a Backup's");
    assertEquals(Optional.of(at(1014.0625)), r.deadline(Timer.ADVERTISEMENT));
    assertEquals(Optional.empty(), r.deadline(Timer.MASTER_DOWN));
  }
}
