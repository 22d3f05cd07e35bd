package dev.floatip.operator;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.Violation;
import dev.floatip.operator.model.ClusterPlan;
import dev.floatip.operator.model.NodeInfo;
import dev.floatip.operator.model.NodeView;
import dev.floatip.operator.model.OperatorConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Holds the current {@link ClusterPlan} and recomputes it, at most every {@link #MIN_INTERVAL}, on
 * its own thread after an event that may change it (a Node added, deleted or changed in what the
 * plan reads; a VirtualIP added, deleted or changed in spec, deletion, VRID or foreign VRIDs). A
 * burst of events costs one computation per interval, not one per VirtualIP. After each computation
 * it triggers a reconcile of exactly the VirtualIPs whose part of the plan changed, and of those
 * holding a {@code status.nodes} entry of a Node that appeared, went or changed readiness: a Node
 * event reaches no other VirtualIP.
 *
 * <p>The inputs are the informer caches (trimmed: {@link InformerTrims}); nothing is computed until
 * both have listed, so a starting operator never sees a cluster without Nodes.
 */
final class Planner extends SimpleInboundEventSource<VirtualIP> {

  private static final Logger LOG = Logger.getLogger(Planner.class);

  static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final ClusterPlan.Settings settings;
  private final Function<VirtualIP, List<Violation>> validate;
  private final AtomicLong computations = new AtomicLong();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  private volatile Supplier<Stream<Node>> nodes = Stream::empty;
  private volatile Supplier<Stream<VirtualIP>> vips = Stream::empty;
  private volatile BooleanSupplier inputsReady = () -> false;
  private volatile ClusterPlan current;
  private volatile long lastStart = System.nanoTime() - MIN_INTERVAL.toNanos();
  private volatile ScheduledExecutorService executor;

  /**
   * Violations by uid, for the generation they were computed for (a spec changes the generation).
   */
  private Map<String, Validated> validated = new HashMap<>();

  private record Validated(long generation, List<Violation> violations) {}

  Planner(OperatorConfig cfg, Function<VirtualIP, List<Violation>> validate) {
    super("plan");
    this.settings =
        new ClusterPlan.Settings(
            cfg.allowance().nodeSelector(), cfg.agentTolerations(), cfg.maxCandidates());
    this.validate = validate;
  }

  /** Where the inputs come from: the informer caches, and whether both have listed. */
  void inputs(
      Supplier<Stream<Node>> nodes, Supplier<Stream<VirtualIP>> vips, BooleanSupplier ready) {
    this.nodes = nodes;
    this.vips = vips;
    this.inputsReady = ready;
  }

  /** The latest plan; null until the first one is computed. */
  ClusterPlan current() {
    return current;
  }

  /** How many plans were computed (and their reconciles triggered) since the start. */
  long computations() {
    return computations.get();
  }

  @Override
  public synchronized void start() {
    super.start();
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "floatip-planner");
              t.setDaemon(true);
              return t;
            });
    scheduled.set(false);
    changed();
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
    current = null;
    super.stop();
  }

  /** Something the plan reads changed: compute a new one, within the interval. */
  void changed() {
    if (scheduled.compareAndSet(false, true)) {
      long wait = Math.max(0, lastStart + MIN_INTERVAL.toNanos() - System.nanoTime());
      schedule(wait);
    }
  }

  private void schedule(long nanos) {
    ScheduledExecutorService ex = executor;
    if (ex == null) {
      scheduled.set(false);
      return;
    }
    try {
      ex.schedule(this::run, nanos, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      scheduled.set(false); // stopped
    }
  }

  private void run() {
    if (!inputsReady.getAsBoolean()) {
      schedule(MIN_INTERVAL.toNanos());
      return;
    }
    // events from here on schedule the next computation
    scheduled.set(false);
    lastStart = System.nanoTime();
    try {
      compute();
    } catch (RuntimeException e) {
      LOG.warnf(e, "Computing the VirtualIP plan failed; trying again in %s", RETRY);
      if (scheduled.compareAndSet(false, true)) {
        schedule(RETRY.toNanos());
      }
    }
  }

  private void compute() {
    List<VirtualIP> all = vips.get().toList();
    List<NodeView> views = nodes.get().map(NodeView::of).toList();
    ClusterPlan previous = current;
    Map<String, Validated> cache = new HashMap<>();
    Map<String, Validated> before = validated;
    Function<VirtualIP, List<Violation>> cachedValidate =
        v -> {
          long gen = Objects.requireNonNullElse(v.getMetadata().getGeneration(), 0L);
          String uid = v.getMetadata().getUid();
          Validated hit = uid == null ? null : before.get(uid);
          if (hit == null || hit.generation() != gen) {
            hit = new Validated(gen, List.copyOf(validate.apply(v)));
          }
          if (uid != null) {
            cache.put(uid, hit);
          }
          return hit.violations();
        };
    ClusterPlan next =
        ClusterPlan.compute(
            computations.get() + 1,
            all,
            views,
            settings,
            cachedValidate,
            v -> remembered(previous, v));
    validated = cache;
    current = next;
    fire(previous, next, all);
    computations.incrementAndGet(); // only this thread computes
  }

  /** The VRID the previous plan allocated to {@code v}, if any. */
  private static Integer remembered(ClusterPlan previous, VirtualIP v) {
    ClusterPlan.Entry e = previous == null ? null : previous.entry(v);
    return e == null || e.vrid() == null || !e.vrid().allocated() ? null : e.vrid().vrid();
  }

  /** Reconciles of the VirtualIPs the new plan concerns differently. */
  private void fire(ClusterPlan previous, ClusterPlan next, List<VirtualIP> all) {
    Set<String> nodesChanged = previous == null ? Set.of() : readinessChanged(previous, next);
    int fired = 0;
    for (VirtualIP v : all) {
      String name = v.getMetadata().getName();
      boolean changed =
          previous == null
              || !Objects.equals(previous.vips().get(name), next.vips().get(name))
              || holdsEntryOf(v, nodesChanged);
      if (changed && isRunning()) {
        propagateEvent(ResourceID.fromResource(v));
        fired++;
      }
    }
    LOG.debugf(
        "Plan %d: %d VirtualIPs, %d Nodes, %d reconciles",
        next.sequence(), all.size(), next.nodes().size(), fired);
  }

  private static Set<String> readinessChanged(ClusterPlan a, ClusterPlan b) {
    return Stream.concat(a.nodes().keySet().stream(), b.nodes().keySet().stream())
        .filter(n -> !Objects.equals(ready(a, n), ready(b, n)))
        .collect(Collectors.toSet());
  }

  private static Boolean ready(ClusterPlan p, String node) {
    NodeView v = p.nodes().get(node);
    return v == null ? null : v.ready();
  }

  private static boolean holdsEntryOf(VirtualIP v, Set<String> nodes) {
    if (nodes.isEmpty() || v.getStatus() == null || v.getStatus().nodes() == null) {
      return false;
    }
    return v.getStatus().nodes().keySet().stream().anyMatch(nodes::contains);
  }

  /** Whether a Node update changes what the plan reads of it. */
  static boolean nodeChangeMatters(Node now, Node before) {
    return !NodeView.of(now).equals(NodeView.of(before));
  }

  /**
   * Whether a VirtualIP update changes what the plan reads of it: spec (generation), deletion,
   * foreign VRIDs its agents report, or a recorded VRID other than the one the plan gave it (the
   * operator's own write of the plan's VRID changes nothing).
   */
  boolean peerChangeMatters(VirtualIP now, VirtualIP before) {
    if (!Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp())
        || !Objects.equals(
            NodeInfo.foreignVridsByNode(List.of(now)),
            NodeInfo.foreignVridsByNode(List.of(before)))) {
      return true;
    }
    Integer vrid = vrid(now);
    if (Objects.equals(vrid, vrid(before))) {
      return false;
    }
    ClusterPlan plan = current;
    ClusterPlan.Entry e = plan == null ? null : plan.entry(now);
    return e == null || e.vrid() == null || !Objects.equals(e.vrid().vrid(), vrid);
  }

  private static Integer vrid(VirtualIP v) {
    return v.getStatus() == null ? null : v.getStatus().virtualRouterId();
  }
}
