package dev.floatip.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floatip.api.v1alpha1.FileCheck;
import dev.floatip.api.v1alpha1.InterfaceCheck;
import dev.floatip.api.v1alpha1.PodCheck;
import dev.floatip.api.v1alpha1.ProcessCheck;
import dev.floatip.api.v1alpha1.ScriptCheck;
import dev.floatip.api.v1alpha1.TrackSpec;
import dev.floatip.dataplane.AddressManager;
import dev.floatip.dataplane.Errno;
import dev.floatip.dataplane.InterfaceAddress;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.LinkEvent;
import dev.floatip.dataplane.LinkInfo;
import dev.floatip.dataplane.LinkMonitor;
import dev.floatip.dataplane.OperState;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackerTest {

  private static final Duration LONG = Duration.ofSeconds(20);
  private static final int UP = LinkInfo.IFF_UP | LinkInfo.IFF_RUNNING | LinkInfo.IFF_LOWER_UP;

  @TempDir Path dir;

  private final List<Effective> seen = new CopyOnWriteArrayList<>();
  private final FakeLinks links = new FakeLinks();
  private final FakePods pods = new FakePods();
  private Tracking tracking;
  private Tracker tracker;

  @BeforeEach
  void setUp() throws IOException {
    // Scripts run as nobody when the tests run as root: let them into the temporary directory.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    TrackingSettings settings =
        TrackingSettings.defaults()
            .withFileInterval(Duration.ofMillis(50))
            .withProcessInterval(Duration.ofMillis(50));
    tracking = Tracking.create(settings, links, links, pods);
  }

  @AfterEach
  void tearDown() {
    if (tracker != null) {
      tracker.close();
    }
    tracking.close();
  }

  private Tracker start(int base, TrackSpec spec) {
    tracker = tracking.tracker("vip", base, spec, seen::add);
    tracker.start();
    return tracker;
  }

  private Effective last() {
    return seen.getLast();
  }

  private static TrackSpec files(FileCheck... f) {
    return new TrackSpec(null, null, null, List.of(f), null, null, null);
  }

  private static TrackSpec scripts(ScriptCheck... s) {
    return new TrackSpec(null, null, List.of(s), null, null, null, null);
  }

  @Test
  void aFileFlipsFaultThroughTheListener() throws IOException {
    Path file = Files.writeString(dir.resolve("state"), "0\n");
    start(100, files(new FileCheck(file.toString(), 0)));

    await().atMost(LONG).until(() -> last().settled());
    assertThat(last().fault()).isFalse();
    assertThat(last().priority()).isEqualTo(100);

    Files.writeString(file, "1\n");
    await().atMost(LONG).until(() -> last().fault());
    assertThat(last().faultCause()).isEqualTo("file " + file + ": value 1");

    Files.delete(file);
    await().atMost(LONG).until(() -> last().faultCause().endsWith("file not found"));
    assertThat(last().fault()).isTrue();

    Files.writeString(file, "0");
    await().atMost(LONG).until(() -> !last().fault());
  }

  @Test
  void aWeightedFileAddsValueTimesWeight() throws IOException {
    Path file = Files.writeString(dir.resolve("prio"), "5");
    start(100, files(new FileCheck(file.toString(), 3)));

    await().atMost(LONG).until(() -> last().priority() == 115);
    Files.writeString(file, "-100");
    await().atMost(LONG).until(() -> last().fault());
    assertThat(last().effects())
        .singleElement()
        .extracting(CheckEffect::effectText)
        .isEqualTo("FAULT");
  }

  @Test
  void aFailingScriptLowersThePriorityAfterFallAndRecoversAfterRise() throws IOException {
    Path flag = Files.createFile(dir.resolve("healthy"));
    start(
        100,
        scripts(
            new ScriptCheck(
                "flag", List.of("test", "-e", flag.toString()), "50ms", "5s", 2, 2, -50, null)));

    await().atMost(LONG).until(() -> last().settled());
    assertThat(last().priority()).isEqualTo(100);

    Files.delete(flag);
    await().atMost(LONG).until(() -> last().priority() == 50);
    // fall 2: the first failure only moved the counter
    assertThat(seen)
        .anySatisfy(
            e ->
                assertThat(e.effects().getFirst().message())
                    .isEqualTo("exit 1 (1/2 failures towards failing)"));
    assertThat(last().effects().getFirst().healthy()).isFalse();

    Files.createFile(flag);
    await().atMost(LONG).until(() -> last().priority() == 100);
  }

  @Test
  void theFirstResultDecidesAtOnceWhateverRiseAndFallSay() {
    start(100, scripts(new ScriptCheck("down", List.of("false"), "10s", null, 5, 5, 0, null)));

    await().atMost(LONG).until(() -> last().settled());
    assertThat(last().fault()).isTrue();
    assertThat(last().faultCause()).isEqualTo("script down: exit 1");
  }

  @Test
  void beforeTheFirstResultTheRouterRunsAtItsBasePriority() {
    Tracker t =
        tracking.tracker(
            "vip",
            100,
            scripts(new ScriptCheck("bonus", List.of("true"), null, null, null, null, 50, null)),
            seen::add);

    assertThat(t.current())
        .isEqualTo(
            new Effective(
                100,
                100,
                false,
                false,
                List.of(
                    new CheckEffect(CheckKind.SCRIPT, "bonus", null, 0, false, "no result yet"))));
    tracker = t;
    t.start();
    assertThat(seen.getFirst().settled()).isFalse(); // delivered before any check ran
    assertThat(seen.getFirst().priority()).isEqualTo(100);
    await().atMost(LONG).until(() -> last().priority() == 150);
  }

  @Test
  void aHangingScriptDelaysNoOtherCheck() throws IOException {
    Path file = Files.writeString(dir.resolve("state"), "0");
    start(
        100,
        new TrackSpec(
            null,
            null,
            List.of(
                new ScriptCheck(
                    "hang", List.of("sleep", "30"), "1s", "20s", null, null, -10, null)),
            List.of(new FileCheck(file.toString(), 0)),
            null,
            null,
            null));

    await().atMost(LONG).until(() -> last().effects().get(1).healthy() != null);
    Files.writeString(file, "7");
    await().atMost(LONG).until(() -> last().fault());
    assertThat(last().effects().getFirst().healthy()).isNull(); // still running
  }

  @Test
  void processesCountAgainstTheirQuorum() {
    start(
        100,
        new TrackSpec(
            null,
            List.of(
                new ProcessCheck("java", null, 1, 10),
                new ProcessCheck("no-such-proc-x", null, null, -20)),
            null,
            null,
            null,
            null,
            null));

    await().atMost(LONG).until(() -> last().settled());
    assertThat(last().priority()).isEqualTo(90);
    assertThat(last().effects().get(0).message()).matches("[1-9][0-9]* running");
    assertThat(last().effects().get(1).message()).isEqualTo("0 running");
  }

  @Test
  void interfacesFollowLinkEventsAfterOneInitialRead() {
    links.links.put("ens9", link("ens9", 0, OperState.DOWN));
    start(
        100,
        new TrackSpec(null, null, null, null, List.of(new InterfaceCheck("ens9", 5)), null, null));

    await().atMost(LONG).until(() -> last().settled());
    assertThat(last().effects().getFirst().message()).isEqualTo("administratively down");
    assertThat(last().priority()).isEqualTo(100);

    links.emit(new LinkEvent.LinkChanged(link("ens9", UP, OperState.UP), false));
    await().atMost(LONG).until(() -> last().priority() == 105);

    links.emit(new LinkEvent.LinkChanged(link("other", 0, OperState.DOWN), false));
    links.emit(
        new LinkEvent.LinkChanged(
            link("ens9", LinkInfo.IFF_UP, OperState.LOWER_LAYER_DOWN), false));
    await().atMost(LONG).until(() -> last().priority() == 100);
    assertThat(last().effects().getFirst().message()).isEqualTo("down (LOWER_LAYER_DOWN)");

    links.emit(new LinkEvent.LinkChanged(link("ens9", UP, OperState.UP), true));
    await()
        .atMost(LONG)
        .until(() -> "interface removed".equals(last().effects().getFirst().message()));
  }

  @Test
  void aMissingInterfaceWithWeightZeroIsFault() {
    start(
        100,
        new TrackSpec(
            null, null, null, null, List.of(new InterfaceCheck("nope0", null)), null, null));

    await().atMost(LONG).until(() -> last().fault());
    assertThat(last().faultCause()).isEqualTo("interface nope0: no such interface");
    assertThat(links.subscriptions).isEqualTo(1);
  }

  private static PodCheck pod(String namespace, String app, Integer minReady, Integer weight) {
    return new PodCheck(
        namespace,
        new LabelSelectorBuilder().withMatchLabels(Map.of("app", app)).build(),
        minReady,
        weight);
  }

  private static TrackSpec pods(PodCheck... p) {
    return new TrackSpec(List.of(p), null, null, null, null, null, null);
  }

  @Test
  void withoutAPodWatchPodsAreShownButNotCounted() {
    try (Tracking standalone =
        Tracking.create(TrackingSettings.defaults(), links, links, PodWatch.NONE)) {
      tracker = standalone.tracker("vip", 100, pods(pod("dns", "unbound", 1, 0)), seen::add);
      tracker.start();

      assertThat(seen).hasSize(1);
      assertThat(last().fault()).isFalse();
      assertThat(last().settled()).isTrue();
      assertThat(last().priority()).isEqualTo(100);
      CheckEffect effect = last().effects().getFirst();
      assertThat(effect.name()).isEqualTo("dns/app=unbound");
      assertThat(effect.healthy()).isNull();
      assertThat(effect.message()).isEqualTo("pod tracking needs cluster mode: shown, not counted");
      tracker.close();
      tracker = null;
    }
  }

  @Test
  void aPodCheckIsUnknownUntilTheFirstCountThenFaultsBelowMinReady() {
    start(100, pods(pod("dns", "unbound", 2, 0)));

    // subscribed with the check's namespace and selector; no count yet: base priority, no FAULT
    assertThat(pods.subscriptions)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.namespace()).isEqualTo("dns");
              assertThat(s.selector().getMatchLabels()).isEqualTo(Map.of("app", "unbound"));
            });
    assertThat(last().priority()).isEqualTo(100);
    assertThat(last().fault()).isFalse();
    assertThat(last().settled()).isFalse();

    pods.emit("dns", new PodCount(1, 2));
    assertThat(last().fault()).isTrue();
    assertThat(last().settled()).isTrue();
    assertThat(last().faultCause()).isEqualTo("pod dns/app=unbound: 1/2 ready (minReady 2)");

    pods.emit("dns", new PodCount(2, 3));
    assertThat(last().fault()).isFalse();
    assertThat(last().priority()).isEqualTo(100);
    assertThat(last().effects().getFirst().message()).isEqualTo("2/3 ready (minReady 2)");

    pods.emit("dns", new PodCount(0, 0));
    assertThat(last().fault()).isTrue();
  }

  @Test
  void podWeightsCountLikeAnyCheckAndMinReadyDefaultsToOne() {
    start(100, pods(pod("web", "nginx", null, 10), pod("dns", "unbound", null, -20)));
    assertThat(pods.subscriptions).hasSize(2);
    assertThat(last().priority()).isEqualTo(100); // no unearned bonus before the first count

    pods.emit("web", new PodCount(1, 1));
    assertThat(last().priority()).isEqualTo(110);
    assertThat(last().settled()).isFalse(); // dns has not spoken

    pods.emit("dns", new PodCount(0, 1));
    assertThat(last().priority()).isEqualTo(90);
    assertThat(last().settled()).isTrue();

    pods.emit("web", new PodCount(0, 2));
    assertThat(last().priority()).isEqualTo(80);
    pods.emit("dns", new PodCount(1, 1));
    assertThat(last().priority()).isEqualTo(100);
    assertThat(last().fault()).isFalse();
  }

  @Test
  void closingTheTrackerEndsItsPodSubscriptions() {
    start(100, pods(pod("dns", "unbound", 1, 0)));
    pods.emit("dns", new PodCount(1, 1));
    int before = seen.size();

    tracker.close();
    assertThat(pods.subscriptions).singleElement().satisfies(s -> assertThat(s.closed).isTrue());
    pods.emit("dns", new PodCount(0, 1));
    assertThat(seen).hasSize(before);
  }

  @Test
  void theBasePriorityCanChangeAndNothingIsReportedAfterClose() {
    start(100, null);
    assertThat(seen).containsExactly(new Effective(100, 100, false, true, List.of()));

    tracker.basePriority(120);
    assertThat(last().priority()).isEqualTo(120);
    tracker.basePriority(120);
    assertThat(seen).hasSize(2); // only changes are reported

    tracker.close();
    tracker.basePriority(50);
    assertThat(seen).hasSize(2);
  }

  @Test
  void aBadDurationMakesAFailingCheckNotAnException() {
    start(100, scripts(new ScriptCheck("bad", List.of("true"), "soon", null, null, null, 0, null)));

    await().atMost(LONG).until(() -> last().fault());
    assertThat(last().faultCause())
        .startsWith("script bad: invalid check: \"soon\" is not a duration");
  }

  @Test
  void closingTrackingClosesItsTrackers() {
    start(100, scripts(new ScriptCheck("s", List.of("true"), "50ms", null, null, null, 10, null)));
    await().atMost(LONG).until(() -> last().priority() == 110);

    tracking.close();
    int count = seen.size();
    tracker.basePriority(1);

    assertThat(seen).hasSize(count);
  }

  private static LinkInfo link(String name, int flags, OperState state) {
    return new LinkInfo(7, name, Optional.empty(), flags, state, 1500);
  }

  /** A link monitor and address manager in memory. */
  /** Delivers counts on the test's thread, as the real watch would on its own. */
  static final class FakePods implements PodWatch {
    final List<FakeSubscription> subscriptions = new CopyOnWriteArrayList<>();

    void emit(String namespace, PodCount count) {
      subscriptions.stream()
          .filter(s -> !s.closed && s.namespace.equals(namespace))
          .forEach(s -> s.listener.accept(count));
    }

    @Override
    public Subscription subscribe(
        String namespace, LabelSelector selector, Consumer<PodCount> listener) {
      FakeSubscription s = new FakeSubscription(namespace, selector, listener);
      subscriptions.add(s);
      return s;
    }
  }

  static final class FakeSubscription implements PodWatch.Subscription {
    final String namespace;
    final LabelSelector selector;
    final Consumer<PodCount> listener;
    volatile boolean closed;

    FakeSubscription(String namespace, LabelSelector selector, Consumer<PodCount> listener) {
      this.namespace = namespace;
      this.selector = selector;
      this.listener = listener;
    }

    String namespace() {
      return namespace;
    }

    LabelSelector selector() {
      return selector;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static final class FakeLinks implements LinkMonitor, AddressManager {
    final Map<String, LinkInfo> links = new ConcurrentHashMap<>();
    final List<Consumer<LinkEvent>> listeners = new CopyOnWriteArrayList<>();
    volatile int subscriptions;

    void emit(LinkEvent e) {
      listeners.forEach(l -> l.accept(e));
    }

    @Override
    public IoResult<Subscription> subscribe(Consumer<LinkEvent> listener) {
      subscriptions++;
      listeners.add(listener);
      return IoResult.ok(() -> listeners.remove(listener));
    }

    @Override
    public IoResult<LinkInfo> link(String interfaceName) {
      LinkInfo l = links.get(interfaceName);
      return l == null
          ? IoResult.failed(Errno.ENODEV, "RTM_GETLINK " + interfaceName)
          : IoResult.ok(l);
    }

    @Override
    public IoResult<List<InterfaceAddress>> list(String interfaceName) {
      throw new UnsupportedOperationException();
    }

    @Override
    public IoResult<Map<String, List<InterfaceAddress>>> listAll() {
      throw new UnsupportedOperationException();
    }

    @Override
    public IoResult<Void> add(String interfaceName, AddressSpec spec) {
      throw new UnsupportedOperationException();
    }

    @Override
    public IoResult<Void> remove(String interfaceName, InetAddress address) {
      throw new UnsupportedOperationException();
    }
  }
}
