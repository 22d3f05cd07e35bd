package dev.floatip.tracking;

import dev.floatip.api.v1alpha1.HttpCheck;
import dev.floatip.api.v1alpha1.PodCheck;
import dev.floatip.api.v1alpha1.ScriptCheck;
import dev.floatip.api.v1alpha1.TcpCheck;
import dev.floatip.api.v1alpha1.TrackSpec;
import dev.floatip.config.Durations;
import dev.floatip.dataplane.AddressManager;
import dev.floatip.dataplane.LinkMonitor;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The node's tracking machinery, shared by every {@link Tracker}: one timer thread that only
 * triggers, virtual threads for the blocking work (reading files and /proc, TCP connects, waiting
 * for scripts), one HTTP client, one link-event subscription. Made once by the agent; {@link
 * #close()} on shutdown.
 *
 * <p>Nothing here waits on another check: each check is triggered by the timer and runs on its own
 * virtual thread (scripts in their own processes), so a slow check delays nothing else.
 */
public final class Tracking implements AutoCloseable {

  private final TrackingSettings settings;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService blocking;
  private final HttpClient http;
  private final LinkWatch links;
  private final ProcTable procs;
  private final ScriptRunner scripts;

  private Tracking(
      TrackingSettings settings,
      LinkMonitor linkMonitor,
      AddressManager addresses,
      Identity self,
      ScriptRunner.Tools tools) {
    this.settings = settings;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("tracking-timer").factory());
    this.blocking =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("check-", 0).factory());
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(blocking)
            .build();
    this.links = new LinkWatch(linkMonitor, addresses);
    this.procs = new ProcTable(settings.procRoot());
    this.scripts =
        new ScriptRunner(
            scheduler,
            blocking,
            self,
            new Accounts(settings.passwd(), settings.group()),
            settings.defaultScriptUser(),
            tools);
  }

  /**
   * @param linkMonitor netlink link events for interface checks ({@code dataplane.linkMonitor()});
   *     may be {@code null} when no check tracks an interface (they then fail with a message)
   * @param addresses reads an interface's current state ({@code dataplane.addresses()}); may be
   *     {@code null} together with {@code linkMonitor}
   */
  public static Tracking create(
      TrackingSettings settings, LinkMonitor linkMonitor, AddressManager addresses) {
    return create(
        settings,
        linkMonitor,
        addresses,
        Identity.of(settings.procRoot().resolve("self/status")),
        ScriptRunner.Tools.find());
  }

  static Tracking create(
      TrackingSettings settings,
      LinkMonitor linkMonitor,
      AddressManager addresses,
      Identity self,
      ScriptRunner.Tools tools) {
    return new Tracking(settings, linkMonitor, addresses, self, tools);
  }

  /**
   * A tracker for one VirtualIP, not yet started.
   *
   * @param name the VirtualIP's name (for logs)
   * @param basePriority the node's priority before weights (1..254)
   * @param spec {@code spec.track}; {@code null} means no checks
   * @param listener gets every new {@link Effective}; must only enqueue
   * @throws IllegalArgumentException for a spec the validator should have refused (a bad duration)
   */
  public Tracker tracker(
      String name, int basePriority, TrackSpec spec, Consumer<Effective> listener) {
    TrackSpec t = spec == null ? new TrackSpec(null, null, null, null, null, null, null) : spec;
    List<CheckState> initial = new ArrayList<>();
    for (PodCheck p : t.podList()) {
      initial.add(
          CheckState.unsupported(
              CheckKind.POD,
              podName(p),
              p.weightOrDefault(),
              "pod tracking is not available yet: shown, not counted"));
    }
    int processes = initial.size();
    t.processList()
        .forEach(
            p -> initial.add(CheckState.unknown(CheckKind.PROCESS, p.name(), p.weightOrDefault())));
    int scriptsAt = initial.size();
    t.scriptList()
        .forEach(
            s -> initial.add(CheckState.unknown(CheckKind.SCRIPT, s.name(), s.weightOrDefault())));
    int files = initial.size();
    t.fileList()
        .forEach(
            f -> initial.add(CheckState.unknown(CheckKind.FILE, f.path(), f.weightOrDefault())));
    int interfaces = initial.size();
    t.interfaceList()
        .forEach(
            i ->
                initial.add(
                    CheckState.unknown(CheckKind.INTERFACE, i.name(), i.weightOrDefault())));
    int tcpAt = initial.size();
    t.tcpList()
        .forEach(
            c -> initial.add(CheckState.unknown(CheckKind.TCP, c.name(), c.weightOrDefault())));
    int httpAt = initial.size();
    t.httpList()
        .forEach(
            c -> initial.add(CheckState.unknown(CheckKind.HTTP, c.name(), c.weightOrDefault())));

    Tracker tracker = new Tracker(name, basePriority, initial, listener);
    if (!t.processList().isEmpty()) {
      tracker.add(
          new ProcessChecks(
              tracker,
              processes,
              t.processList(),
              procs,
              settings.processInterval(),
              scheduler,
              blocking));
    }
    for (int i = 0; i < t.scriptList().size(); i++) {
      ScriptCheck s = t.scriptList().get(i);
      Duration timeout = Durations.parse(s.timeoutOrDefault());
      List<String> command = List.copyOf(s.command());
      String user = s.user();
      tracker.add(
          new PeriodicCheck(
              tracker,
              scriptsAt + i,
              CheckKind.SCRIPT,
              s.name(),
              s.weightOrDefault(),
              Durations.parse(s.intervalOrDefault()),
              s.riseOrDefault(),
              s.fallOrDefault(),
              scheduler,
              () -> scripts.start(command, timeout, user)));
    }
    if (!t.fileList().isEmpty()) {
      tracker.add(
          new FileChecks(
              tracker, files, t.fileList(), settings.fileInterval(), scheduler, blocking));
    }
    if (!t.interfaceList().isEmpty()) {
      tracker.add(new InterfaceChecks(tracker, interfaces, t.interfaceList(), links, blocking));
    }
    for (int i = 0; i < t.tcpList().size(); i++) {
      TcpCheck c = t.tcpList().get(i);
      tracker.add(
          new PeriodicCheck(
              tracker,
              tcpAt + i,
              CheckKind.TCP,
              c.name(),
              c.weightOrDefault(),
              Durations.parse(c.intervalOrDefault()),
              c.riseOrDefault(),
              c.fallOrDefault(),
              scheduler,
              NetworkChecks.tcp(c, Durations.parse(c.timeoutOrDefault()), blocking)));
    }
    for (int i = 0; i < t.httpList().size(); i++) {
      HttpCheck c = t.httpList().get(i);
      tracker.add(
          new PeriodicCheck(
              tracker,
              httpAt + i,
              CheckKind.HTTP,
              c.name(),
              c.weightOrDefault(),
              Durations.parse(c.intervalOrDefault()),
              c.riseOrDefault(),
              c.fallOrDefault(),
              scheduler,
              NetworkChecks.http(c, Durations.parse(c.timeoutOrDefault()), http)));
    }
    return tracker;
  }

  /** {@code namespace/key=value,key2=value2} (matchLabels; expressions are summarised). */
  static String podName(PodCheck p) {
    StringBuilder out = new StringBuilder(p.namespace() == null ? "" : p.namespace()).append('/');
    if (p.selector() != null && p.selector().getMatchLabels() != null) {
      out.append(
          String.join(
              ",",
              p.selector().getMatchLabels().entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .sorted()
                  .toList()));
    }
    if (p.selector() != null
        && p.selector().getMatchExpressions() != null
        && !p.selector().getMatchExpressions().isEmpty()) {
      out.append(out.charAt(out.length() - 1) == '/' ? "" : ",")
          .append(p.selector().getMatchExpressions().size())
          .append(" expression(s)");
    }
    return out.toString();
  }

  /** Stops the timer, the link subscription and the HTTP client. Close the trackers first. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    links.close();
    http.shutdownNow();
    blocking.shutdownNow();
  }
}
