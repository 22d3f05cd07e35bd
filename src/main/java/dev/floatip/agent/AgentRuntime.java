package dev.floatip.agent;

import dev.floatip.tracking.Effective;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  public AgentRuntime(MeterRegistry registry) {
    this.metrics = new AgentMetrics(registry);
  }

  /** The listener to give the event loop, so transitions and failovers are counted. */
  public EventLoop.Listener metrics() {
    return metrics;
  }

  /** The loop runs: serve its state (the per-router metrics are refreshed on each scrape). */
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
  }

  public synchronized void stopped() {
    loop = null;
  }

  public Optional<EventLoop> loop() {
    return Optional.ofNullable(loop);
  }

  /**
   * The routers' state, or a failed future when the agent does not run. The caller bounds its wait
   * ({@link #RESPONSIVE}): no timer here, so no JDK delay-scheduler thread (issue 15).
   */
  public CompletableFuture<List<RouterStatus>> status() {
    EventLoop l = loop;
    if (l == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("the agent is not running"));
    }
    return l.status();
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

  /**
   * Brings the per-router gauges up to date; called by each scrape of {@code /q/metrics} on the
   * HTTP thread (Prometheus pulls: a refresh between scrapes would never be read, and a thread of
   * its own would be one more thread; issue 15). Waits at most {@link #RESPONSIVE}; a loop that
   * does not answer leaves the gauges as they were.
   */
  void refresh() {
    try {
      metrics.update(views().get(RESPONSIVE.toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.debugf("metrics refresh skipped: %s", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
