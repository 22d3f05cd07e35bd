package dev.floatip.agent;

import dev.floatip.config.ConfigError;
import dev.floatip.config.ConfigFile;
import dev.floatip.dataplane.Dataplane;
import dev.floatip.dataplane.InterfaceAddress;
import dev.floatip.dataplane.IoResult;
import dev.floatip.notify.NotifyRuntime;
import dev.floatip.tracking.Effective;
import dev.floatip.tracking.PodWatch;
import dev.floatip.tracking.Tracking;
import dev.floatip.tracking.TrackingSettings;
import dev.floatip.vrrp.Action;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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
  private final String nodeName;
  private final Dataplane dataplane;
  private final EventLoop loop;
  private final VipServices services;

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
    this.nodeName = nodeName;
    this.dataplane = dataplane;
    List<EventLoop.Listener> all = new ArrayList<>(listeners);
    all.add(
        new EventLoop.Listener() {
          @Override
          public void stateChanged(RouterSpec spec, Action.StateChanged change) {
            services.stateChanged(spec, change);
          }

          @Override
          public void networkChanged() {
            requestReplan();
          }
        });
    this.loop = new EventLoop(clock, dataplane, all);
    this.services =
        new VipServices(
            nodeName,
            loop,
            Tracking.create(
                TrackingSettings.defaults(),
                dataplane.linkMonitor(),
                dataplane.addresses(),
                PodWatch.NONE),
            new NotifyRuntime());
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
    removeOrphans(loaded);
    loop.start();
    apply(loaded);
    watch();
    return List.of();
  }

  /**
   * No orphans after a crash: we are master of nothing yet, so any configured address found on any
   * interface goes, including those of VirtualIPs that cannot be planned right now.
   */
  private void removeOrphans(ConfigFile.Loaded loaded) {
    Set<InetAddress> virtual = Set.copyOf(StandalonePlanner.virtualAddresses(loaded.virtualIPs()));
    if (dataplane.addresses().listAll()
        instanceof IoResult.Ok<Map<String, List<InterfaceAddress>>> ok) {
      ok.value()
          .forEach(
              (iface, addresses) ->
                  addresses.stream()
                      .map(InterfaceAddress::address)
                      .filter(virtual::contains)
                      .forEach(
                          a -> {
                            LOG.infof(
                                "removing %s from %s: left by a previous run",
                                a.getHostAddress(), iface);
                            dataplane.addresses().remove(iface, a);
                          }));
    }
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
    return loop;
  }

  /**
   * Resigns every master, removes the addresses and lets the STOP notifications start, all within
   * {@code timeout}; hooks still running then are killed.
   */
  public void shutdown(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    reloader.shutdownNow();
    closeWatcher();
    loop.shutdown(timeout.multipliedBy(3).dividedBy(4));
    services.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    services.close();
  }

  /** The checks' verdict for one VirtualIP, for status and metrics. */
  public Optional<Effective> checks(String vip) {
    return services.effective(vip);
  }

  @Override
  public void close() {
    shutdown(Duration.ofMillis(800));
  }

  private void replanSafely() {
    try {
      ConfigFile.Loaded current = running;
      if (current != null) {
        apply(current);
      }
    } catch (RuntimeException e) {
      LOG.error("re-planning after a network change failed", e);
    }
  }

  private void reloadSafely() {
    try {
      reload();
    } catch (RuntimeException e) {
      LOG.error("reload failed; keeping the running configuration", e);
    }
  }

  private void apply(ConfigFile.Loaded loaded) {
    running = loaded;
    Set<InetAddress> virtual =
        new HashSet<>(StandalonePlanner.virtualAddresses(loaded.virtualIPs()));
    switch (dataplane.addresses().listAll()) {
      case IoResult.Failed<?> failed ->
          LOG.errorf("cannot read the node's interfaces: %s", failed.message());
      case IoResult.Ok<Map<String, List<InterfaceAddress>>> ok -> {
        DataplaneNetwork network = new DataplaneNetwork(ok.value(), virtual);
        List<StandalonePlanner.PlannedVip> planned =
            StandalonePlanner.plan(loaded.virtualIPs(), nodeName, network, loaded.passwords());
        List<RouterSpec> specs = new ArrayList<>();
        for (StandalonePlanner.PlannedVip p : planned) {
          // the checks keep running across reloads; their current weights apply at once
          int effective =
              services.update(
                  p.name(),
                  p.basePriority(),
                  p.vip().getSpec().track(),
                  p.vip().getSpec().notifications(),
                  p.routers().stream().map(RouterSpec::id).toList());
          p.routers().forEach(r -> specs.add(r.withPriority(effective)));
        }
        services.retainOnly(
            planned.stream().map(StandalonePlanner.PlannedVip::name).collect(Collectors.toSet()));
        loop.apply(specs);
        // routers this apply (re)started must not run without the checks' FAULT
        services.reassert();
        services.startChecks();
      }
    }
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
