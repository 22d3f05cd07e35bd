package dev.floatip.agent.cluster;

import dev.floatip.agent.EventLoop;
import dev.floatip.agent.RouterStatus;
import dev.floatip.agent.VipRunner;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.dataplane.Dataplane;
import dev.floatip.tracking.Effective;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The agent in a cluster: VirtualIPs and this node's Node come from informers, this node's status
 * entries go back by merge patch. It runs a VirtualIP where the operator lists this node in {@code
 * status.candidates}, with the other candidates as Unicast peers ({@link Placement}). Informer
 * events only ask for a new plan; plans run on one thread and hand the result to the {@link
 * VipRunner}, whose event loop never waits on the API (DESIGN §2 rule 1): when the API is gone, the
 * routers keep running from the last plan and status catches up later.
 */
public final class ClusterAgent implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ClusterAgent.class);

  /** Informer events come in bursts (every agent writes status): plan once per burst. */
  private static final Duration SETTLE = Duration.ofMillis(50);

  /** How often the foreign VRIDs are looked at (cheap: written only when the set changed). */
  private static final Duration FOREIGN_VRID_PERIOD = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final String nodeName;
  private final InstantSource clock;
  private final VipRunner runner;
  private final StatusReporter reporter;
  private final Passwords passwords;
  private final KubePodWatch pods;
  private final ScheduledExecutorService planner =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("cluster-plan").factory());
  private SharedIndexInformer<VirtualIP> vips;
  private SharedIndexInformer<Node> nodes;
  private boolean planPending;
  private final NodePlanner nodePlanner;

  /**
   * The environment variable naming where the host's root is mounted into the agent's container
   * (read-only); {@code track.files} paths are read under it.
   */
  public static final String HOST_ROOT_ENV = "FLOATIP_HOST_ROOT";

  public ClusterAgent(
      KubernetesClient client,
      String nodeName,
      String namespace,
      Dataplane dataplane,
      InstantSource clock,
      List<EventLoop.Listener> listeners) {
    this(client, nodeName, namespace, dataplane, clock, listeners, hostRoot(System.getenv()));
  }

  /**
   * @param hostRoot where the host's root is mounted: {@code track.files} paths are read under it
   */
  public ClusterAgent(
      KubernetesClient client,
      String nodeName,
      String namespace,
      Dataplane dataplane,
      InstantSource clock,
      List<EventLoop.Listener> listeners,
      Path hostRoot) {
    this.client = client;
    this.nodeName = nodeName;
    this.clock = clock;
    this.passwords = new Passwords(client, namespace, clock);
    this.pods = new KubePodWatch(client, nodeName);
    Tracking tracking =
        Tracking.create(
            TrackingSettings.defaults().withFileRoot(hostRoot),
            dataplane.linkMonitor(),
            dataplane.addresses(),
            pods);
    List<EventLoop.Listener> all = new ArrayList<>(listeners);
    all.add((spec, change) -> requestFlush());
    this.runner =
        new VipRunner(
            nodeName, dataplane, clock, tracking, all, this::requestPlan, passwords::secret);
    this.reporter =
        new StatusReporter(
            client,
            nodeName,
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
    this.nodePlanner = new NodePlanner(nodeName, runner, reporter, passwords, clock);
  }

  /**
   * {@value #HOST_ROOT_ENV} when set (the DaemonSet mounts the host's {@code /} there), else {@code
   * /}: the container's own files, as an agent run outside the DaemonSet sees them.
   */
  public static Path hostRoot(Map<String, String> env) {
    String root = env.get(HOST_ROOT_ENV);
    if (root == null || root.isBlank()) {
      return Path.of("/");
    }
    Path p = Path.of(root.strip());
    if (!p.isAbsolute()) {
      throw new IllegalArgumentException(HOST_ROOT_ENV + " must be an absolute path, was " + root);
    }
    return p;
  }

  /** Starts the event loop and the informers; returns at once (the API may be unreachable). */
  public void start() {
    runner.start();
    reporter.start();
    pods.start();
    ResourceEventHandler<Object> plan =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Object obj) {
            requestPlan();
          }

          @Override
          public void onUpdate(Object oldObj, Object newObj) {
            requestPlan();
          }

          @Override
          public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
            requestPlan();
          }
        };
    // Only what this node needs stays in memory (DESIGN §2 rule 7): every VirtualIP, trimmed, and
    // this node's own Node (fieldSelector metadata.name), trimmed to labels and spec.
    vips = client.resources(VirtualIP.class).runnableInformer(0);
    vips.itemStore(new TrimmedStore<>(v -> CacheTrim.vip(v, nodeName)));
    vips.addEventHandler(cast(plan));
    nodes = client.nodes().withName(nodeName).runnableInformer(0);
    nodes.itemStore(new TrimmedStore<>(CacheTrim::node));
    nodes.addEventHandler(cast(plan));
    // Retry every failure, the first list included: an API server that is down when the agent
    // starts must not leave it without VirtualIPs for good (the default gives up before a sync).
    vips.exceptionHandler(ClusterAgent::retry);
    nodes.exceptionHandler(ClusterAgent::retry);
    vips.start();
    nodes.start();
    planner.scheduleWithFixedDelay(
        this::reportForeignVridsSafely,
        FOREIGN_VRID_PERIOD.toMillis(),
        FOREIGN_VRID_PERIOD.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static boolean retry(boolean started, Throwable failure) {
    LOG.warnf("watch failed: %s; retrying (VRRP keeps running)", failure.toString());
    return true;
  }

  @SuppressWarnings("unchecked")
  private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> h) {
    return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
  }

  public EventLoop loop() {
    return runner.loop();
  }

  public Optional<Effective> checks(String vip) {
    return runner.checks(vip);
  }

  /** The VirtualIPs that cannot run here, as FAULT entries for status. */
  public List<dev.floatip.agent.StatusView> notRun() {
    return runner.notRun();
  }

  /** A router changed state: write status as soon as the rate limit allows. */
  private void requestFlush() {
    reporter.requestFlush();
  }

  /** Plans again soon, folding bursts of events into one plan. */
  public synchronized void requestPlan() {
    if (planner.isShutdown() || planPending) {
      return; // the plan already queued has not read the caches yet: it sees this change too
    }
    planPending = true;
    planner.schedule(this::planSafely, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void planSafely() {
    synchronized (this) {
      planPending = false; // a change from now on needs another plan
    }
    try {
      plan();
    } catch (RuntimeException e) {
      LOG.error("planning failed; the routers keep their last configuration", e);
    }
  }

  private void plan() {
    if (!vips.hasSynced() || !nodes.hasSynced()) {
      return; // the informers call again once they listed
    }
    nodePlanner.plan(
        NodePlanner.Snapshot.of(vips.getStore().list()), nodes.getStore().getByKey(nodeName));
  }

  private void reportForeignVridsSafely() {
    try {
      reportForeignVrids();
    } catch (RuntimeException
        | java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException e) {
      LOG.warnf("foreign VRIDs not reported: %s", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The foreign VRIDs this node hears: {@link NodePlanner#reportForeignVrids}. */
  private void reportForeignVrids()
      throws InterruptedException,
          java.util.concurrent.ExecutionException,
          java.util.concurrent.TimeoutException {
    if (vips == null || !vips.hasSynced()) {
      return;
    }
    nodePlanner
        .reportForeignVrids(NodePlanner.ownVrids(vips.getStore().list()))
        .get(2, TimeUnit.SECONDS);
  }

  /**
   * Resigns every master, removes the addresses, reports Stopped for every VirtualIP this node ran,
   * and stops watching; within about {@code timeout} plus one status write.
   */
  public void shutdown(Duration timeout) {
    synchronized (this) {
      planner.shutdownNow();
    }
    runner.shutdown(timeout);
    Instant now = clock.instant();
    if (vips != null) {
      for (VirtualIP v : vips.getStore().list()) {
        String name = v.getMetadata().getName();
        if (reporter.reports(name)) {
          long generation = Objects.requireNonNullElse(v.getMetadata().getGeneration(), 0L);
          reporter.report(name, new StatusReporter.Stopped(generation, "agent stopped", now));
        }
      }
    }
    reporter.flushNow(Duration.ofSeconds(1));
    reporter.close();
    pods.close();
    if (vips != null) {
      vips.close();
      nodes.close();
    }
  }

  @Override
  public void close() {
    shutdown(Duration.ofMillis(800));
  }
}
