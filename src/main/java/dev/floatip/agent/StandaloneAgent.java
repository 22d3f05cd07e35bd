package dev.floatip.agent;

import dev.floatip.config.ConfigError;
import dev.floatip.config.ConfigFile;
import dev.floatip.dataplane.Dataplane;
import dev.floatip.tracking.Effective;
import dev.floatip.tracking.PodWatch;
import dev.floatip.tracking.Tracking;
import dev.floatip.tracking.TrackingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The agent without Kubernetes: VirtualIP documents from a file, reloaded on SIGHUP and when the
 * file changes. A bad file is refused whole (at start: exit; on reload: the running config stays).
 */
public final class StandaloneAgent implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(StandaloneAgent.class);

  /** Editors write in several steps; reload once they are done. */
  private static final Duration SETTLE = Duration.ofMillis(200);

  /** How often the file's attributes are read for a change. */
  private static final Duration WATCH_POLL = Duration.ofMillis(250);

  private final Path configFile;
  private final VipRunner runner;

  private final ScheduledExecutorService reloader =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("config-reload").factory());
  private ScheduledFuture<?> pendingReload;
  private ScheduledFuture<?> pendingReplan;
  private volatile ConfigFile.Loaded running;
  private Stamp seen;

  public StandaloneAgent(
      Path configFile,
      String nodeName,
      Dataplane dataplane,
      InstantSource clock,
      List<EventLoop.Listener> listeners) {
    this.configFile = configFile.toAbsolutePath();
    Tracking tracking =
        Tracking.create(
            TrackingSettings.defaults(),
            dataplane.linkMonitor(),
            dataplane.addresses(),
            PodWatch.NONE);
    this.runner =
        new VipRunner(nodeName, dataplane, clock, tracking, listeners, this::requestReplan);
  }

  /**
   * Loads the file and starts the routers.
   *
   * @return the errors that kept it from starting; empty when running
   */
  public List<ConfigError> start() {
    ConfigFile.Result result = ConfigFile.load(configFile);
    if (result instanceof ConfigFile.Invalid invalid) {
      return invalid.errors();
    }
    ConfigFile.Loaded loaded = (ConfigFile.Loaded) result;
    runner.removeOrphans(loaded.virtualIPs());
    List<ConfigError> own = new ArrayList<>();
    runner
        .nodeOwnAddresses(loaded.virtualIPs())
        .forEach(
            (name, problems) ->
                problems.forEach(
                    p ->
                        own.add(
                            new ConfigError(
                                configFile.toString(),
                                0,
                                0,
                                p.path(),
                                "VirtualIP \"" + name + "\": " + p.message()))));
    if (!own.isEmpty()) {
      return own;
    }
    runner.start();
    apply(loaded);
    watch();
    return List.of();
  }

  /** Re-plans the running configuration (addresses changed), folding bursts into one. */
  private synchronized void requestReplan() {
    if (pendingReplan != null) {
      pendingReplan.cancel(false);
    }
    pendingReplan = reloader.schedule(this::replanSafely, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Re-reads the file; a file with errors is reported and the running config kept. */
  public void reload() {
    switch (ConfigFile.load(configFile)) {
      case ConfigFile.Invalid invalid -> {
        LOG.errorf("reload refused, keeping the running configuration:");
        invalid.errors().forEach(e -> LOG.errorf("  %s", e));
      }
      case ConfigFile.Loaded loaded -> {
        LOG.infof("reloading %s", configFile);
        apply(loaded);
      }
    }
  }

  /** Schedules a reload shortly, folding bursts of requests into one. */
  public synchronized void requestReload() {
    if (pendingReload != null) {
      pendingReload.cancel(false);
    }
    pendingReload = reloader.schedule(this::reloadSafely, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
  }

  public EventLoop loop() {
    return runner.loop();
  }

  /**
   * Resigns every master, removes the addresses and lets the STOP notifications start, all within
   * {@code timeout}; hooks still running then are killed.
   */
  public void shutdown(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    reloader.shutdownNow();
    runner.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  /** The checks' verdict for one VirtualIP, for status and metrics. */
  public Optional<Effective> checks(String vip) {
    return runner.checks(vip);
  }

  /** The VirtualIPs that cannot run here, as FAULT entries for status. */
  public List<StatusView> notRun() {
    return runner.notRun();
  }

  @Override
  public void close() {
    shutdown(Duration.ofMillis(800));
  }

  private void replanSafely() {
    guarded(
        () -> {
          ConfigFile.Loaded current = running;
          if (current != null) {
            apply(current);
          }
        },
        "re-planning after a network change failed");
  }

  private void reloadSafely() {
    guarded(this::reload, "reload failed; keeping the running configuration");
  }

  /**
   * Runs {@code task}, reporting every failure but a fatal one, so that the reload thread lives on
   * for later reloads and re-plans.
   *
   * @return the failure, if any
   */
  static Optional<Throwable> guarded(Runnable task, String message) {
    try {
      task.run();
      return Optional.empty();
    } catch (VirtualMachineError e) {
      throw e; // fatal: the process ends (never a half-alive agent holding addresses)
    } catch (Exception | Error e) {
      LOG.error(message, e);
      return Optional.of(e);
    }
  }

  private void apply(ConfigFile.Loaded loaded) {
    running = loaded;
    List<VipRunner.VipInput> inputs =
        loaded.virtualIPs().stream()
            .map(
                v ->
                    new VipRunner.VipInput(
                        v, loaded.passwords().get(v.getMetadata().getName()), List.of()))
            .toList();
    runner.apply(inputs, loaded.virtualIPs());
  }

  /**
   * Watches the file by reading its attributes every {@link #WATCH_POLL} on config-reload's thread:
   * a change of modification time, size or inode (editors and config managers replace files by
   * renaming) asks for a reload. No inotify WatchService: the JDK runs one more thread for it
   * (issue 15, threads).
   */
  private void watch() {
    seen = Stamp.of(configFile);
    reloader.scheduleWithFixedDelay(
        this::pollWatch, WATCH_POLL.toMillis(), WATCH_POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void pollWatch() {
    Stamp now = Stamp.of(configFile);
    if (!now.equals(seen)) {
      seen = now;
      requestReload();
    }
  }

  /** What the poll compares; {@code null} fields while the file is missing. */
  private record Stamp(Object modified, long size, Object key) {
    static Stamp of(Path file) {
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
      } catch (IOException e) {
        return new Stamp(null, -1, null);
      }
    }
  }
}
