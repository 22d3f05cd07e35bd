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
import java.util.HashSet;
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
 * agents of the benchmark measure), one plan thread for every node, no pod watch (no pod checks in
 * the benchmark's VirtualIPs), no metrics endpoint. A round plans only the nodes an event can
 * concern (a VirtualIP's candidates and nodes with an entry, before and after; a Node's own agent),
 * where a ClusterAgent plans on every event: for the other nodes {@link NodePlanner#mayConcern}
 * leaves the plan as it was. The names of the VirtualIPs and their VRIDs are computed once per
 * round for every node.
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

  /** The nodes the next round plans (guarded by this); null: every node. */
  private Set<String> due;

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
              () -> plan(Set.of(node)),
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
    vips = client.resources(VirtualIP.class).runnableInformer(0);
    vips.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(VirtualIP v) {
            plan(concerned(v));
          }

          @Override
          public void onUpdate(VirtualIP before, VirtualIP now) {
            Set<String> both = new HashSet<>(concerned(before));
            both.addAll(concerned(now));
            plan(both);
          }

          @Override
          public void onDelete(VirtualIP v, boolean deletedFinalStateUnknown) {
            plan(concerned(v));
          }
        });
    nodes = client.nodes().runnableInformer(0);
    nodes.itemStore(new TrimmedStore<>(CacheTrim::node)); // as ClusterAgent keeps its own Node
    nodes.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Node n) {
            plan(Set.of(n.getMetadata().getName()));
          }

          @Override
          public void onUpdate(Node before, Node now) {
            plan(Set.of(now.getMetadata().getName()));
          }

          @Override
          public void onDelete(Node n, boolean deletedFinalStateUnknown) {
            plan(Set.of(n.getMetadata().getName()));
          }
        });
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

  /**
   * The nodes a VirtualIP's change can concern: its candidates and the nodes with an entry. For any
   * other node {@link NodePlanner#mayConcern} is false before and after, so its plan would not
   * change: a ClusterAgent plans on every event, the simulation only where it can matter.
   */
  private static Set<String> concerned(VirtualIP v) {
    Set<String> out = new HashSet<>();
    if (v.getStatus() != null) {
      if (v.getStatus().candidates() != null) {
        v.getStatus().candidates().stream()
            .filter(c -> c != null && c.name() != null)
            .forEach(c -> out.add(c.name()));
      }
      if (v.getStatus().nodes() != null) {
        out.addAll(v.getStatus().nodes().keySet());
      }
    }
    return out;
  }

  /** Plan rounds run so far (the first plans every node, the others the nodes events concern). */
  public long plans() {
    return plans;
  }

  /** Status writes the simulated agents made so far (their reporters' own counts). */
  public Map<String, Long> writes() {
    Map<String, Long> out = new LinkedHashMap<>();
    agents.forEach((n, a) -> out.put(n, a.reporter.writes()));
    return out;
  }

  /** Plans these nodes in the next round, folding bursts of events into one round. */
  private synchronized void plan(Set<String> nodes) {
    if (nodes.isEmpty() || planner.isShutdown()) {
      return;
    }
    if (due != null) {
      due.addAll(nodes);
    }
    if (planPending) {
      return;
    }
    planPending = true;
    planner.schedule(this::planSafely, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void planSafely() {
    Set<String> round;
    synchronized (this) {
      if (!vips.hasSynced() || !nodes.hasSynced()) {
        planner.schedule(this::planSafely, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        return; // the first round, of every node, once both informers listed
      }
      planPending = false;
      round = due == null ? agents.keySet() : due;
      due = new HashSet<>();
    }
    NodePlanner.Snapshot all = NodePlanner.Snapshot.of(vips.getStore().list());
    for (String node : round) {
      Agent a = agents.get(node);
      if (a == null) {
        continue; // a Node without a simulated agent (a real agent's)
      }
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
