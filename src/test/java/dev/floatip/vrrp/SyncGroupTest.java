package dev.floatip.vrrp;

import static dev.floatip.vrrp.sim.RouterSpec.ip;
import static dev.floatip.vrrp.sim.SimulatedLan.T0;
import static dev.floatip.vrrp.sim.SimulatedLan.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floatip.vrrp.Action.AddAddresses;
import dev.floatip.vrrp.Action.AnnounceAddresses;
import dev.floatip.vrrp.Action.RemoveAddresses;
import dev.floatip.vrrp.Action.SendAdvertisement;
import dev.floatip.vrrp.Action.StateChanged;
import dev.floatip.vrrp.Action.StopAnnouncing;
import dev.floatip.vrrp.Input.AdvertisementReceived;
import dev.floatip.vrrp.Input.FaultChanged;
import dev.floatip.vrrp.Input.Shutdown;
import dev.floatip.vrrp.Input.Startup;
import dev.floatip.vrrp.Input.SyncGroupBackup;
import dev.floatip.vrrp.Input.SyncGroupFault;
import dev.floatip.vrrp.Input.SyncGroupMaster;
import dev.floatip.vrrp.Input.SyncGroupMembership;
import dev.floatip.vrrp.Input.TimerFired;
import dev.floatip.vrrp.SyncGroup.Event;
import dev.floatip.vrrp.SyncGroup.Fed;
import dev.floatip.vrrp.SyncGroup.GroupStateChanged;
import dev.floatip.vrrp.sim.RouterSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The group alone: two routers of one node, inputs in, exact events out. */
class SyncGroupTest {

  private static final InetAddress SELF = ip("192.0.2.11");
  private static final InetAddress PEER = ip("192.0.2.12");
  private static final InetAddress GROUP = ip("224.0.0.18");
  private static final InetAddress VIP1 = ip("192.0.2.201");
  private static final InetAddress VIP2 = ip("192.0.2.202");
  private static final Instant MASTER_DOWN = at(3414.0625); // priority 150, v2, 1 s

  private final VirtualRouter r1 =
      new VirtualRouter(RouterSpec.v2().vrid(1).vips("192.0.2.201").config(SELF), 150);
  private final VirtualRouter r2 =
      new VirtualRouter(RouterSpec.v2().vrid(2).vips("192.0.2.202").config(SELF), 150);
  private final SyncGroup<String> group = new SyncGroup<>("web");

  @BeforeEach
  void members() {
    assertThat(group.add("vip1", r1, T0))
        .containsExactly(new Fed<>("vip1", new SyncGroupMembership(T0, "web"), List.of()));
    assertThat(group.add("vip2", r2, T0))
        .containsExactly(new Fed<>("vip2", new SyncGroupMembership(T0, "web"), List.of()));
    assertThat(group.state()).isEqualTo(State.INITIALIZE);
  }

  private static SendAdvertisement send(int vrid, int priority, InetAddress vip) {
    return new SendAdvertisement(
        new Advertisement(
            VrrpVersion.V2,
            vrid,
            priority,
            Duration.ofSeconds(1),
            List.of(vip),
            Authentication.NONE),
        List.of(GROUP));
  }

  private static List<Action> becameMaster(Instant at, int vrid, InetAddress vip, Reason reason) {
    return List.of(
        new AddAddresses(List.of(vip)),
        new AnnounceAddresses(List.of(vip)),
        send(vrid, 150, vip),
        new StateChanged(at, State.BACKUP, State.MASTER, reason, 150));
  }

  private static List<Action> resigned(Instant at, int vrid, InetAddress vip, State to, Reason r) {
    return List.of(
        send(vrid, 0, vip),
        new StopAnnouncing(),
        new RemoveAddresses(List.of(vip)),
        new StateChanged(at, State.MASTER, to, r, 150));
  }

  /** Feeds one member, then settles, as a runtime does. */
  private List<Event<String>> feed(VirtualRouter r, Input input) {
    r.handle(input);
    return group.settle(input.at());
  }

  private void started() {
    assertThat(feed(r1, new Startup(T0)))
        .containsExactly(new GroupStateChanged<>(T0, "web", State.INITIALIZE, State.BACKUP));
    assertThat(feed(r2, new Startup(T0))).isEmpty();
  }

  private void masters() {
    started();
    feed(r1, new TimerFired(MASTER_DOWN));
    feed(r2, new TimerFired(MASTER_DOWN));
    assertThat(group.state()).isEqualTo(State.MASTER);
  }

  @Test
  void theGroupBecomesMasterOnlyWhenEveryMemberWouldThenAllAtOnce() {
    started();
    assertThat(feed(r1, new TimerFired(MASTER_DOWN))).as("vip2 still has a timer").isEmpty();
    assertThat(r1.waitingForGroup()).isTrue();
    assertThat(r1.state()).isEqualTo(State.BACKUP);

    Instant later = MASTER_DOWN.plusMillis(5);
    r2.handle(new TimerFired(later)); // waits too: now every member would be master
    assertThat(group.settle(later))
        .containsExactly(
            new Fed<>(
                "vip1",
                new SyncGroupMaster(later),
                becameMaster(later, 1, VIP1, Reason.MASTER_DOWN)),
            new Fed<>(
                "vip2",
                new SyncGroupMaster(later),
                becameMaster(later, 2, VIP2, Reason.MASTER_DOWN)),
            new GroupStateChanged<>(later, "web", State.BACKUP, State.MASTER));
    assertThat(group.settle(later)).as("settled: nothing more").isEmpty();
  }

  @Test
  void aMemberFollowingAMasterHoldsTheOthersBack() {
    started();
    r2.handle(
        new AdvertisementReceived(
            at(100),
            PEER,
            255,
            new Advertisement(
                VrrpVersion.V2,
                2,
                200,
                Duration.ofSeconds(1),
                List.of(VIP2),
                Authentication.NONE)));
    assertThat(group.settle(at(100))).isEmpty();
    assertThat(feed(r1, new TimerFired(MASTER_DOWN))).isEmpty();
    assertThat(r1.waitingForGroup()).isTrue();
    assertThat(r1.state()).isEqualTo(State.BACKUP);
  }

  @Test
  void anOwnFaultFaultsTheOthersAndOnlyTheLastClearingReleasesThem() {
    masters();
    Instant t = at(5000);
    r1.handle(new FaultChanged(t, true, "script dig"));
    String cause = "sync group web: vip1 in FAULT (script dig)";
    assertThat(group.settle(t))
        .containsExactly(
            new Fed<>(
                "vip2",
                new SyncGroupFault(t, true, cause),
                resigned(t, 2, VIP2, State.FAULT, Reason.SYNC_GROUP)),
            new GroupStateChanged<>(t, "web", State.MASTER, State.FAULT));
    assertThat(r2.groupFaultCause()).isEqualTo(cause);

    // vip2's own tracking fails too: vip1 now also has a group fault (naming vip2)
    Instant t2 = at(6000);
    r2.handle(new FaultChanged(t2, true, "link down"));
    assertThat(group.settle(t2))
        .containsExactly(
            new Fed<>(
                "vip1",
                new SyncGroupFault(t2, true, "sync group web: vip2 in FAULT (link down)"),
                List.of()));
    // vip1's own fault clears: it stays in FAULT for vip2's
    Instant t3 = at(7000);
    r1.handle(new FaultChanged(t3, false, ""));
    assertThat(group.settle(t3))
        .containsExactly(
            new Fed<>(
                "vip2",
                new SyncGroupFault(t3, false, ""),
                List.of())); // vip2 stays in FAULT by its own tracking
    assertThat(List.of(r1.state(), r2.state())).containsOnly(State.FAULT);

    // the last fault clears: both go to Backup together
    Instant t4 = at(8000);
    r2.handle(new FaultChanged(t4, false, ""));
    assertThat(group.settle(t4))
        .containsExactly(
            new Fed<>(
                "vip1",
                new SyncGroupFault(t4, false, ""),
                List.of(new StateChanged(t4, State.FAULT, State.BACKUP, Reason.SYNC_GROUP, 150))),
            new GroupStateChanged<>(t4, "web", State.FAULT, State.BACKUP));
  }

  @Test
  void aMemberSteppingDownForAHigherMasterTakesTheOthersToBackupWithPriorityZero() {
    masters();
    Instant t = at(5000);
    r1.handle(
        new AdvertisementReceived(
            t,
            PEER,
            255,
            new Advertisement(
                VrrpVersion.V2,
                1,
                200,
                Duration.ofSeconds(1),
                List.of(VIP1),
                Authentication.NONE)));
    assertThat(r1.followsMaster()).isTrue();
    assertThat(group.settle(t))
        .containsExactly(
            new Fed<>(
                "vip2",
                new SyncGroupBackup(t, "sync group web: vip1 follows a master elsewhere"),
                resigned(t, 2, VIP2, State.BACKUP, Reason.SYNC_GROUP)),
            new GroupStateChanged<>(t, "web", State.MASTER, State.BACKUP));
    assertThat(r2.followsMaster()).as("it heard no master itself").isFalse();
    assertThat(r2.nextDeadline()).contains(t.plus(r2.masterDownInterval()));
  }

  @Test
  void aStoppedMemberNeitherHoldsTheGroupBackNorFaultsIt() {
    started();
    feed(r1, new FaultChanged(at(100), true, "script"));
    assertThat(r2.state()).isEqualTo(State.FAULT);
    // shutting down the faulty member lifts its fault from the group
    assertThat(feed(r1, new Shutdown(at(200))))
        .containsExactly(
            new Fed<>(
                "vip2",
                new SyncGroupFault(at(200), false, ""),
                List.of(
                    new StateChanged(at(200), State.FAULT, State.BACKUP, Reason.SYNC_GROUP, 150))),
            new GroupStateChanged<>(at(200), "web", State.FAULT, State.BACKUP));
    // vip2 alone decides: when its timer fires it is the whole running group
    Instant fires = at(200 + 3414.0625);
    r2.handle(new TimerFired(fires));
    assertThat(group.settle(fires))
        .containsExactly(
            new Fed<>(
                "vip2",
                new SyncGroupMaster(fires),
                becameMaster(fires, 2, VIP2, Reason.MASTER_DOWN)),
            new GroupStateChanged<>(fires, "web", State.BACKUP, State.MASTER));
  }

  @Test
  void removingAWaitingMemberLetsItBecomeMasterAlone() {
    started();
    feed(r1, new TimerFired(MASTER_DOWN));
    assertThat(r1.waitingForGroup()).isTrue();
    Instant t = MASTER_DOWN.plusMillis(1);
    assertThat(group.remove("vip1", t))
        .containsExactly(
            new Fed<>(
                "vip1",
                new SyncGroupMembership(t, ""),
                becameMaster(t, 1, VIP1, Reason.MASTER_DOWN)));
    assertThat(r1.syncGroup()).isEmpty();
    assertThat(group.members()).containsOnlyKeys("vip2");
    assertThat(group.remove("vip1", t)).isEmpty();
  }

  @Test
  void aRouterIsInOneGroupOnce() {
    assertThatThrownBy(() -> group.add("again", r1, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SyncGroup<String>("other").add("vip1", r1, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sync group web");
    assertThatThrownBy(() -> new SyncGroup<String>(""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
