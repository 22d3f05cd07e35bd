package dev.floatip.operator;

import static dev.floatip.api.v1alpha1.ClusterContract.SPLIT_BRAIN;

import dev.floatip.api.v1alpha1.ClusterContract;
import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.config.Durations;
import dev.floatip.config.Mode;
import dev.floatip.config.Violation;
import dev.floatip.config.VirtualIPValidator;
import dev.floatip.operator.model.AllowanceCheck;
import dev.floatip.operator.model.ClusterPlan;
import dev.floatip.operator.model.Labels;
import dev.floatip.operator.model.OperatorConfig;
import dev.floatip.operator.model.StatusAggregator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reconciles every VirtualIP from the cluster-wide {@link ClusterPlan} the {@link Planner} keeps
 * (its violations, VRID and candidates, computed once per change for all VirtualIPs, not once per
 * VirtualIP), keeps the one shared agent DaemonSet (and its RBAC) in line with the plan's runnable
 * VirtualIPs, and aggregates the agents' reports into the operator-owned status fields. Deletion
 * waits, through a finalizer, until every agent reported its addresses released, or a timeout
 * (reported as an Event); entries of Nodes that no longer exist are not waited for.
 *
 * <p>Not generation-aware: agents only change the status, and their reports must trigger
 * aggregation. Other event sources: the plan (a VirtualIP whose part of the plan changed), the
 * agent DaemonSet, and two informers that only feed the plan: Nodes and the other VirtualIPs. Their
 * caches are trimmed ({@link InformerTrims}).
 *
 * <p>Writer split (DESIGN §4): the operator writes its own status fields only, never an agent's
 * {@code status.nodes} entry, with one exception: it removes the entries of Nodes that no longer
 * exist ({@link StatusWriter}).
 *
 * <p>The operator's own RBAC is helm/floatip/templates/rbac.yaml (HelmChartTest checks it against
 * these calls): it holds every rule it grants the agents, and has neither escalate nor bind.
 */
@ControllerConfiguration(
    name = VirtualIPReconciler.NAME,
    finalizerName = ClusterContract.FINALIZER,
    generationAwareEventProcessing = false,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
// Never give up on a VirtualIP: JOSDK's default stops after 5 failed attempts until the next
// event or maxReconciliationInterval (5 min), and a VirtualIP whose status writes timed out while
// the API server was overloaded has no next event (seen at 1000 VirtualIPs: 324 left without
// status). As controller-runtime's workqueue does: retry forever, backing off to at most 30 s.
@GradualRetry(
    maxAttempts = VirtualIPReconciler.RETRY_FOREVER,
    initialInterval = 500,
    intervalMultiplier = 2,
    maxInterval = 30_000)
public class VirtualIPReconciler implements Reconciler<VirtualIP>, Cleaner<VirtualIP> {

  /** JOSDK's GenericRetryExecution gives up only when maxAttempts is above -1. */
  static final int RETRY_FOREVER = -1;

  public static final String NAME = "virtualip";

  private static final Logger LOG = Logger.getLogger(VirtualIPReconciler.class);

  /** How often a deleted VirtualIP looks again while agents have not reported. */
  static final Duration RELEASE_POLL = Duration.ofSeconds(2);

  /** When to look again after agents wrote while our own write was in flight. */
  static final Duration AGAIN = Duration.ofMillis(20);

  /**
   * Nodes per page of the Node informer's list ({@code limit}, then {@code continue}): each page is
   * trimmed into the cache before the next is read, so the heap holds one page of full Nodes, not
   * the whole cluster's (a cloud Node is ~20 KB of JSON; 1000 of them did not fit -Xmx96m).
   */
  static final long NODE_LIST_PAGE = 100;

  /** When to look again while the plan does not cover a VirtualIP (new, or a new generation). */
  static final Duration PLAN_WAIT = Duration.ofMillis(200);

  private final OperatorConfig cfg;
  private final AgentResources agentResources;
  private final EventRecorder events;
  private final Clock clock;
  private final Planner planner;

  private volatile InformerEventSource<Node, VirtualIP> nodeSource;
  private volatile InformerEventSource<DaemonSet, VirtualIP> daemonSetSource;
  private volatile InformerEventSource<VirtualIP, VirtualIP> peerSource;

  /** The plan and DaemonSet the agent resources were last synced for. */
  private long syncedPlan = -1;

  private String syncedDaemonSet;

  @Inject
  public VirtualIPReconciler(
      OperatorConfig cfg, AgentResources agentResources, EventRecorder events, Clock clock) {
    this.cfg = cfg;
    this.agentResources = agentResources;
    this.events = events;
    this.clock = clock;
    this.planner = new Planner(cfg, this::validate);
  }

  /** How many cluster-wide plans were computed (tests bound it for a burst of changes). */
  public long planComputations() {
    return planner.computations();
  }

  @Override
  public List<EventSource<?, VirtualIP>> prepareEventSources(EventSourceContext<VirtualIP> ctx) {
    IndexerResourceCache<VirtualIP> primaries = ctx.getPrimaryCache();
    nodeSource =
        new PlanInputSource<>(nodeInformer(), ctx, planner::changed, Planner::nodeChangeMatters);
    daemonSetSource =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(DaemonSet.class, VirtualIP.class)
                .withName("agent-daemonset")
                .withNamespaces(Set.of(cfg.namespace()))
                .withLabelSelector(Labels.agentSelectorText())
                .withSecondaryToPrimaryMapper(d -> all(primaries, null))
                // a spec edit (generation) or a metadata edit: AgentResources repairs drift
                .withOnUpdateFilter(
                    (now, before) ->
                        !Objects.equals(
                                now.getMetadata().getGeneration(),
                                before.getMetadata().getGeneration())
                            || !Objects.equals(
                                now.getMetadata().getLabels(), before.getMetadata().getLabels())
                            || !Objects.equals(
                                now.getMetadata().getAnnotations(),
                                before.getMetadata().getAnnotations()))
                .build(),
            ctx);
    peerSource =
        new PlanInputSource<>(
            InformerEventSourceConfiguration.from(VirtualIP.class, VirtualIP.class)
                .withName("peers")
                .withSecondaryToPrimaryMapper(v -> Set.of())
                .withItemStore(new TransformingItemStore<>(InformerTrims::virtualIP))
                .build(),
            ctx,
            planner::changed,
            planner::peerChangeMatters);
    planner.inputs(
        () -> nodeSource.list(),
        () -> peerSource.list(),
        () -> nodeSource.isRunning() && peerSource.isRunning());
    return List.of(nodeSource, daemonSetSource, peerSource, planner);
  }

  /** The Node informer: trimmed Nodes, listed page by page, feeding only the plan. */
  static InformerEventSourceConfiguration<Node> nodeInformer() {
    return InformerEventSourceConfiguration.from(Node.class, VirtualIP.class)
        .withName("nodes")
        .withSecondaryToPrimaryMapper(n -> Set.of())
        .withItemStore(new TransformingItemStore<>(InformerTrims::node))
        .withInformerListLimit(NODE_LIST_PAGE)
        .build();
  }

  private static Set<ResourceID> all(IndexerResourceCache<VirtualIP> cache, HasMetadata except) {
    String skip = except == null ? null : except.getMetadata().getName();
    return cache
        .list()
        .filter(v -> !v.getMetadata().getName().equals(skip))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /**
   * An informer whose events only tell the {@link Planner} (when they change what it reads): they
   * never reconcile a VirtualIP directly; the planner triggers those its new plan concerns.
   */
  private static final class PlanInputSource<R extends HasMetadata>
      extends InformerEventSource<R, VirtualIP> {
    private final Runnable changed;
    private final BiPredicate<R, R> matters;

    PlanInputSource(
        InformerEventSourceConfiguration<R> config,
        EventSourceContext<VirtualIP> ctx,
        Runnable changed,
        BiPredicate<R, R> matters) {
      super(config, ctx);
      this.changed = changed;
      this.matters = matters;
    }

    @Override
    public void onAdd(R r) {
      changed.run();
    }

    @Override
    public void onUpdate(R before, R now) {
      if (matters.test(now, before)) {
        changed.run();
      }
    }

    @Override
    public synchronized void onDelete(R r, boolean unknownState) {
      changed.run();
    }
  }

  @Override
  public UpdateControl<VirtualIP> reconcile(VirtualIP vip, Context<VirtualIP> ctx) {
    ClusterPlan plan = planner.current();
    ClusterPlan.Entry entry = plan == null ? null : plan.entry(vip);
    if (entry == null || entry.generation() != generation(vip)) {
      planner.changed();
      return UpdateControl.<VirtualIP>noUpdate().rescheduleAfter(PLAN_WAIT.toMillis());
    }
    List<VirtualIP> runnable = plan.runnable();
    if (syncDue(plan)) {
      agentResources.sync(!runnable.isEmpty(), currentDaemonSet());
      synced(plan);
    }

    StatusAggregator.Result result = aggregate(vip, vip.getStatus(), entry, plan);
    UpdateControl<VirtualIP> control = UpdateControl.noUpdate();
    Optional<Duration> hold =
        vip.getMetadata().getDeletionTimestamp() != null
            ? Optional.empty()
            : StatusAggregator.masterLossHold(
                vip.getStatus(), result, interval(vip), clock.instant());
    if (hold.isPresent()) {
      // a backup is taking over: write once, with the new master (or NoMaster after the hold)
      return control.rescheduleAfter(hold.get().toMillis());
    }
    if (result.differsFrom(vip.getStatus())) {
      VirtualIP stored = StatusWriter.write(ctx, vip, result);
      announce(vip, result);
      // Agents, users and the API server may have written between our read and our patch, but
      // JOSDK takes every event up to the patch's resourceVersion for our own. So look again at
      // once if the stored object differs in anything we act on: spec, deletion, agent entries.
      if (stored != null && changedMeanwhile(vip, stored, entry, plan)) {
        return control.rescheduleAfter(AGAIN.toMillis());
      }
    }
    return result.recheckAfter().map(d -> control.rescheduleAfter(d.toMillis())).orElse(control);
  }

  /**
   * Whether the agent resources were not yet synced for this plan and the DaemonSet as cached now
   * (a changed DaemonSet is looked at again: drift is repaired).
   */
  private synchronized boolean syncDue(ClusterPlan plan) {
    return plan.sequence() != syncedPlan || !Objects.equals(syncedDaemonSet, daemonSetVersion());
  }

  private synchronized void synced(ClusterPlan plan) {
    syncedPlan = plan.sequence();
    syncedDaemonSet = daemonSetVersion();
  }

  private String daemonSetVersion() {
    return currentDaemonSet().map(d -> d.getMetadata().getResourceVersion()).orElse(null);
  }

  private static long generation(VirtualIP vip) {
    return Optional.ofNullable(vip.getMetadata().getGeneration()).orElse(0L);
  }

  /**
   * A VirtualIP's own violations, the one place that builds them (the planner calls it once per
   * spec generation; address conflicts are added by the plan): the spec's, and a passwordSecretRef
   * the agents may not read (SecretNamespaces).
   */
  private List<Violation> validate(VirtualIP v) {
    List<Violation> out = new ArrayList<>(VirtualIPValidator.validate(v, Mode.CLUSTER));
    out.addAll(SecretNamespaces.check(v, cfg));
    out.addAll(AllowanceCheck.violations(v, cfg.allowance()));
    return out;
  }

  private boolean changedMeanwhile(
      VirtualIP read, VirtualIP stored, ClusterPlan.Entry entry, ClusterPlan plan) {
    return !Objects.equals(read.getMetadata().getGeneration(), stored.getMetadata().getGeneration())
        || !Objects.equals(
            read.getMetadata().getDeletionTimestamp(), stored.getMetadata().getDeletionTimestamp())
        || aggregate(read, stored.getStatus(), entry, plan).differsFrom(stored.getStatus());
  }

  private StatusAggregator.Result aggregate(
      VirtualIP vip, VirtualIPStatus status, ClusterPlan.Entry entry, ClusterPlan plan) {
    List<Violation> violations = entry.violations();
    return StatusAggregator.aggregate(
        new StatusAggregator.Input(
            status,
            generation(vip),
            violations,
            entry.vrid(),
            violations.isEmpty() ? interval(vip) : null,
            plan.notReadyNodes(status),
            clock.instant(),
            vip.getSpec() == null ? List.of() : vip.getSpec().addressList(),
            plan.goneNodes(status),
            entry.candidates()));
  }

  private Optional<DaemonSet> currentDaemonSet() {
    return daemonSetSource
        .list()
        .filter(d -> d.getMetadata().getName().equals(cfg.agentName()))
        .findFirst();
  }

  private static Duration interval(VirtualIP vip) {
    try {
      return Durations.parse(vip.getSpec().advertisementIntervalOrDefault());
    } catch (IllegalArgumentException e) {
      return Duration.ofSeconds(1);
    }
  }

  /** Events: every master change (Normal), a new split brain (Warning). */
  private void announce(VirtualIP vip, StatusAggregator.Result r) {
    VirtualIPStatus before = vip.getStatus();
    String oldMaster =
        before == null || before.master() == null || before.master().isEmpty()
            ? null
            : before.master();
    if (!Objects.equals(oldMaster, r.master())) {
      events.normal(
          vip,
          "MasterChanged",
          "master: "
              + (oldMaster == null ? "none" : oldMaster)
              + " -> "
              + (r.master() == null ? "none" : r.master()));
    }
    boolean wasSplit =
        before != null
            && before.conditions() != null
            && before.conditions().stream()
                .anyMatch(
                    c ->
                        c != null
                            && SPLIT_BRAIN.equals(c.getType())
                            && "True".equals(c.getStatus()));
    Optional<Condition> split = r.condition(SPLIT_BRAIN).filter(c -> "True".equals(c.getStatus()));
    if (split.isPresent() && !wasSplit) {
      events.warning(vip, "SplitBrain", split.get().getMessage());
    }
  }

  @Override
  public DeleteControl cleanup(VirtualIP vip, Context<VirtualIP> ctx) {
    String name = vip.getMetadata().getName();
    ClusterPlan plan = planner.current();
    if (plan == null) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(PLAN_WAIT.toMillis());
    }
    // an entry of a Node that no longer exists has no agent left to release it
    Set<String> gone = plan.goneNodes(vip.getStatus());
    List<String> holding =
        holding(vip.getStatus()).stream().filter(n -> !gone.contains(n)).toList();
    Instant now = clock.instant();
    Instant deadline = deletedAt(vip, now).plus(cfg.finalizerTimeout());
    if (!holding.isEmpty() && now.isBefore(deadline)) {
      Duration left = Duration.between(now, deadline);
      long wait = Math.max(50, Math.min(left.toMillis(), RELEASE_POLL.toMillis()));
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(wait);
    }
    if (!firstRelease(vip)) {
      // a retry after the finalizer removal failed: the Event was already recorded
    } else if (holding.isEmpty()) {
      events.normal(vip, "Released", "every agent released the addresses");
    } else {
      events.warning(
          vip,
          "ReleaseTimeout",
          "no release reported within "
              + Durations.format(cfg.finalizerTimeout())
              + " by "
              + String.join(", ", holding)
              + "; removing the finalizer");
    }
    boolean othersRemain =
        peerSource
            .list()
            .anyMatch(
                o ->
                    !o.getMetadata().getName().equals(name)
                        && o.getMetadata().getDeletionTimestamp() == null);
    if (!othersRemain) {
      agentResources.deleteAll();
    }
    LOG.infof("VirtualIP %s released (%s)", name, holding.isEmpty() ? "all agents" : "timeout");
    return DeleteControl.defaultDelete();
  }

  /** UIDs whose release was already announced (bounded; a retry must not announce it again). */
  private final Set<String> released =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > 1024;
                }
              }));

  private boolean firstRelease(VirtualIP vip) {
    String uid = vip.getMetadata().getUid();
    return uid == null || released.add(uid);
  }

  /** Nodes whose entry does not (yet) say Stopped. */
  static List<String> holding(VirtualIPStatus status) {
    if (status == null || status.nodes() == null) {
      return List.of();
    }
    return status.nodes().entrySet().stream()
        .filter(e -> e.getValue() != null && e.getValue().state() != NodeState.Stopped)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  private static Instant deletedAt(VirtualIP vip, Instant fallback) {
    String ts = vip.getMetadata().getDeletionTimestamp();
    try {
      return ts == null ? fallback : Instant.parse(ts);
    } catch (RuntimeException e) {
      return fallback;
    }
  }
}
