package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floatip.api.v1alpha1.FileCheck;
import dev.floatip.api.v1alpha1.TrackSpec;
import dev.floatip.notify.NotifyRuntime;
import dev.floatip.tracking.PodWatch;
import dev.floatip.tracking.Tracking;
import dev.floatip.tracking.TrackingSettings;
import dev.floatip.vrrp.Action;
import dev.floatip.vrrp.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks and routers wired as {@link StandaloneAgent#apply} does it, against the event loop on an
 * in-memory dataplane, with file checks read every 10 ms. About reloads: the verdict of a failing
 * check must survive both an edit of the checks and a restart of the router.
 */
class VipServicesTest {

  private static final Duration FILES = Duration.ofMillis(10);

  @TempDir Path dir;

  private final FakeDataplane dataplane = new FakeDataplane();
  private final List<Action.StateChanged> changes = new CopyOnWriteArrayList<>();
  private final EventLoop loop =
      new EventLoop(
          new MonotonicClock(), dataplane, List.of((spec, change) -> changes.add(change)));
  private final VipServices services =
      new VipServices(
          "node-a",
          loop,
          Tracking.create(
              TrackingSettings.defaults().withFileInterval(FILES),
              dataplane.linkMonitor(),
              dataplane.addresses(),
              PodWatch.NONE),
          new NotifyRuntime());

  @AfterEach
  void stop() {
    loop.close();
    services.close();
  }

  /** What StandaloneAgent.apply does for one VIP with one router. */
  private void apply(RouterSpec spec, TrackSpec track) {
    int effective = services.update("a", spec.priority(), track, null, List.of(spec.id()));
    loop.apply(List.of(spec.withPriority(effective)));
    services.reassert();
    services.startChecks();
  }

  private static TrackSpec files(Path... paths) {
    return new TrackSpec(
        null,
        null,
        null,
        List.of(paths).stream().map(p -> new FileCheck(p.toString(), 0)).toList(),
        null,
        null,
        null);
  }

  private State state() {
    return loop.status().join().getFirst().state();
  }

  private void awaitFault() {
    await().atMost(Duration.ofSeconds(5)).until(() -> state() == State.FAULT);
  }

  @Test
  void editingTheChecksOfAFailingVipKeepsItInFault() throws IOException {
    Path failing = Files.writeString(dir.resolve("failing"), "1\n");
    Path other = Files.writeString(dir.resolve("other"), "0\n");
    loop.start();
    RouterSpec spec = EventLoopTest.spec("a", 1, EventLoopTest.VIP_A, 100);
    apply(spec, files(failing));
    awaitFault();
    int mark = changes.size();

    apply(spec, files(failing, other)); // a reload with an edited track spec
    // no state change at all while the new checks start and run ten times over
    await("no state change after the edit")
        .during(FILES.multipliedBy(10))
        .atMost(Duration.ofSeconds(2))
        .until(() -> changes.size() == mark);
    assertThat(services.effective("a").orElseThrow().settled()).isTrue();
    assertThat(state()).isEqualTo(State.FAULT);

    Files.writeString(failing, "0\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> state() == State.MASTER);
  }

  @Test
  void aRouterAReloadRestartsStartsInTheChecksFault() throws IOException {
    Path failing = Files.writeString(dir.resolve("failing"), "1\n");
    loop.start();
    apply(EventLoopTest.spec("a", 1, EventLoopTest.VIP_A, 100), files(failing));
    awaitFault();
    int mark = changes.size();

    // a new VRID: the loop stops the router and starts a new one; the checks are unchanged
    apply(EventLoopTest.spec("a", 2, EventLoopTest.VIP_A, 100), files(failing));
    // never master over several Master_Down_Intervals (40 ms each), and in FAULT
    await("the restarted router never master")
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                changes.subList(mark, changes.size()).stream()
                    .noneMatch(c -> c.to() == State.MASTER));
    awaitFault();
    assertThat(changes.subList(mark, changes.size())).noneMatch(c -> c.to() == State.MASTER);
  }
}
