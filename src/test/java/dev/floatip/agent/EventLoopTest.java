package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floatip.config.IpLiteral;
import dev.floatip.dataplane.AddressManager.AddressSpec;
import dev.floatip.vrrp.Action;
import dev.floatip.vrrp.Authentication;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.Reason;
import dev.floatip.vrrp.RouterConfig;
import dev.floatip.vrrp.State;
import dev.floatip.vrrp.VrrpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event loop against an in-memory dataplane, on the real clock: these tests check progress and
 * order, not timing, and wait by polling with a deadline. A lone router becomes master after
 * Master_Down_Interval (about 40 ms at a 10 ms interval).
 */
class EventLoopTest {

  static final InetAddress VIP_A = IpLiteral.parse("192.0.2.200").orElseThrow();
  private static final InetAddress VIP_B = IpLiteral.parse("192.0.2.201").orElseThrow();

  private final FakeDataplane dataplane = new FakeDataplane();
  private final List<Action.StateChanged> changes = new CopyOnWriteArrayList<>();
  private final EventLoop loop =
      new EventLoop(
          new MonotonicClock(), dataplane, List.of((spec, change) -> changes.add(change)));

  @AfterEach
  void stop() {
    dataplane.blockAdd.values().forEach(CountDownLatch::countDown);
    loop.close();
  }

  static RouterSpec spec(String name, int vrid, InetAddress vip, int priority) {
    RouterConfig config =
        new RouterConfig(
            vrid,
            VrrpVersion.V3,
            IpFamily.IPV4,
            FakeDataplane.PRIMARY,
            List.of(vip),
            Duration.ofMillis(10),
            true,
            Duration.ZERO,
            Set.of(),
            Authentication.NONE);
    return new RouterSpec(
        new RouterId(name, IpFamily.IPV4),
        FakeDataplane.IFACE,
        config,
        priority,
        List.of(new AddressSpec(vip, 24, Optional.empty())),
        AnnouncePolicy.DEFAULT,
        false,
        Optional.empty());
  }

  private RouterStatus status(String name) {
    return loop.status().join().stream()
        .filter(s -> s.id().vip().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private State state(String name) {
    return status(name).state();
  }

  @Test
  void loneRouterBecomesMasterAddsAnnouncesAndAdvertises() {
    loop.start();
    loop.apply(List.of(spec("a", 1, VIP_A, 100)));

    await().until(() -> dataplane.addresses.contains(VIP_A));
    await().until(() -> dataplane.announced.size() >= 5);
    await().until(() -> dataplane.sentWithPriority(100).size() >= 3);
    assertThat(state("a")).isEqualTo(State.MASTER);
  }

  @Test
  void slowAddressChangeOfOneRouterDoesNotStallAnother() {
    CountDownLatch gate = new CountDownLatch(1);
    dataplane.blockAdd.put(VIP_A, gate);
    loop.start();
    loop.apply(List.of(spec("a", 1, VIP_A, 100), spec("b", 2, VIP_B, 100)));

    // b keeps advertising every 10 ms while a's netlink call hangs
    await().until(() -> dataplane.addresses.contains(VIP_B));
    int before = dataplane.sent.size();
    await().until(() -> dataplane.sent.size() >= before + 10);
    assertThat(dataplane.addresses).doesNotContain(VIP_A);

    gate.countDown();
    await().until(() -> dataplane.addresses.contains(VIP_A));
  }

  @Test
  void newMasterAdvertisesOnlyAfterItsAddressIsUp() {
    CountDownLatch gate = new CountDownLatch(1);
    dataplane.blockAdd.put(VIP_A, gate);
    loop.start();
    loop.apply(List.of(spec("a", 1, VIP_A, 100)));

    await().until(() -> changes.stream().anyMatch(c -> c.to() == State.MASTER));
    assertThat(dataplane.sentWithPriority(100)).isEmpty();

    gate.countDown();
    await().until(() -> !dataplane.sentWithPriority(100).isEmpty());
  }

  @Test
  void removesOrphansAtStart() {
    dataplane.addresses.add(VIP_A); // left by a crashed predecessor
    dataplane.blockAdd.put(VIP_A, new CountDownLatch(1)); // keep it from becoming master again

    loop.start();
    loop.apply(List.of(spec("a", 1, VIP_A, 100)));

    await().until(() -> !dataplane.addresses.contains(VIP_A));
  }

  @Test
  void linkDownMeansFaultAndLinkUpMeansBackup() {
    loop.start();
    loop.apply(List.of(spec("a", 1, VIP_A, 100)));
    await().until(() -> state("a") == State.MASTER);

    dataplane.setLink(false);

    await().until(() -> state("a") == State.FAULT);
    await().until(() -> !dataplane.addresses.contains(VIP_A));
    assertThat(dataplane.sentWithPriority(0)).hasSize(1);

    dataplane.setLink(true);

    // FAULT is left for BACKUP, never straight for MASTER (a lone router then wins again)
    await().until(() -> changes.stream().anyMatch(c -> c.from() == State.FAULT));
    assertThat(changes.stream().filter(c -> c.from() == State.FAULT))
        .singleElement()
        .extracting(Action.StateChanged::to)
        .isEqualTo(State.BACKUP);
  }

  @Test
  void masterRestoresAnAddressSomeoneElseRemoved() {
    loop.start();
    loop.apply(List.of(spec("a", 1, VIP_A, 100)));
    await().until(() -> dataplane.addresses.contains(VIP_A));

    dataplane.removeExternally(VIP_A);

    await().until(() -> dataplane.addresses.contains(VIP_A));
  }

  @Test
  void reapplyingTheSameSpecsDisturbsNothing() {
    loop.start();
    loop.apply(List.of(spec("a", 1, VIP_A, 100)));
    await().until(() -> state("a") == State.MASTER);
    int transitions = changes.size();

    loop.apply(List.of(spec("a", 1, VIP_A, 100)));

    assertThat(loop.status().join()).hasSize(1); // the apply has been handled
    assertThat(changes).hasSize(transitions);
    assertThat(state("a")).isEqualTo(State.MASTER);
  }

  @Test
  void removedRouterResignsAndReleasesItsAddress() {
    loop.start();
    loop.apply(List.of(spec("a", 1, VIP_A, 100)));
    await().until(() -> state("a") == State.MASTER);

    loop.apply(List.of());

    await().until(() -> !dataplane.addresses.contains(VIP_A));
    await().until(() -> dataplane.sentWithPriority(0).size() == 1);
  }

  @Test
  void syncGroupMembersFaultTogether() {
    RouterSpec a = spec("a", 1, VIP_A, 100);
    RouterSpec b = spec("b", 2, VIP_B, 100);
    loop.start();
    loop.apply(List.of(inGroup(a, "web"), inGroup(b, "web")));
    await().until(() -> state("a") == State.MASTER && state("b") == State.MASTER);

    loop.fault(a.id(), "tracking", true);

    await().until(() -> state("b") == State.FAULT);
    assertThat(state("a")).isEqualTo(State.FAULT);
    await().until(() -> dataplane.addresses.isEmpty());
    assertThat(loop.status().join().stream().filter(s -> s.id().vip().equals("b")))
        .singleElement()
        .satisfies(s -> assertThat(String.join(",", s.faults())).contains("sync group web"));

    loop.fault(a.id(), "tracking", false);

    await().until(() -> state("a") == State.MASTER && state("b") == State.MASTER);
  }

  private static RouterSpec inGroup(RouterSpec s, String group) {
    return new RouterSpec(
        s.id(),
        s.interfaceName(),
        s.config(),
        s.priority(),
        s.addresses(),
        s.announce(),
        s.silent(),
        Optional.of(group));
  }

  @Test
  void theResignAdvertLeavesBeforeItsSocketCloses() {
    loop.start();
    loop.apply(List.of(spec("a", 1, VIP_A, 100)));
    await().until(() -> state("a") == State.MASTER);
    CountDownLatch gate = new CountDownLatch(1);
    dataplane.blockSends = gate; // the router's worker is slow: stuck in its next advert
    await().until(() -> dataplane.sendsWaiting.get() == 1);

    loop.apply(List.of()); // resign (priority 0, queued behind that advert), socket released
    assertThat(loop.status().join()).isEmpty(); // handled on the loop
    dataplane.blockSends = null;
    gate.countDown();

    await().until(() -> dataplane.sentWithPriority(0).size() == 1);
  }

  @Test
  void standbyResignsTheMasterAndHoldsEveryRouterStartedLaterInBackupUntilItEnds() {
    List<Boolean> standby = new CopyOnWriteArrayList<>();
    EventLoop.Listener node =
        new EventLoop.Listener() {
          @Override
          public void stateChanged(RouterSpec spec, Action.StateChanged change) {}

          @Override
          public void standbyChanged(boolean on) {
            standby.add(on);
          }
        };
    try (EventLoop agent = new EventLoop(new MonotonicClock(), dataplane, List.of(node))) {
      agent.start();
      agent.apply(List.of(spec("a", 1, VIP_A, 100)));
      await().until(() -> dataplane.addresses.contains(VIP_A));

      agent.standby(true);
      agent.standby(true); // repeated: nothing more

      await().until(() -> !dataplane.addresses.contains(VIP_A));
      await().until(() -> dataplane.sentWithPriority(0).size() == 1);
      RouterStatus a = agent.status().join().getFirst();
      assertThat(a.state()).isEqualTo(State.BACKUP);
      assertThat(a.standby()).isTrue();
      assertThat(a.reason()).contains(Reason.MAINTENANCE);
      assertThat(standby).containsExactly(true);
      int resigned = dataplane.sent.size();

      // a router started in maintenance starts held too; neither takes over (about 40 ms each)
      agent.apply(List.of(spec("a", 1, VIP_A, 100), spec("b", 2, VIP_B, 100)));
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(
              () ->
                  agent.status().join().stream()
                      .allMatch(s -> s.state() == State.BACKUP && s.standby()));
      assertThat(dataplane.addresses).isEmpty();
      assertThat(dataplane.sent).as("silent backups").hasSize(resigned);

      agent.standby(false);

      await()
          .until(
              () ->
                  agent.status().join().stream()
                      .allMatch(s -> s.state() == State.MASTER && !s.standby()));
      await().until(() -> dataplane.addresses.containsAll(List.of(VIP_A, VIP_B)));
      assertThat(dataplane.sentWithPriority(100)).isNotEmpty();
      assertThat(standby).containsExactly(true, false);
    }
  }

  @Test
  void shutdownResignsEveryMasterAndRemovesAddresses() {
    loop.start();
    loop.apply(List.of(spec("a", 1, VIP_A, 100), spec("b", 2, VIP_B, 100)));
    await().until(() -> dataplane.addresses.containsAll(List.of(VIP_A, VIP_B)));

    loop.shutdown(Duration.ofSeconds(1));

    assertThat(dataplane.addresses).isEmpty();
    assertThat(dataplane.sentWithPriority(0)).hasSize(2);
  }
}
