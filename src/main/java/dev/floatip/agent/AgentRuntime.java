package dev.floatip.agent;

import dev.floatip.tracking.Effective;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The running agent as the HTTP side sees it (metrics, health, {@code /status}): set once the event
 * loop runs, read from any thread.
 */
public class AgentRuntime {

  private static final Logger LOG = Logger.getLogger(AgentRuntime.class);

  /** A loop that cannot answer within this long is not alive. */
  static final Duration RESPONSIVE = Duration.ofSeconds(2);

  private final AgentMetrics metrics;
  private volatile EventLoop loop;
  private volatile Function<String, Optional<Effective>> checks = vip -> Optional.empty();
  private volatile Supplier<List<StatusView>> notRun = List::of;
  private ScheduledExecutorService refresher;

  public AgentRuntime(MeterRegistry registry) {
    this.metrics = new AgentMetrics(registry);
  }

  /** The listener to give the event loop, so transitions and failovers are counted. */
  public EventLoop.Listener metrics() {
    return metrics;
  }

  /** The loop runs: serve its state, and refresh the per-router metrics every second. */
  public synchronized void started(
      EventLoop running, Function<String, Optional<Effective>> checks) {
    started(running, checks, List::of);
  }

  /**
   * The same, with the VirtualIPs that select this node but cannot run here (shown as FAULT with
   * the reason).
   */
  public synchronized void started(
      EventLoop running,
      Function<String, Optional<Effective>> checks,
      Supplier<List<StatusView>> notRun) {
    this.notRun = notRun;
    this.loop = running;
    this.checks = checks;
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("metrics-refresh").factory());
    refresher.scheduleWithFixedDelay(this::refresh, 0, 1, TimeUnit.SECONDS);
  }

  public synchronized void stopped() {
    loop = null;
    if (refresher != null) {
      refresher.shutdownNow();
    }
  }

  public Optional<EventLoop> loop() {
    return Optional.ofNullable(loop);
  }

  /** The routers' state, or a failed future when the agent does not run or does not answer. */
  public CompletableFuture<List<RouterStatus>> status() {
    EventLoop l = loop;
    if (l == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the agent is not running"));
    }
    return l.status().orTimeout(RESPONSIVE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The routers as {@code /status} shows them, checks included. */
  public CompletableFuture<List<StatusView>> views() {
    Function<String, Optional<Effective>> c = checks;
    Supplier<List<StatusView>> faults = notRun;
    return status()
        .thenApply(
            all ->
                Stream.concat(
                        all.stream().map(s -> StatusView.of(s, c.apply(s.id().vip()))),
                        faults.get().stream())
                    .toList());
  }

  private void refresh() {
    try {
      metrics.update(views().join());
    } catch (RuntimeException e) {
      LOG.debugf("metrics refresh skipped: %s", e.getMessage());
    }
  }
}
