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
import dev.floatip.operator.model.AddressClaims;
import dev.floatip.operator.model.Labels;
import dev.floatip.operator.model.NodeInfo;
import dev.floatip.operator.model.StatusAggregator;
import dev.floatip.operator.model.VridAllocator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
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
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reconciles every VirtualIP: validates it, allocates its VRID against all the others, keeps the
 * one shared agent DaemonSet (and its RBAC) in line with all runnable VirtualIPs, and aggregates
 * the agents' reports into the operator-owned status fields. Deletion waits, through a finalizer,
 * until every agent reported its addresses released, or a timeout (reported as an Event).
 *
 * <p>Not generation-aware: agents only change the status, and their reports must trigger
 * aggregation. Three more event sources: Nodes (labels, readiness), the agent DaemonSet, and the
 * other VirtualIPs (an allocation or conflict depends on all of them, and on the foreign VRIDs that
 * agents report in their status entries).
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
public class VirtualIPReconciler implements Reconciler<VirtualIP>, Cleaner<VirtualIP> {

  public static final String NAME = "virtualip";

  private static final Logger LOG = Logger.getLogger(VirtualIPReconciler.class);

  /** How often a deleted VirtualIP looks again while agents have not reported. */
  static final Duration RELEASE_POLL = Duration.ofSeconds(2);

  /** When to look again after agents wrote while our own write was in flight. */
  static final Duration AGAIN = Duration.ofMillis(20);

  private final OperatorConfig cfg;
  private final AgentResources agentResources;
  private final EventRecorder events;
  private final Clock clock;

  private volatile InformerEventSource<Node, VirtualIP> nodeSource;
  private volatile InformerEventSource<DaemonSet, VirtualIP> daemonSetSource;
  private volatile InformerEventSource<VirtualIP, VirtualIP> peerSource;

  @Inject
  public VirtualIPReconciler(
      OperatorConfig cfg, AgentResources agentResources, EventRecorder events, Clock clock) {
    this.cfg = cfg;
    this.agentResources = agentResources;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, VirtualIP>> prepareEventSources(EventSourceContext<VirtualIP> ctx) {
    IndexerResourceCache<VirtualIP> primaries = ctx.getPrimaryCache();
    nodeSource =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, VirtualIP.class)
                .withName("nodes")
                .withSecondaryToPrimaryMapper(n -> all(primaries, null))
                .withOnUpdateFilter(VirtualIPReconciler::nodeChangeMatters)
                .build(),
            ctx);
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
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(VirtualIP.class, VirtualIP.class)
                .withName("peers")
                .withSecondaryToPrimaryMapper(v -> all(primaries, v))
                .withOnUpdateFilter(VirtualIPReconciler::peerChangeMatters)
                .build(),
            ctx);
    return List.of(nodeSource, daemonSetSource, peerSource);
  }

  private static Set<ResourceID> all(IndexerResourceCache<VirtualIP> cache, HasMetadata except) {
    String skip = except == null ? null : except.getMetadata().getName();
    return cache
        .list()
        .filter(v -> !v.getMetadata().getName().equals(skip))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  static boolean nodeChangeMatters(Node now, Node before) {
    return !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels())
        || ready(now) != ready(before);
  }

  /**
   * What another VirtualIP's allocation depends on: spec, deletion, recorded VRID, the foreign
   * VRIDs its agents report.
   */
  static boolean peerChangeMatters(VirtualIP now, VirtualIP before) {
    return !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(
            now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp())
        || !Objects.equals(vrid(now), vrid(before))
        || !Objects.equals(
            NodeInfo.foreignVridsByNode(List.of(now)),
            NodeInfo.foreignVridsByNode(List.of(before)));
  }

  private static Integer vrid(VirtualIP v) {
    return v.getStatus() == null ? null : v.getStatus().virtualRouterId();
  }

  static boolean ready(Node n) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) {
      return true; // no kubelet report (yet): do not call its agent's entries stale
    }
    for (NodeCondition c : n.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return true;
  }

  @Override
  public UpdateControl<VirtualIP> reconcile(VirtualIP vip, Context<VirtualIP> ctx) {
    List<VirtualIP> all = allVirtualIPs(vip);
    List<Node> nodes = nodeSource.list().toList();
    Map<String, Set<Integer>> foreign = NodeInfo.foreignVridsByNode(all);
    List<NodeInfo> nodeInfos = nodes.stream().map(n -> NodeInfo.of(n, foreign)).toList();

    Map<String, List<Violation>> violations = new HashMap<>();
    all.forEach(v -> violations.put(v.getMetadata().getName(), validate(v)));
    AddressClaims.conflicts(
            all.stream().filter(v -> violations.get(v.getMetadata().getName()).isEmpty()).toList())
        .forEach((n, shared) -> violations.put(n, shared));
    List<VirtualIP> valid =
        all.stream().filter(v -> violations.get(v.getMetadata().getName()).isEmpty()).toList();
    Map<String, VridAllocator.Decision> decisions = VridAllocator.allocate(valid, nodeInfos);
    List<VirtualIP> runnable =
        valid.stream().filter(v -> decisions.get(v.getMetadata().getName()).runnable()).toList();

    agentResources.sync(!runnable.isEmpty(), currentDaemonSet());

    String name = vip.getMetadata().getName();
    List<Violation> mine = violations.getOrDefault(name, validate(vip));
    StatusAggregator.Result result =
        aggregate(vip, vip.getStatus(), mine, decisions.get(name), nodes);
    UpdateControl<VirtualIP> control = UpdateControl.noUpdate();
    if (result.differsFrom(vip.getStatus())) {
      VirtualIP stored = StatusWriter.write(ctx, vip, result);
      announce(vip, result);
      // Agents, users and the API server may have written between our read and our patch, but
      // JOSDK takes every event up to the patch's resourceVersion for our own. So look again at
      // once if the stored object differs in anything we act on: spec, deletion, agent entries.
      if (stored != null && changedMeanwhile(vip, stored, mine, decisions.get(name), nodes)) {
        return control.rescheduleAfter(AGAIN.toMillis());
      }
    }
    return result.recheckAfter().map(d -> control.rescheduleAfter(d.toMillis())).orElse(control);
  }

  /** The spec's violations, and a passwordSecretRef the agents may not read (SecretNamespaces). */
  private List<Violation> validate(VirtualIP v) {
    List<Violation> out = new ArrayList<>(VirtualIPValidator.validate(v, Mode.CLUSTER));
    out.addAll(SecretNamespaces.check(v, cfg));
    return out;
  }

  private boolean changedMeanwhile(
      VirtualIP read,
      VirtualIP stored,
      List<Violation> violations,
      VridAllocator.Decision decision,
      List<Node> nodes) {
    return !Objects.equals(read.getMetadata().getGeneration(), stored.getMetadata().getGeneration())
        || !Objects.equals(
            read.getMetadata().getDeletionTimestamp(), stored.getMetadata().getDeletionTimestamp())
        || aggregate(read, stored.getStatus(), violations, decision, nodes)
            .differsFrom(stored.getStatus());
  }

  private StatusAggregator.Result aggregate(
      VirtualIP vip,
      VirtualIPStatus status,
      List<Violation> violations,
      VridAllocator.Decision decision,
      List<Node> nodes) {
    return StatusAggregator.aggregate(
        new StatusAggregator.Input(
            status,
            Optional.ofNullable(vip.getMetadata().getGeneration()).orElse(0L),
            violations,
            decision,
            violations.isEmpty() ? interval(vip) : null,
            staleNodes(status, nodes),
            clock.instant(),
            vip.getSpec() == null ? List.of() : vip.getSpec().addressList()));
  }

  /**
   * Every VirtualIP, from the peer informer: the one whose events fan out to all VirtualIPs, so a
   * reconcile it triggers sees the change (the primary informer is a separate watch and may lag),
   * with {@code current} as given.
   */
  private List<VirtualIP> allVirtualIPs(VirtualIP current) {
    String name = current.getMetadata().getName();
    List<VirtualIP> all = new ArrayList<>();
    all.add(current);
    peerSource.list().filter(v -> !v.getMetadata().getName().equals(name)).forEach(all::add);
    return all;
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

  /** Entries of nodes that are gone or NotReady (only when any Node is known at all). */
  static Set<String> staleNodes(VirtualIPStatus status, List<Node> nodes) {
    if (status == null || status.nodes() == null || nodes.isEmpty()) {
      return Set.of();
    }
    Map<String, Node> byName =
        nodes.stream()
            .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n, (a, b) -> a));
    Set<String> stale = new HashSet<>();
    for (String node : status.nodes().keySet()) {
      Node n = byName.get(node);
      if (n == null || !ready(n)) {
        stale.add(node);
      }
    }
    return stale;
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
    List<String> holding = holding(vip.getStatus());
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
        allVirtualIPs(vip).stream()
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
