package dev.floatip.operator.model;

import dev.floatip.api.v1alpha1.Candidate;
import dev.floatip.api.v1alpha1.PrioritySpec;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.config.LabelSelectors;
import dev.floatip.config.Tolerations;
import dev.floatip.config.Violation;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The cluster-wide part of reconciling VirtualIPs, computed once for all of them (DESIGN §2 rule
 * 7): each VirtualIP's violations (its own spec, then addresses shared with an older one: {@link
 * AddressClaims}), its candidates, and its VRID ({@link VridAllocator}: one consistent allocation
 * from the candidates, so no two VirtualIPs that a node runs both, or a multicast one and another
 * of its family, are ever given the same VRID by one plan). Pure: the VirtualIPs, the Nodes and the
 * settings are its inputs; the validation is passed in.
 *
 * <p>Candidates: the nodes where an agent runs (the chart's {@code agent.nodeSelector}, and {@code
 * agent.tolerations} admitting the node's taints) that the VirtualIP's nodeSelector and tolerations
 * select; condition taints are ignored ({@link Tolerations}), and readiness or a cordon never
 * removes one (a cordoned node is a standby). Ordered: {@code spec.priority.order} in its order,
 * then {@code spec.priority.nodes} by priority descending (then name), then by name; at most {@code
 * maxCandidates}. A node without an InternalIP is a candidate without addresses (absent, not an
 * empty list, so that what is written reads back equal).
 *
 * <p>Cost at V VirtualIPs and N Nodes: one selection per distinct (nodeSelector, tolerations), each
 * scanning only the nodes that carry the rarest of its {@code matchLabels} (all agent nodes when it
 * has none), so O(V·N) label matches at worst and O(V + N) for per-node selectors; the allocation
 * is O(V log V + V·C) for at most C candidates each.
 *
 * @param sequence which computation this is (increasing)
 * @param vips by VirtualIP name
 * @param nodes the Nodes, by name
 * @param runnable the VirtualIPs the agents may run: valid and with a usable VRID
 */
public record ClusterPlan(
    long sequence, Map<String, Entry> vips, Map<String, NodeView> nodes, List<VirtualIP> runnable) {

  /**
   * One VirtualIP's part of the plan.
   *
   * @param uid the VirtualIP's uid (a re-created VirtualIP is another one)
   * @param generation the metadata.generation the plan saw
   * @param violations why the spec is refused; empty when valid
   * @param vrid the VRID decision; null when the spec is refused
   * @param candidates the nodes to run it
   */
  public record Entry(
      String uid,
      long generation,
      List<Violation> violations,
      VridAllocator.Decision vrid,
      CandidateChoice candidates) {

    public Entry {
      violations = List.copyOf(violations);
    }
  }

  /**
   * The chart's values the plan depends on.
   *
   * @param agentNodeSelector where the agents run (chart value {@code agent.nodeSelector})
   * @param agentTolerations the agent pods' tolerations (chart value {@code agent.tolerations})
   * @param maxCandidates at most this many candidates per VirtualIP (chart value {@code
   *     maxCandidates})
   */
  public record Settings(
      Map<String, String> agentNodeSelector, List<Toleration> agentTolerations, int maxCandidates) {

    public Settings {
      agentNodeSelector = agentNodeSelector == null ? Map.of() : Map.copyOf(agentNodeSelector);
      agentTolerations = agentTolerations == null ? List.of() : List.copyOf(agentTolerations);
    }
  }

  public ClusterPlan {
    vips = Map.copyOf(vips);
    nodes = Map.copyOf(nodes);
    runnable = List.copyOf(runnable);
  }

  /**
   * Computes the plan.
   *
   * @param validate a VirtualIP's own violations (spec and settings); address conflicts are added
   * @param remembered a VRID a previous plan allocated, by VirtualIP, for one whose status does not
   *     show it yet (see {@link VridAllocator#allocate(List, Function, Map, Function)})
   */
  public static ClusterPlan compute(
      long sequence,
      Collection<VirtualIP> vips,
      Collection<NodeView> nodes,
      Settings settings,
      Function<VirtualIP, List<Violation>> validate,
      Function<VirtualIP, Integer> remembered) {
    List<VirtualIP> all = vips.stream().sorted(Comparator.comparing(ClusterPlan::name)).toList();
    Map<String, List<Violation>> violations = new HashMap<>();
    List<VirtualIP> ownValid = new ArrayList<>();
    for (VirtualIP v : all) {
      List<Violation> own = List.copyOf(validate.apply(v));
      violations.put(name(v), own);
      if (own.isEmpty()) {
        ownValid.add(v);
      }
    }
    AddressClaims.conflicts(ownValid).forEach(violations::put);
    List<VirtualIP> valid =
        ownValid.stream().filter(v -> violations.get(name(v)).isEmpty()).toList();

    Selections selections = new Selections(nodes, settings);
    Map<String, CandidateChoice> choices = new HashMap<>();
    for (VirtualIP v : all) {
      choices.put(name(v), selections.choose(v, settings.maxCandidates()));
    }
    Map<String, VridAllocator.Decision> decisions =
        VridAllocator.allocate(
            valid,
            v -> runningNodes(v, choices.get(name(v))),
            NodeInfo.foreignVridsByNode(all),
            remembered);

    Map<String, Entry> entries = new HashMap<>();
    List<VirtualIP> runnable = new ArrayList<>();
    for (VirtualIP v : all) {
      VridAllocator.Decision d = decisions.get(name(v));
      if (d != null && d.runnable()) {
        runnable.add(v);
      }
      entries.put(
          name(v),
          new Entry(
              v.getMetadata().getUid(),
              generation(v),
              violations.get(name(v)),
              d,
              choices.get(name(v))));
    }
    Map<String, NodeView> byName = new HashMap<>();
    nodes.forEach(n -> byName.put(n.name(), n));
    return new ClusterPlan(sequence, entries, byName, runnable);
  }

  /** This VirtualIP's entry, when the plan holds this very object's uid. */
  public Entry entry(VirtualIP vip) {
    Entry e = vips.get(name(vip));
    return e != null && Objects.equals(e.uid(), vip.getMetadata().getUid()) ? e : null;
  }

  /**
   * The entries of {@code status.nodes} whose Node no longer exists. None while no Node is known at
   * all: an empty list proves nothing (an informer that has not listed, a missing permission).
   */
  public Set<String> goneNodes(VirtualIPStatus status) {
    if (status == null || status.nodes() == null || nodes.isEmpty()) {
      return Set.of();
    }
    Set<String> out = new TreeSet<>();
    status.nodes().keySet().stream().filter(n -> !nodes.containsKey(n)).forEach(out::add);
    return out;
  }

  /** The entries whose Node is NotReady (its agent may be unable to update them). */
  public Set<String> notReadyNodes(VirtualIPStatus status) {
    if (status == null || status.nodes() == null) {
      return Set.of();
    }
    Set<String> out = new TreeSet<>();
    for (String n : status.nodes().keySet()) {
      NodeView v = nodes.get(n);
      if (v != null && !v.ready()) {
        out.add(n);
      }
    }
    return out;
  }

  /**
   * The nodes whose agents run a VirtualIP, for the VRID allocation: the candidates this plan
   * chooses and those its status still lists (their agents run it until that write is read), so
   * that no VRID is shared with a VirtualIP that a node runs in either state.
   */
  private static Set<String> runningNodes(VirtualIP v, CandidateChoice choice) {
    Set<String> out = new HashSet<>(choice.names());
    if (v.getStatus() != null && v.getStatus().candidates() != null) {
      v.getStatus().candidates().stream()
          .filter(c -> c != null && c.name() != null)
          .forEach(c -> out.add(c.name()));
    }
    return out;
  }

  static String name(VirtualIP v) {
    return v.getMetadata().getName();
  }

  private static long generation(VirtualIP v) {
    Long g = v.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  /** The agent nodes, indexed by label, and each distinct selection's matching nodes. */
  private static final class Selections {
    private final List<NodeView> agentNodes;
    private final Map<String, List<NodeView>> byLabel = new HashMap<>();
    private final Map<Key, List<NodeView>> matched = new HashMap<>();

    private record Key(LabelSelector selector, List<Toleration> tolerations) {}

    Selections(Collection<NodeView> nodes, Settings settings) {
      agentNodes =
          nodes.stream()
              .filter(n -> agentRuns(n, settings))
              .sorted(Comparator.comparing(NodeView::name))
              .toList();
      for (NodeView n : agentNodes) {
        n.labels()
            .forEach((k, v) -> byLabel.computeIfAbsent(k + "=" + v, x -> new ArrayList<>()).add(n));
      }
    }

    private static boolean agentRuns(NodeView n, Settings s) {
      for (Map.Entry<String, String> e : s.agentNodeSelector().entrySet()) {
        if (!e.getValue().equals(n.labels().get(e.getKey()))) {
          return false;
        }
      }
      return n.taints().isEmpty() || Tolerations.admit(s.agentTolerations(), n.taints());
    }

    CandidateChoice choose(VirtualIP v, int limit) {
      LabelSelector sel = v.getSpec() == null ? null : v.getSpec().nodeSelector();
      List<Toleration> tols =
          v.getSpec() == null || v.getSpec().tolerations() == null
              ? List.of()
              : v.getSpec().tolerations();
      List<NodeView> nodes =
          matched.computeIfAbsent(
              new Key(LabelSelectors.selectsAll(sel) ? null : sel, tols), k -> match(sel, tols));
      PrioritySpec p = v.getSpec() == null ? null : v.getSpec().priorityOrDefault();
      Map<String, NodeView> chosen = new LinkedHashMap<>();
      if (p != null && (!p.orderList().isEmpty() || !p.nodeMap().isEmpty())) {
        Map<String, NodeView> byName = new HashMap<>();
        nodes.forEach(n -> byName.put(n.name(), n));
        List<String> preferred = new ArrayList<>(p.orderList());
        new TreeMap<>(p.nodeMap())
            .entrySet().stream()
                .filter(e -> e.getValue() != null)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> preferred.add(e.getKey()));
        for (String name : preferred) {
          NodeView n = byName.get(name);
          if (n != null && chosen.size() < limit) {
            chosen.putIfAbsent(name, n);
          }
        }
      }
      for (NodeView n : nodes) {
        if (chosen.size() >= limit) {
          break;
        }
        chosen.putIfAbsent(n.name(), n);
      }
      List<Candidate> out =
          chosen.values().stream()
              .map(n -> new Candidate(n.name(), n.addresses().isEmpty() ? null : n.addresses()))
              .toList();
      // the number of agent nodes is only for the message when none matches: elsewhere it would
      // make every node added or removed change every VirtualIP's entry
      return new CandidateChoice(out, nodes.size(), limit, out.isEmpty() ? agentNodes.size() : 0);
    }

    private List<NodeView> match(LabelSelector sel, List<Toleration> tols) {
      List<NodeView> pool = agentNodes;
      if (sel != null && sel.getMatchLabels() != null) {
        for (Map.Entry<String, String> e : sel.getMatchLabels().entrySet()) {
          List<NodeView> having = byLabel.getOrDefault(e.getKey() + "=" + e.getValue(), List.of());
          if (having.size() < pool.size()) {
            pool = having;
          }
        }
      }
      List<NodeView> out = new ArrayList<>();
      for (NodeView n : pool) {
        if (LabelSelectors.matches(sel, n.labels())
            && (n.taints().isEmpty() || Tolerations.admit(tols, n.taints()))) {
          out.add(n);
        }
      }
      return out;
    }
  }
}
