package dev.floatip.operator.model;

import static dev.floatip.operator.model.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.api.v1alpha1.Candidate;
import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.config.Mode;
import dev.floatip.config.Violation;
import dev.floatip.config.VirtualIPValidator;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ClusterPlanTest {

  private static final String T1 = "2026-01-01T00:00:00Z";
  private static final String T2 = "2026-01-02T00:00:00Z";
  private static final ClusterPlan.Settings SETTINGS =
      new ClusterPlan.Settings(Map.of(), List.of(), 3);
  private static final Function<VirtualIP, List<Violation>> VALIDATE =
      v -> VirtualIPValidator.validate(v, Mode.CLUSTER);

  private static NodeView node(String name, Map<String, String> labels, Taint... taints) {
    return new NodeView(
        name, labels, List.of(taints), List.of("198.51.100." + name.length()), true);
  }

  private static Taint taint(String key, String effect) {
    return new TaintBuilder().withKey(key).withEffect(effect).build();
  }

  private static ClusterPlan plan(
      List<VirtualIP> vips, List<NodeView> nodes, ClusterPlan.Settings settings) {
    return ClusterPlan.compute(1, vips, nodes, settings, VALIDATE, v -> null);
  }

  @Test
  void candidatesAreTheOrderThenTheExplicitPrioritiesThenTheNamesUpToTheLimit() {
    List<NodeView> nodes = new ArrayList<>();
    for (String n : List.of("a", "b", "c", "d", "e", "f")) {
      nodes.add(node(n, Map.of("role", "lb")));
    }
    nodes.add(node("other", Map.of("role", "db")));
    VirtualIP ordered =
        vip(
            "ordered",
            T1,
            "{addresses: [192.0.2.1], nodeSelector: {matchLabels: {role: lb}},"
                + " priority: {order: [e, missing, other], nodes: {d: 200, c: 250}}}",
            null);
    VirtualIP plain =
        vip("plain", T1, "{addresses: [192.0.2.2], nodeSelector: {matchLabels: {role: lb}}}", null);
    VirtualIP few =
        vip(
            "few",
            T1,
            "{addresses: [192.0.2.3], nodeSelector: {matchExpressions:"
                + " [{key: role, operator: In, values: [db]}]}}",
            null);
    ClusterPlan p = plan(List.of(ordered, plain, few), nodes, SETTINGS);

    CandidateChoice o = p.vips().get("ordered").candidates();
    // order first (a node the selector does not select is skipped), then c (250), d (200)
    assertThat(o.names()).containsExactly("e", "c", "d");
    assertThat(o.matched()).isEqualTo(6);
    assertThat(o.limited()).isTrue();
    assertThat(o.chosen().get(0)).isEqualTo(new Candidate("e", List.of("198.51.100.1")));
    assertThat(p.vips().get("plain").candidates().names()).containsExactly("a", "b", "c");
    CandidateChoice f = p.vips().get("few").candidates();
    assertThat(f.names()).containsExactly("other");
    assertThat(
            plan(
                    List.of(few),
                    List.of(
                        new NodeView("other", Map.of("role", "db"), List.of(), List.of(), true)),
                    SETTINGS)
                .vips()
                .get("few")
                .candidates()
                .chosen())
        .as("no InternalIP: no addresses, not an empty list")
        .containsExactly(new Candidate("other", null));
    assertThat(f.limited()).isFalse();
  }

  @Test
  void agentPlacementAndTheVirtualIPsTolerationsDecideWhichNodesCanRunIt() {
    Toleration edge = new TolerationBuilder().withKey("edge").withOperator("Exists").build();
    List<NodeView> nodes =
        List.of(
            node("plain", Map.of("agents", "yes")),
            node("edge", Map.of("agents", "yes"), taint("edge", "NoSchedule")),
            node("gpu", Map.of("agents", "yes"), taint("gpu", "NoExecute")),
            node("soft", Map.of("agents", "yes"), taint("gpu", "PreferNoSchedule")),
            // condition taints never keep a VirtualIP off a node (config/Tolerations)
            node(
                "pressured",
                Map.of("agents", "yes"),
                taint("node.kubernetes.io/disk-pressure", "NoSchedule")),
            node("noagent", Map.of()));
    ClusterPlan.Settings agentsOnLabelled =
        new ClusterPlan.Settings(Map.of("agents", "yes"), List.of(edge), 16);
    VirtualIP tolerant =
        vip(
            "tolerant",
            T1,
            "{addresses: [192.0.2.1], tolerations: [{key: edge, operator: Exists}]}",
            null);
    VirtualIP intolerant = vip("intolerant", T1, "{addresses: [192.0.2.2]}", null);
    VirtualIP gpuOnly =
        vip(
            "gpu-only",
            T1,
            "{addresses: [192.0.2.3], tolerations: [{operator: Exists}],"
                + " nodeSelector: {matchLabels: {agents: yes}, matchExpressions:"
                + " [{key: missing, operator: Exists}]}}",
            null);
    ClusterPlan p = plan(List.of(tolerant, intolerant, gpuOnly), nodes, agentsOnLabelled);
    assertThat(p.vips().get("tolerant").candidates().names())
        .containsExactly("edge", "plain", "pressured", "soft");
    assertThat(p.vips().get("intolerant").candidates().names())
        .containsExactly("plain", "pressured", "soft");
    CandidateChoice none = p.vips().get("gpu-only").candidates();
    assertThat(none.chosen()).isEmpty();
    assertThat(none.agentNodes()).isEqualTo(4);
  }

  @Test
  void oneAllocationWithConflictsAndRememberedVrids() {
    VirtualIP older = vip("older", T1, "{addresses: [192.0.2.10/24]}", null);
    VirtualIP thief = vip("thief", T2, "{addresses: [192.0.2.10/24]}", null);
    VirtualIP explicit = vip("explicit", T1, "{addresses: [192.0.2.11], virtualRouterId: 9}", null);
    VirtualIP copy = vip("copy", T2, "{addresses: [192.0.2.12], virtualRouterId: 9}", null);
    VirtualIP bad =
        vip("bad", T1, "{addresses: [192.0.2.13], track: {files: [{path: /proc/1/x}]}}", null);
    VirtualIP fresh = vip("fresh", T2, "{addresses: [192.0.2.14]}", null);
    int remembered = VridAllocator.preferred("fresh") % 255 + 1;
    ClusterPlan p =
        ClusterPlan.compute(
            7,
            List.of(older, thief, explicit, copy, bad, fresh),
            List.of(node("n", Map.of())),
            SETTINGS,
            VALIDATE,
            v -> v.getMetadata().getName().equals("fresh") ? remembered : null);
    assertThat(p.sequence()).isEqualTo(7);
    assertThat(p.vips().get("thief").violations())
        .singleElement()
        .satisfies(v -> assertThat(v.toString()).contains("spec.addresses[0]").contains("older"));
    assertThat(p.vips().get("thief").vrid()).isNull();
    assertThat(p.vips().get("bad").violations()).isNotEmpty();
    assertThat(p.vips().get("copy").vrid().conflict()).contains("\"explicit\"");
    assertThat(p.vips().get("fresh").vrid().vrid()).isEqualTo(remembered);
    assertThat(p.runnable())
        .extracting(v -> v.getMetadata().getName())
        .containsExactlyInAnyOrder("older", "explicit", "fresh");
  }

  @Test
  void entriesOfDeletedAndNotReadyNodes() {
    Map<String, NodeStatus> entries = new HashMap<>();
    for (String n : List.of("up", "down", "gone")) {
      entries.put(
          n, new NodeStatus(NodeState.Backup, 100, 100, null, null, null, null, 1L, null, null));
    }
    VirtualIPStatus status = new VirtualIPStatus(null, null, null, null, null, entries, null);
    List<NodeView> nodes =
        List.of(node("up", Map.of()), new NodeView("down", Map.of(), List.of(), List.of(), false));
    ClusterPlan p = plan(List.of(), nodes, SETTINGS);
    assertThat(p.goneNodes(status)).containsExactly("gone");
    assertThat(p.notReadyNodes(status)).containsExactly("down");
    // no Node known at all proves nothing
    assertThat(plan(List.of(), List.of(), SETTINGS).goneNodes(status)).isEmpty();
  }

  @Test
  void aPlanOfAThousandVirtualIPsOnAThousandNodes() {
    int n = 1000;
    List<NodeView> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, String> labels = new HashMap<>();
      labels.put("kubernetes.io/hostname", "node-" + i);
      labels.put("topology.kubernetes.io/zone", "zone-" + (i % 10));
      labels.put("node.kubernetes.io/instance-type", "m5.large");
      List<Taint> taints = i % 7 == 0 ? List.of(taint("dedicated", "NoSchedule")) : List.of();
      nodes.add(
          new NodeView(
              String.format("node-%04d", i), labels, taints, List.of("198.51.100.1"), true));
    }
    List<VirtualIP> vips = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String selector =
          switch (i % 4) {
            case 0 -> ""; // every node
            case 1 ->
                ", nodeSelector: {matchLabels: {topology.kubernetes.io/zone: zone-" + i % 10 + "}}";
            case 2 -> ", nodeSelector: {matchLabels: {kubernetes.io/hostname: node-" + i + "}}";
            default ->
                ", nodeSelector: {matchExpressions: [{key: topology.kubernetes.io/zone,"
                    + " operator: NotIn, values: [zone-1, zone-2]}]},"
                    + " tolerations: [{key: dedicated, operator: Exists}]";
          };
      vips.add(
          vip(
              String.format("vip-%04d", i),
              T1,
              "{addresses: [\"2001:db8::" + Integer.toHexString(i + 1) + "/128\"]" + selector + "}",
              null));
    }
    // the agents tolerate the dedicated nodes; only the VirtualIPs that do too may use them
    ClusterPlan.Settings settings =
        new ClusterPlan.Settings(
            Map.of(),
            List.of(new TolerationBuilder().withKey("dedicated").withOperator("Exists").build()),
            16);
    ClusterPlan p = ClusterPlan.compute(1, vips, nodes, settings, VALIDATE, v -> null);

    assertThat(p.vips()).hasSize(n);
    int runnable = 0;
    for (int i = 0; i < n; i++) {
      ClusterPlan.Entry e = p.vips().get(String.format("vip-%04d", i));
      assertThat(e.violations()).isEmpty();
      if (e.vrid().runnable()) {
        runnable++;
      } else {
        assertThat(e.vrid().conflict()).startsWith("no free VRID");
      }
      CandidateChoice c = e.candidates();
      switch (i % 4) {
        case 0 -> {
          // untainted nodes: 1000 - 143 multiples of 7
          assertThat(c.matched()).isEqualTo(857);
          assertThat(c.names()).hasSize(16).isSorted();
          assertThat(c.names().get(0)).isEqualTo("node-0001");
          assertThat(c.limited()).isTrue();
        }
        case 1 -> {
          int zone = i % 10;
          long expected =
              java.util.stream.IntStream.range(0, n)
                  .filter(k -> k % 10 == zone && k % 7 != 0)
                  .count();
          assertThat(c.matched()).isEqualTo((int) expected);
          assertThat(c.names()).hasSize(16);
        }
        case 2 -> {
          assertThat(c.matched()).isEqualTo(i % 7 == 0 ? 0 : 1);
          assertThat(c.names())
              .isEqualTo(i % 7 == 0 ? List.of() : List.of(String.format("node-%04d", i)));
          assertThat(c.limited()).isFalse();
          assertThat(c.agentNodes()).isEqualTo(i % 7 == 0 ? n : 0);
        }
        default -> {
          assertThat(c.matched()).isEqualTo(800);
        }
      }
    }
    // one allocation: no VRID twice on a node; more than 255 VirtualIPs run (the per-node ones
    // share VRIDs), but the hundreds on node-0001 and its like cannot all
    assertNoNodeRunsAVridTwice(p);
    assertThat(runnable).isGreaterThan(255).isLessThan(n);
    assertThat(p.runnable()).hasSize(runnable);
  }

  /**
   * Issue 13: a VRID is unique per segment, not per cluster, so 1000 VirtualIPs on 1000 Nodes all
   * run when each node runs few of them (here: racks of 4 nodes, 4 VirtualIPs per rack).
   */
  @Test
  void aThousandVirtualIPsOnSmallDisjointSelectionsAllGetAVrid() {
    int n = 1000;
    List<NodeView> nodes = new ArrayList<>();
    List<VirtualIP> vips = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.add(
          new NodeView(
              String.format("node-%04d", i),
              Map.of("rack", "r" + i / 4),
              List.of(),
              List.of("198.51.100.1"),
              true));
      vips.add(
          vip(
              String.format("vip-%04d", i),
              T1,
              "{addresses: [\"2001:db8::"
                  + Integer.toHexString(i + 1)
                  + "/128\"], nodeSelector: {matchLabels: {rack: r"
                  + i / 4
                  + "}}}",
              null));
    }
    long started = System.nanoTime();
    ClusterPlan p =
        ClusterPlan.compute(
            1, vips, nodes, new ClusterPlan.Settings(Map.of(), List.of(), 16), VALIDATE, v -> null);
    System.out.printf(
        "1000 VirtualIPs on racks of 4 of 1000 Nodes: planned in %d ms%n",
        (System.nanoTime() - started) / 1_000_000);
    assertThat(p.runnable()).hasSize(n);
    assertNoNodeRunsAVridTwice(p);
    assertThat(p.vips().values().stream().map(e -> e.vrid().vrid()).distinct().count())
        .as("VRIDs are shared between racks")
        .isLessThan(n);
  }

  /**
   * A VirtualIP's agents run it on the nodes its status lists until the plan's new candidates are
   * written: until then its VRID is kept apart on those nodes too.
   */
  @Test
  void theCandidatesStillInTheStatusCountForTheVrid() {
    List<NodeView> nodes = List.of(node("n1", Map.of("k", "a")), node("n2", Map.of("k", "b")));
    VirtualIP moving =
        vip(
            "moving",
            T1,
            "{addresses: [192.0.2.1], nodeSelector: {matchLabels: {k: a}}}",
            "{virtualRouterId: 7, candidates: [{name: n2}]}");
    VirtualIP staying =
        vip(
            "staying",
            T2,
            "{addresses: [192.0.2.2], nodeSelector: {matchLabels: {k: b}}}",
            "{virtualRouterId: 7, candidates: [{name: n2}]}");
    ClusterPlan p = plan(List.of(moving, staying), nodes, SETTINGS);
    assertThat(p.vips().get("moving").candidates().names()).containsExactly("n1");
    assertThat(p.vips().get("moving").vrid().vrid()).isEqualTo(7);
    assertThat(p.vips().get("staying").vrid().vrid()).isNotEqualTo(7);

    // once the status shows n1 only, the two share VRID 7 (disjoint nodes, unicast)
    VirtualIP moved =
        vip(
            "moving",
            T1,
            "{addresses: [192.0.2.1], nodeSelector: {matchLabels: {k: a}}}",
            "{virtualRouterId: 7, candidates: [{name: n1}]}");
    ClusterPlan q = plan(List.of(moved, staying), nodes, SETTINGS);
    assertThat(q.vips().get("moving").vrid().vrid()).isEqualTo(7);
    assertThat(q.vips().get("staying").vrid().vrid()).isEqualTo(7);
  }

  /** No two runnable VirtualIPs of a family in common that a node runs both share a VRID. */
  private static void assertNoNodeRunsAVridTwice(ClusterPlan p) {
    Map<String, String> holder = new HashMap<>();
    for (VirtualIP v : p.runnable()) {
      ClusterPlan.Entry e = p.entry(v);
      for (var family : VridAllocator.families(v)) {
        for (String node : e.candidates().names()) {
          String key = node + "/" + family + "/" + e.vrid().vrid();
          String before = holder.putIfAbsent(key, v.getMetadata().getName());
          assertThat(before)
              .as(
                  "%s and %s share VRID %s on %s",
                  before, v.getMetadata().getName(), e.vrid().vrid(), node)
              .isNull();
        }
      }
    }
  }
}
