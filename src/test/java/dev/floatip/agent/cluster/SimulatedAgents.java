package dev.floatip.agent.cluster;

import dev.floatip.agent.EventLoop;
import dev.floatip.agent.RouterStatus;
import dev.floatip.agent.VipRunner;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.dataplane.Dataplane;
import dev.floatip.tracking.Effective;
import dev.floatip.tracking.PodWatch;
import dev.floatip.tracking.Tracking;
import dev.floatip.tracking.TrackingSettings;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Many cluster agents in one JVM, for the scale benchmark (dev.floatip.testing.scale): per node the
 * agent's own parts (a {@link VipRunner} with its real VRRP event loop on the node's dataplane, a
 * {@link StatusReporter} writing that node's status entries with the agents' ServiceAccount, {@link
 * Passwords}) and the agent's own {@link NodePlanner}: the code a {@link ClusterAgent} plans and
 * reports with.
 *
 * <p>What differs from N {@link ClusterAgent}s: one informer pair (VirtualIPs, Nodes) feeds every
 * node instead of one per agent (N full caches of N Nodes do not fit one JVM: that is what the real
 * agents of the benchmark measure), one plan thread plans every node per burst of events, no pod
 * watch (no pod checks in the benchmark's VirtualIPs), no metrics endpoint. The names of the
 * VirtualIPs and their VRIDs are computed once per round for every node.
 */
public final class SimulatedAgents implements AutoCloseable {

  private static final Duration SETTLE = Duration.ofMillis(50);
  private static final Duration FOREIGN_VRID_PERIOD = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final InstantSource clock = InstantSource.system();
  private final Map<String, Agent> agents = new LinkedHashMap<>();
  private final ScheduledExecutorService planner =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("sim-plan").factory());
  private SharedIndexInformer<VirtualIP> vips;
  private SharedIndexInformer<Node> nodes;
  private boolean planPending;
  private volatile long plans;

  /**
   * @param client authenticating as the agents' ServiceAccount (shared by every simulated agent)
   * @param nodes the simulated nodes' names
   * @param dataplanes each node's dataplane
   */
  public SimulatedAgents(
      KubernetesClient client,
      String namespace,
      List<String> nodes,
      Function<String, Dataplane> dataplanes) {
    this.client = client;
    for (String node : nodes) {
      agents.put(node, new Agent(node, namespace, dataplanes.apply(node)));
    }
  }

  /** One simulated node's agent parts. */
  private final class Agent {
    final String node;
    final VipRunner runner;
    final StatusReporter reporter;
    final NodePlanner planner;

    Agent(String node, String namespace, Dataplane dataplane) {
      this.node = node;
      Tracking tracking =
          Tracking.create(
              TrackingSettings.defaults().withFileRoot(Path.of("/nonexistent")),
              dataplane.linkMonitor(),
              dataplane.addresses(),
              PodWatch.NONE);
      Passwords passwords = new Passwords(client, namespace, clock);
      List<EventLoop.Listener> listeners = new ArrayList<>();
      listeners.add((spec, change) -> flush());
      this.runner =
          new VipRunner(
              node,
              dataplane,
              clock,
              tracking,
              listeners,
              SimulatedAgents.this::plan,
              passwords::secret);
      this.reporter =
          new StatusReporter(
              client,
              node,
              new StatusReporter.Source() {
                @Override
                public CompletableFuture<List<RouterStatus>> routers() {
                  return runner.loop().status();
                }

                @Override
                public Optional<Effective> checks(String vip) {
                  return runner.checks(vip);
                }
              },
              clock);
      this.planner = new NodePlanner(node, runner, reporter, passwords, clock);
    }

    void flush() {
      reporter.requestFlush();
    }
  }

  /** Starts every node's event loop and reporter, then the informers; returns at once. */
  public void start() {
    agents.values().forEach(a -> a.runner.start());
    agents.values().forEach(a -> a.reporter.start());
    ResourceEventHandler<Object> plan =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Object obj) {
            plan();
          }

          @Override
          public void onUpdate(Object oldObj, Object newObj) {
            plan();
          }

          @Override
          public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
            plan();
          }
        };
    vips = client.resources(VirtualIP.class).runnableInformer(0);
    vips.addEventHandler(cast(plan));
    nodes = client.nodes().runnableInformer(0);
    nodes.itemStore(new TrimmedStore<>(CacheTrim::node)); // as ClusterAgent keeps its own Node
    nodes.addEventHandler(cast(plan));
    vips.exceptionHandler((started, failure) -> true);
    nodes.exceptionHandler((started, failure) -> true);
    vips.start();
    nodes.start();
    planner.scheduleWithFixedDelay(
        this::foreignVridsSafely,
        FOREIGN_VRID_PERIOD.toMillis(),
        FOREIGN_VRID_PERIOD.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @SuppressWarnings("unchecked")
  private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> h) {
    return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
  }

  /** Plan rounds run so far (each plans every node). */
  public long plans() {
    return plans;
  }

  /** Status writes the simulated agents made so far (their reporters' own counts). */
  public Map<String, Long> writes() {
    Map<String, Long> out = new LinkedHashMap<>();
    agents.forEach((n, a) -> out.put(n, a.reporter.writes()));
    return out;
  }

  private synchronized void plan() {
    if (planner.isShutdown() || planPending) {
      return;
    }
    planPending = true;
    planner.schedule(this::planSafely, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void planSafely() {
    synchronized (this) {
      planPending = false;
    }
    if (!vips.hasSynced() || !nodes.hasSynced()) {
      return;
    }
    NodePlanner.Snapshot all = NodePlanner.Snapshot.of(vips.getStore().list());
    for (Agent a : agents.values()) {
      try {
        a.planner.plan(all, nodes.getStore().getByKey(a.node));
      } catch (RuntimeException e) {
        System.err.println("sim-agent " + a.node + ": planning failed: " + e);
      }
    }
    plans++;
  }

  /** Asks every node's event loop at once, then waits for the answers (2 s in all). */
  private void foreignVridsSafely() {
    if (vips == null || !vips.hasSynced()) {
      return;
    }
    Set<Integer> ours = NodePlanner.ownVrids(vips.getStore().list());
    Map<String, CompletableFuture<Void>> asked = new LinkedHashMap<>();
    agents.forEach((n, a) -> asked.put(n, a.planner.reportForeignVrids(ours)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    asked.forEach(
        (n, f) -> {
          try {
            f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          } catch (Exception e) {
            System.err.println("sim-agent " + n + ": foreign VRIDs not reported: " + e);
          }
        });
  }

  @Override
  public void close() {
    synchronized (this) {
      planner.shutdownNow();
    }
    if (vips != null) {
      vips.close();
      nodes.close();
    }
    // each shutdown resigns its masters and waits up to 200 ms: many at once
    try (var pool = Executors.newFixedThreadPool(64)) {
      for (Agent a : agents.values()) {
        pool.submit(
            () -> {
              a.reporter.close();
              a.runner.shutdown(Duration.ofMillis(200));
            });
      }
    }
  }
}
