package dev.floatip.vrrp;

import static dev.floatip.vrrp.State.MASTER;
import static dev.floatip.vrrp.sim.SimulatedLan.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floatip.vrrp.sim.Jitter;
import dev.floatip.vrrp.sim.RouterSpec;
import dev.floatip.vrrp.sim.Scenario;
import dev.floatip.vrrp.sim.Trio;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Unicast peer lists change on each node at its own moment (cluster mode: when its informers see a
 * Node or VirtualIP change). A router that drops a peer from its list still hears it until it has
 * been silent for Master_Down_Interval or resigned: a live master never becomes UNKNOWN_PEER to a
 * backup, which would then make itself a second master.
 *
 * <p>r1 (150) 192.0.2.11 is master and advertises every second; r2 (100) waits 3 s + 156/256 s =
 * 3609.375 ms, r3 (50) 3804.6875 ms.
 */
class PeerChangeScenarioTest {

  private static final RouterSpec UNICAST =
      RouterSpec.v3(Duration.ofSeconds(1)).unicast("192.0.2.11", "192.0.2.12", "192.0.2.13");

  /** r2's configuration without r1 among its peers. */
  private static RouterConfig withoutR1(Trio t) {
    return RouterSpec.v3(Duration.ofSeconds(1))
        .unicast("192.0.2.12", "192.0.2.13")
        .config(t.r2().address());
  }

  @Scenario
  void aBackupThatDropsTheLiveMasterFromItsPeersNeverTakesOverWhileItAdvertises(Jitter jitter) {
    var t = Trio.elected(jitter, UNICAST, at(10_000));
    t.lan().runUntil(at(10_500));
    t.r2().reconfigure(withoutR1(t));

    t.lan().runUntil(at(40_000));

    assertEquals(List.of(), t.r2().transitionsSince(at(10_500)), "r2 stayed Backup");
    t.lan().assertSettled(t.r1());
    assertEquals(0, t.r2().counters().drops(DropReason.UNKNOWN_PEER), "r1 was heard");
    assertEquals(
        List.of(t.r1().address()), t.r2().router().departingPeers(), "r1 is still departing");
  }

  @Scenario
  void theBackupTakesOverMasterDownIntervalAfterTheDroppedMasterFallsSilent(Jitter jitter) {
    var t = Trio.elected(jitter, UNICAST, at(10_000));
    t.lan().runUntil(at(10_500));
    t.r2().reconfigure(withoutR1(t));
    t.lan().runUntil(at(20_500));
    t.r1().crash();

    t.lan().runUntil(at(30_000));

    Instant lastHeard = t.r2().lastReceivedFrom(t.r1(), at(20_500)).at();
    Duration masterDown = Duration.ofMillis(3609).plusNanos(375_000);
    var tookOver = t.r2().firstTransitionTo(MASTER, at(10_500));
    t.lan().assertAt(lastHeard.plus(masterDown), tookOver.at(), 0, "r2 took over");
    assertEquals(Reason.MASTER_DOWN, tookOver.reason());
    t.lan().assertSettled(t.r2());
    assertEquals(List.of(), t.r2().router().departingPeers(), "r1 is gone from the wire");
    assertTrue(
        t.r2().sentSince(tookOver.at()).stream()
            .allMatch(s -> s.destinations().equals(List.of(t.r3().address()))),
        "r2 advertises to its remaining peer only");
  }

  @Scenario
  void aDroppedMasterThatResignsIsFollowedAfterSkewTime(Jitter jitter) {
    var t = Trio.elected(jitter, UNICAST, at(10_000));
    t.lan().runUntil(at(10_500));
    t.r2().reconfigure(withoutR1(t));
    t.lan().runUntil(at(12_500));
    t.r1().shutdown();

    t.lan().runUntil(at(20_000));

    Instant resigned = t.r2().lastReceivedFrom(t.r1(), at(20_000)).at();
    var tookOver = t.r2().firstTransitionTo(MASTER, at(10_500));
    // Skew_Time at priority 100: 156/256 s
    t.lan().assertAt(resigned.plus(Duration.ofNanos(609_375_000)), tookOver.at(), 0, "r2");
    assertEquals(Reason.MASTER_RESIGNED, tookOver.reason());
    assertEquals(List.of(), t.r2().router().departingPeers(), "its priority 0 was its last word");
    t.lan().assertSettled(t.r2());
  }

  @Scenario
  void aDroppedSilentPeerIsForgottenAfterMasterDownInterval(Jitter jitter) {
    var t = Trio.elected(jitter, UNICAST, at(10_000));
    t.lan().runUntil(at(10_500));
    t.r3().shutdown(); // a backup leaves without a word
    t.r1()
        .reconfigure(
            RouterSpec.v3(Duration.ofSeconds(1))
                .unicast("192.0.2.11", "192.0.2.12")
                .config(t.r1().address()));

    // r1 advertises at 13414.0625 and 14414.0625 ms; its Master_Down_Interval is 3 s + 106/256 s
    // = 3414.0625 ms, so r3, silent since the change at 10500 ms, expires at 13914.0625 ms
    t.lan().runUntil(at(13_500));
    assertEquals(List.of(t.r3().address()), t.r1().router().departingPeers());
    assertTrue(
        t.r1().sentSince(at(10_500)).stream()
            .allMatch(s -> s.destinations().contains(t.r3().address())),
        "r1 still talks to r3 while it may be live");
    t.lan().runUntil(at(20_000));
    assertEquals(List.of(), t.r1().router().departingPeers());
    assertTrue(
        t.r1().sentSince(at(13_950)).stream()
            .allMatch(s -> s.destinations().equals(List.of(t.r2().address()))),
        "then it advertises to r2 only");
    t.lan().assertSettled(t.r1());
  }
}
