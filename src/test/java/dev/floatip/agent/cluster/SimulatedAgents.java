package dev.floatip.agent.cluster;

import dev.floatip.agent.EventLoop;
import dev.floatip.agent.RouterStatus;
import dev.floatip.agent.VipRunner;
import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
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
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Many cluster agents in one JVM, for the scale benchmark (dev.floatip.testing.scale): per node the
 * agent's own parts (a {@link VipRunner} with its real VRRP event loop on the node's dataplane, a
 * {@link StatusReporter} writing that node's status entries with the agents' ServiceAccount, {@link
 * Passwords}, {@link Placement}), planned exactly as {@link ClusterAgent#plan} plans them and
 * reporting as {@code ClusterAgent.report} does.
 *
 * <p>What differs from N {@link ClusterAgent}s: one informer pair (VirtualIPs, Nodes) feeds every
 * node instead of one per agent (N full caches of N Nodes do not fit one JVM: that is what the real
 * agents of the benchmark measure), one plan thread plans every node per burst of events, no pod
 * watch (no pod checks in the benchmark's VirtualIPs), no metrics endpoint. A node whose Placement
 * decision can have no effect (not selected, no entry, not being deleted, i.e. a Skip that removes
 * nothing) is not passed to {@link Placement#decide}: the same outcome without N×N validations.
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
    final Passwords passwords;
    // plan thread only
    boolean orphansRemoved;
    final Map<String, Long> released = new HashMap<>();
    Set<String> known = Set.of();

    Agent(String node, String namespace, Dataplane dataplane) {
      this.node = node;
      Tracking tracking =
          Tracking.create(
              TrackingSettings.defaults().withFileRoot(Path.of("/nonexistent")),
              dataplane.linkMonitor(),
              dataplane.addresses(),
              PodWatch.NONE);
      List<EventLoop.Listener> listeners = new ArrayList<>();
      listeners.add((spec, change) -> flush());
      this.runner =
          new VipRunner(node, dataplane, clock, tracking, listeners, SimulatedAgents.this::plan);
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
      this.passwords = new Passwords(client, namespace, clock);
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
    List<VirtualIP> all = vips.getStore().list();
    List<Node> allNodes = nodes.getStore().list();
    Map<String, Node> byName =
        allNodes.stream().collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n));
    for (Agent a : agents.values()) {
      try {
        plan(a, all, allNodes, byName.get(a.node));
      } catch (RuntimeException e) {
        System.err.println("sim-agent " + a.node + ": planning failed: " + e);
      }
    }
    plans++;
  }

  /** ClusterAgent.plan for one node, from the shared caches. */
  private void plan(Agent a, List<VirtualIP> all, List<Node> allNodes, Node self) {
    if (!a.orphansRemoved) {
      a.runner.removeOrphans(all);
      a.orphansRemoved = true;
    }
    List<Placement.Decision> decisions = new ArrayList<>();
    for (VirtualIP v : all) {
      if (mayMatter(a, v, self)) {
        decisions.add(Placement.decide(v, self));
      }
    }
    List<VipRunner.VipInput> inputs = new ArrayList<>();
    Map<String, String> unavailable = new HashMap<>();
    for (Placement.Decision d : decisions) {
      if (d instanceof Placement.Run run) {
        switch (a.passwords.resolve(run.vip())) {
          case Passwords.Resolved r ->
              inputs.add(new VipRunner.VipInput(run.vip(), r.password(), run.peers()));
          case Passwords.Missing m -> unavailable.put(run.name(), m.reason());
        }
      }
    }
    Optional<VipRunner.Applied> result = a.runner.apply(inputs, all);
    if (result.isEmpty()) {
      return;
    }
    a.runner.loop().standby(Placement.maintenance(self));
    report(a, decisions, result.get(), unavailable);
    Set<String> names =
        all.stream().map(v -> v.getMetadata().getName()).collect(Collectors.toSet());
    a.known.stream().filter(n -> !names.contains(n)).forEach(a.reporter::forget);
    a.released.keySet().retainAll(names);
    a.known = names;
  }

  /**
   * Whether Placement's decision for this node can do anything: otherwise it is a Skip for a
   * VirtualIP this node neither reports nor has an entry in, which ClusterAgent.report ignores.
   */
  private static boolean mayMatter(Agent a, VirtualIP v, Node self) {
    return v.getMetadata().getDeletionTimestamp() != null
        || v.getSpec() == null
        || self == null
        || listed(a.node, v)
        || a.reporter.reports(v.getMetadata().getName())
        || hasEntry(a.node, v);
  }

  /** Whether the operator lists this node in the VirtualIP's status.candidates. */
  private static boolean listed(String node, VirtualIP v) {
    return v.getStatus() != null
        && v.getStatus().candidates() != null
        && v.getStatus().candidates().stream().anyMatch(c -> node.equals(c.name()));
  }

  /** ClusterAgent.report for one node. */
  private void report(
      Agent a,
      List<Placement.Decision> decisions,
      VipRunner.Applied applied,
      Map<String, String> unavailable) {
    Instant now = clock.instant();
    for (Placement.Decision d : decisions) {
      String name = d.name();
      long generation = Objects.requireNonNullElse(d.vip().getMetadata().getGeneration(), 0L);
      switch (d) {
        case Placement.Run r -> {
          Integer base = applied.running().get(name);
          if (base != null) {
            a.reporter.report(name, new StatusReporter.Running(generation, base));
          } else {
            String why = unavailable.getOrDefault(name, applied.notRun().get(name));
            a.reporter.report(name, new StatusReporter.NotRunning(generation, why, now));
          }
        }
        case Placement.Release rel -> {
          if (!Objects.equals(a.released.get(name), generation) && hasEntry(a.node, d.vip())) {
            a.released.put(name, generation);
            applied
                .stopped()
                .thenRun(
                    () ->
                        a.reporter.report(
                            name,
                            new StatusReporter.Stopped(
                                generation,
                                "VirtualIP deleted: addresses released",
                                clock.instant())));
          }
        }
        case Placement.Skip s -> {
          if (a.reporter.reports(name) || hasEntry(a.node, d.vip())) {
            a.reporter.remove(name);
          }
        }
      }
    }
  }

  private static boolean hasEntry(String node, VirtualIP vip) {
    NodeStatus mine =
        vip.getStatus() == null || vip.getStatus().nodes() == null
            ? null
            : vip.getStatus().nodes().get(node);
    return mine != null && mine.state() != NodeState.Stopped;
  }

  private void foreignVridsSafely() {
    if (vips == null || !vips.hasSynced()) {
      return;
    }
    Set<Integer> ours = new HashSet<>();
    for (VirtualIP v : vips.getStore().list()) {
      if (v.getSpec() != null && v.getSpec().virtualRouterId() != null) {
        ours.add(v.getSpec().virtualRouterId());
      }
      if (v.getStatus() != null && v.getStatus().virtualRouterId() != null) {
        ours.add(v.getStatus().virtualRouterId());
      }
    }
    for (Agent a : agents.values()) {
      try {
        Set<Integer> foreign =
            new TreeSet<>(a.runner.loop().foreignVrids().get(2, TimeUnit.SECONDS));
        foreign.removeAll(ours);
        a.reporter.foreignVrids(foreign);
      } catch (Exception e) {
        System.err.println("sim-agent " + a.node + ": foreign VRIDs not reported: " + e);
      }
    }
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
