package dev.floatip.tracking;

import dev.floatip.api.v1alpha1.HttpCheck;
import dev.floatip.api.v1alpha1.PeriodicCheckSpec;
import dev.floatip.api.v1alpha1.PodCheck;
import dev.floatip.api.v1alpha1.ScriptCheck;
import dev.floatip.api.v1alpha1.TcpCheck;
import dev.floatip.api.v1alpha1.TrackSpec;
import dev.floatip.config.Durations;
import dev.floatip.dataplane.AddressManager;
import dev.floatip.dataplane.LinkMonitor;
import dev.floatip.process.Accounts;
import dev.floatip.process.Identity;
import dev.floatip.process.ProcessRunner;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's tracking machinery, shared by every {@link Tracker}: one timer thread that only
 * triggers, virtual threads for the blocking work (reading files and /proc, TCP connects, waiting
 * for scripts), one HTTP client, one link-event subscription, the pod watch. Made once by the
 * agent; {@link #close()} on shutdown.
 *
 * <p>Nothing here waits on another check: each check is triggered by the timer and runs on its own
 * virtual thread (scripts in their own processes), so a slow check delays nothing else.
 */
public final class Tracking implements AutoCloseable {

  /** The message of a pod check without a {@link PodWatch}. */
  static final String NO_PODS = "pod tracking needs cluster mode: shown, not counted";

  private final TrackingSettings settings;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService blocking;

  /** Created by the first HTTP check: its selector thread is not wanted without one. */
  private HttpClient http;

  private final LinkWatch links;
  private final ProcTable procs;
  private final ScriptChecks scripts;
  private final PodWatch pods;
  private final Set<Tracker> trackers = ConcurrentHashMap.newKeySet();

  private Tracking(
      TrackingSettings settings,
      LinkMonitor linkMonitor,
      AddressManager addresses,
      PodWatch pods,
      ProcessRunner runner) {
    this.settings = settings;
    this.pods = pods == null ? PodWatch.NONE : pods;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("tracking-timer").factory());
    this.blocking =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("check-", 0).factory());
    this.links = new LinkWatch(linkMonitor, addresses);
    this.procs = new ProcTable(settings.procRoot());
    this.scripts =
        new ScriptChecks(
            runner,
            new Accounts(settings.passwd(), settings.group()),
            settings.defaultScriptUser());
  }

  private synchronized HttpClient http() {
    if (http == null) {
      http =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NEVER)
              .executor(blocking)
              .build();
    }
    return http;
  }

  /**
   * @param linkMonitor netlink link events for interface checks ({@code dataplane.linkMonitor()});
   *     may be {@code null} when no check tracks an interface (they then fail with a message)
   * @param addresses reads an interface's current state ({@code dataplane.addresses()}); may be
   *     {@code null} together with {@code linkMonitor}
   * @param pods the pods on this node for pod checks; {@link PodWatch#NONE} (or {@code null}) in
   *     standalone mode, where pod checks are shown and never counted. Not closed by {@link
   *     #close()}: its owner closes it after this.
   */
  public static Tracking create(
      TrackingSettings settings, LinkMonitor linkMonitor, AddressManager addresses, PodWatch pods) {
    ProcessRunner runner =
        new ProcessRunner(
            Identity.of(settings.procRoot().resolve("self/status")),
            ProcessRunner.Tools.find(),
            ScriptChecks.PATH);
    return create(settings, linkMonitor, addresses, pods, runner);
  }

  /** With the runner for scripts given (tests). */
  static Tracking create(
      TrackingSettings settings,
      LinkMonitor linkMonitor,
      AddressManager addresses,
      PodWatch pods,
      ProcessRunner runner) {
    return new Tracking(settings, linkMonitor, addresses, pods, runner);
  }

  /**
   * A tracker for one VirtualIP, not yet started.
   *
   * @param name the VirtualIP's name (for logs)
   * @param basePriority the node's priority before weights (1..254)
   * @param spec {@code spec.track}; {@code null} means no checks
   * @param listener gets every new {@link Effective}; must only enqueue
   */
  public Tracker tracker(
      String name, int basePriority, TrackSpec spec, Consumer<Effective> listener) {
    TrackSpec t = spec == null ? new TrackSpec(null, null, null, null, null, null, null) : spec;
    List<CheckState> initial = new ArrayList<>();
    for (PodCheck p : t.podList()) {
      initial.add(
          pods == PodWatch.NONE
              ? CheckState.unsupported(CheckKind.POD, podName(p), p.weightOrDefault(), NO_PODS)
              : CheckState.unknown(CheckKind.POD, podName(p), p.weightOrDefault()));
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

    Tracker tracker = new Tracker(name, basePriority, initial, listener, trackers::remove);
    trackers.add(tracker);
    if (!t.podList().isEmpty() && pods != PodWatch.NONE) {
      tracker.add(new PodChecks(tracker, 0, t.podList(), pods));
    }
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
      List<String> command = List.copyOf(s.command());
      String user = s.user();
      periodic(
          tracker,
          scriptsAt + i,
          CheckKind.SCRIPT,
          s,
          timeout -> () -> scripts.start(command, timeout, user));
    }
    if (!t.fileList().isEmpty()) {
      tracker.add(
          new FileChecks(
              tracker,
              files,
              t.fileList(),
              settings.fileRoot(),
              settings.fileInterval(),
              scheduler,
              blocking));
    }
    if (!t.interfaceList().isEmpty()) {
      tracker.add(new InterfaceChecks(tracker, interfaces, t.interfaceList(), links, blocking));
    }
    for (int i = 0; i < t.tcpList().size(); i++) {
      TcpCheck c = t.tcpList().get(i);
      periodic(
          tracker, tcpAt + i, CheckKind.TCP, c, timeout -> NetworkChecks.tcp(c, timeout, blocking));
    }
    for (int i = 0; i < t.httpList().size(); i++) {
      HttpCheck c = t.httpList().get(i);
      periodic(
          tracker,
          httpAt + i,
          CheckKind.HTTP,
          c,
          timeout -> NetworkChecks.http(c, timeout, http()));
    }
    return tracker;
  }

  /**
   * Adds a periodic check; a spec the validator should have refused (a bad duration) becomes a
   * check that fails with the reason instead of an exception in the agent.
   */
  private void periodic(
      Tracker tracker,
      int index,
      CheckKind kind,
      PeriodicCheckSpec check,
      Function<Duration, Supplier<Attempt>> attempts) {
    String name = check.name();
    int weight = check.weightOrDefault();
    String intervalText = check.intervalOrDefault();
    String timeoutText = check.timeoutOrDefault();
    int rise = check.riseOrDefault();
    int fall = check.fallOrDefault();
    Duration interval;
    Duration timeout;
    try {
      interval = Durations.parse(intervalText);
      timeout = Durations.parse(timeoutText);
      if (interval.isZero() || timeout.isZero() || rise < 1 || fall < 1) {
        throw new IllegalArgumentException("interval, timeout, rise and fall must be positive");
      }
    } catch (IllegalArgumentException e) {
      String message = "invalid check: " + e.getMessage();
      tracker.add(
          new Tracker.Part() {
            @Override
            public void start() {
              tracker.update(index, CheckState.failing(kind, name, weight, message));
            }

            @Override
            public void stop() {}
          });
      return;
    }
    tracker.add(
        new PeriodicCheck(
            tracker,
            index,
            kind,
            name,
            weight,
            interval,
            rise,
            fall,
            scheduler,
            blocking,
            attempts.apply(timeout)));
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

  /** Closes every tracker (killing running scripts), the timer, the link subscription, HTTP. */
  @Override
  public void close() {
    List.copyOf(trackers).forEach(Tracker::close);
    scheduler.shutdownNow();
    links.close();
    HttpClient client;
    synchronized (this) {
      client = http;
    }
    if (client != null) {
      client.shutdownNow();
    }
    blocking.shutdownNow();
  }
}
