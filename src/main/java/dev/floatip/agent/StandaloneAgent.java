package dev.floatip.agent;

import dev.floatip.config.ConfigError;
import dev.floatip.config.ConfigFile;
import dev.floatip.dataplane.Dataplane;
import dev.floatip.tracking.Effective;
import dev.floatip.tracking.PodWatch;
import dev.floatip.tracking.Tracking;
import dev.floatip.tracking.TrackingSettings;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
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

  private final Path configFile;
  private final VipRunner runner;

  private final ScheduledExecutorService reloader =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("config-reload").factory());
  private ScheduledFuture<?> pendingReload;
  private ScheduledFuture<?> pendingReplan;
  private volatile ConfigFile.Loaded running;
  private WatchService watcher;

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
    closeWatcher();
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

  /** Watches the file's directory: editors and config managers replace files by renaming. */
  private void watch() {
    try {
      watcher = FileSystems.getDefault().newWatchService();
      configFile
          .getParent()
          .register(
              watcher,
              StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY,
              StandardWatchEventKinds.ENTRY_DELETE);
      Thread.ofPlatform().daemon().name("config-watch").start(this::watchLoop);
    } catch (IOException e) {
      LOG.warnf("not watching %s (%s); reload with SIGHUP", configFile, e.getMessage());
    }
  }

  private void watchLoop() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        boolean ours =
            key.pollEvents().stream().anyMatch(e -> configFile.getFileName().equals(e.context()));
        if (ours) {
          requestReload();
        }
        key.reset();
      }
    } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
      // closed: we are shutting down
    }
  }

  private void closeWatcher() {
    try {
      if (watcher != null) {
        watcher.close();
      }
    } catch (IOException e) {
      LOG.debug("closing the watcher", e);
    }
  }
}
