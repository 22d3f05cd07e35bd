package dev.floatip.operator.model;

import static dev.floatip.operator.model.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.operator.model.VridAllocator.Decision;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class VridAllocatorTest {

  private static final String T1 = "2026-01-01T00:00:00Z";
  private static final String T2 = "2026-01-02T00:00:00Z";

  /** Where a VirtualIP runs unless a test says otherwise. */
  private static final List<String> BOTH = List.of("n1", "n2");

  private static VirtualIP v(String name, String created, String spec) {
    return vip(name, created, spec, null);
  }

  /** Every VirtualIP on n1 and n2 unless {@code nodes} says otherwise; no foreign VRIDs. */
  private static Map<String, Decision> allocate(List<VirtualIP> vips) {
    return allocate(vips, Map.of(), Map.of());
  }

  private static Map<String, Decision> allocate(
      List<VirtualIP> vips, Map<String, List<String>> nodes, Map<String, Set<Integer>> foreign) {
    return VridAllocator.allocate(
        vips, v -> nodes.getOrDefault(v.getMetadata().getName(), BOTH), foreign, v -> null);
  }

  @Test
  void explicitIsHonouredAndMissingOnesGetTheirHashedVrid() {
    VirtualIP a = v("a", T1, "{addresses: [192.0.2.1], virtualRouterId: 51}");
    VirtualIP b = v("dns", T2, "{addresses: [192.0.2.2]}");
    Map<String, Decision> d = allocate(List.of(a, b));
    assertThat(d.get("a")).isEqualTo(new Decision(51, false, null));
    assertThat(d.get("dns")).isEqualTo(new Decision(VridAllocator.preferred("dns"), true, null));
  }

  @Test
  void allocationProbesPastExplicitAndForeignVridsOfItsOwnNodesOnly() {
    int p = VridAllocator.preferred("web");
    int next = p % 255 + 1;
    int third = next % 255 + 1;
    VirtualIP explicit = v("x", T2, "{addresses: [198.51.100.1], virtualRouterId: " + p + "}");
    VirtualIP web = v("web", T1, "{addresses: [192.0.2.1]}");
    Map<String, Set<Integer>> foreign = Map.of("n1", Set.of(next));
    assertThat(allocate(List.of(web, explicit), Map.of(), foreign).get("web").vrid())
        .isEqualTo(third);
    // on other nodes neither the explicit VRID nor n1's foreign one is in the way
    assertThat(
            allocate(List.of(web, explicit), Map.of("web", List.of("n3")), foreign)
                .get("web")
                .vrid())
        .isEqualTo(p);
    assertThat(
            allocate(
                    List.of(web, explicit),
                    Map.of("web", List.of("n2"), "x", List.of("n2")),
                    foreign)
                .get("web")
                .vrid())
        .as("n1's foreign VRID is not in the way on n2")
        .isEqualTo(next);
  }

  @Test
  void stableAcrossRestartsAndInputOrder() {
    List<VirtualIP> vips = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      vips.add(
          v(
              "vip-" + i,
              "2026-01-01T00:00:" + String.format("%02d", i) + "Z",
              "{addresses: [192.0.2.1]}"));
    }
    Map<String, Decision> first = allocate(vips);
    assertThat(first.values()).allSatisfy(d -> assertThat(d.runnable()).isTrue());
    assertThat(first.values().stream().map(Decision::vrid).distinct()).hasSize(40);
    Collections.reverse(vips);
    assertThat(allocate(vips)).isEqualTo(first);

    // after a restart the recorded VRIDs are kept, even when a hash slot became free
    List<VirtualIP> recorded = new ArrayList<>();
    for (VirtualIP vip : vips.subList(1, vips.size())) {
      recorded.add(
          vip(
              vip.getMetadata().getName(),
              vip.getMetadata().getCreationTimestamp(),
              "{addresses: [192.0.2.1]}",
              "{virtualRouterId: " + first.get(vip.getMetadata().getName()).vrid() + "}"));
    }
    Map<String, Decision> again = allocate(recorded);
    again.forEach((name, d) -> assertThat(d.vrid()).isEqualTo(first.get(name).vrid()));
  }

  @Test
  void recordedVridTakenByAnExplicitOneMoves() {
    VirtualIP auto = vip("auto", T1, "{addresses: [192.0.2.1]}", "{virtualRouterId: 7}");
    VirtualIP explicit = v("explicit", T2, "{addresses: [192.0.2.2], virtualRouterId: 7}");
    Map<String, Decision> d = allocate(List.of(auto, explicit));
    assertThat(d.get("explicit")).isEqualTo(new Decision(7, false, null));
    assertThat(d.get("auto").vrid()).isNotEqualTo(7);
    assertThat(d.get("auto").runnable()).isTrue();
    // on other nodes both keep 7
    assertThat(allocate(List.of(auto, explicit), Map.of("auto", List.of("n3")), Map.of()))
        .containsEntry("auto", new Decision(7, true, null))
        .containsEntry("explicit", new Decision(7, false, null));
  }

  @Test
  void recordedVridsAreSharedByDisjointNodesAndTheYoungerMovesWhenTheyMeet() {
    VirtualIP older = vip("older", T1, "{addresses: [192.0.2.1]}", "{virtualRouterId: 7}");
    VirtualIP newer = vip("newer", T2, "{addresses: [192.0.2.2]}", "{virtualRouterId: 7}");
    Map<String, Decision> apart =
        allocate(
            List.of(newer, older),
            Map.of("older", List.of("n1", "n2"), "newer", List.of("n3", "n4")),
            Map.of());
    assertThat(apart.values()).containsOnly(new Decision(7, true, null));

    Map<String, Decision> met =
        allocate(
            List.of(newer, older),
            Map.of("older", List.of("n1", "n2"), "newer", List.of("n2", "n3")),
            Map.of());
    assertThat(met.get("older")).isEqualTo(new Decision(7, true, null));
    assertThat(met.get("newer").vrid()).isNotEqualTo(7);
    assertThat(met.get("newer").runnable()).isTrue();

    // a foreign router heard on one of its nodes moves it too
    assertThat(
            allocate(List.of(older), Map.of("older", List.of("n1")), Map.of("n1", Set.of(7)))
                .get("older")
                .vrid())
        .isNotEqualTo(7);
    assertThat(
            allocate(List.of(older), Map.of("older", List.of("n1")), Map.of("n2", Set.of(7)))
                .get("older")
                .vrid())
        .isEqualTo(7);
  }

  static Stream<Arguments> conflicts() {
    List<String> n1 = List.of("n1");
    List<String> n2 = List.of("n2");
    List<String> none = List.of();
    String mc = ", transport: {mode: Multicast}";
    return Stream.of(
        // older spec and nodes, newer spec and nodes, conflict expected on the newer one
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9}",
            BOTH,
            "{addresses: [192.0.2.2], virtualRouterId: 9}",
            BOTH,
            true),
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9}",
            BOTH,
            "{addresses: [192.0.2.2], virtualRouterId: 10}",
            BOTH,
            false),
        // different families: one VRRP router per family, no clash
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9}",
            BOTH,
            "{addresses: ['2001:db8::1'], virtualRouterId: 9}",
            BOTH,
            false),
        Arguments.of(
            "{addresses: [192.0.2.1, '2001:db8::2'], virtualRouterId: 9}",
            BOTH,
            "{addresses: ['2001:db8::1'], virtualRouterId: 9}",
            BOTH,
            true),
        // different interfaces on the same nodes: a unicast advert arrives wherever its route
        // leads, and the agent tells routers apart by VRID and family
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9, interface: eth0}",
            BOTH,
            "{addresses: [192.0.2.2], virtualRouterId: 9, interface: eth1}",
            BOTH,
            true),
        // unicast on disjoint nodes: each one's adverts reach only its own nodes
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9}",
            n1,
            "{addresses: [192.0.2.2], virtualRouterId: 9}",
            n2,
            false),
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9}",
            n1,
            "{addresses: [192.0.2.2], virtualRouterId: 9}",
            BOTH,
            true),
        // multicast reaches the whole segment, wherever that is
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9" + mc + "}",
            n1,
            "{addresses: [192.0.2.2], virtualRouterId: 9}",
            n2,
            true),
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9}",
            n1,
            "{addresses: [192.0.2.2], virtualRouterId: 9" + mc + "}",
            n2,
            true),
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9" + mc + "}",
            n1,
            "{addresses: ['2001:db8::1'], virtualRouterId: 9" + mc + "}",
            n1,
            false),
        // running nowhere yet: only a multicast one is in the way
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9}",
            none,
            "{addresses: [192.0.2.2], virtualRouterId: 9}",
            BOTH,
            false),
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9}",
            none,
            "{addresses: [192.0.2.2], virtualRouterId: 9" + mc + "}",
            none,
            true));
  }

  @ParameterizedTest
  @MethodSource
  void conflicts(
      String olderSpec,
      List<String> olderNodes,
      String newerSpec,
      List<String> newerNodes,
      boolean conflict) {
    VirtualIP older = v("zz-older", T1, olderSpec);
    VirtualIP newer = v("aa-newer", T2, newerSpec);
    if (olderSpec.contains("virtualRouterId: 9") && newerSpec.contains("virtualRouterId: 9")) {
      assertThat(VridAllocator.conflict(older, olderNodes, newer, newerNodes)).isEqualTo(conflict);
      assertThat(VridAllocator.conflict(newer, newerNodes, older, olderNodes)).isEqualTo(conflict);
    }
    // list order and name order must not matter: creation time decides
    Map<String, Decision> d =
        allocate(
            List.of(newer, older),
            Map.of("zz-older", olderNodes, "aa-newer", newerNodes),
            Map.of());
    assertThat(d.get("zz-older").conflict()).isNull();
    if (conflict) {
      assertThat(d.get("aa-newer").conflict())
          .isEqualTo("VRID 9 is already used by VirtualIP \"zz-older\" on the same segment");
      assertThat(d.get("aa-newer").runnable()).isFalse();
    } else {
      assertThat(d.get("aa-newer").runnable()).isTrue();
    }
  }

  @Test
  void explicitVridSeenFromAForeignRouterOnOneOfItsNodesConflicts() {
    Map<String, Set<Integer>> foreign = Map.of("n1", Set.of(33));
    VirtualIP onA = v("a", T1, "{addresses: [192.0.2.1], virtualRouterId: 33}");
    VirtualIP onB = v("b", T1, "{addresses: [192.0.2.2], virtualRouterId: 33}");
    VirtualIP multicast =
        v(
            "m",
            T1,
            "{addresses: ['2001:db8::1'], virtualRouterId: 33, transport: {mode: Multicast}}");
    Map<String, Decision> d =
        allocate(
            List.of(onA, onB, multicast),
            Map.of("a", List.of("n1"), "b", List.of("n2"), "m", List.of("n2")),
            foreign);
    assertThat(d.get("a").conflict())
        .isEqualTo("VRID 33 is used by a router outside the cluster (seen from node n1)");
    assertThat(d.get("b").runnable()).isTrue();
    // a multicast one may share n1's segment, whichever node it runs on
    assertThat(d.get("m").conflict())
        .isEqualTo("VRID 33 is used by a router outside the cluster (seen from node n1)");
  }

  @Test
  void exhaustionOnSharedNodesButNotElsewhere() {
    List<VirtualIP> vips = new ArrayList<>();
    for (int i = 1; i <= 255; i++) {
      vips.add(v("e" + i, T1, "{addresses: [192.0.2.1], virtualRouterId: " + i + "}"));
    }
    vips.add(v("late", T2, "{addresses: [192.0.2.1]}"));
    vips.add(v("elsewhere", T2, "{addresses: [192.0.2.1]}"));
    vips.add(v("v6", T2, "{addresses: ['2001:db8::1']}"));
    Map<String, Decision> d =
        allocate(vips, Map.of("late", List.of("n2", "n9"), "elsewhere", List.of("n9")), Map.of());
    assertThat(d.get("late").vrid()).isNull();
    assertThat(d.get("late").conflict()).startsWith("no free VRID");
    assertThat(d.get("elsewhere"))
        .isEqualTo(new Decision(VridAllocator.preferred("elsewhere"), true, null));
    assertThat(d.get("v6")).isEqualTo(new Decision(VridAllocator.preferred("v6"), true, null));
  }

  /** Issue 13: a VRID per segment, not per cluster: 1000 VirtualIPs on 1000 node pairs. */
  @Test
  void aThousandUnicastVirtualIPsOnDisjointNodePairsAllGetTheirPreferredVrid() {
    List<VirtualIP> vips = new ArrayList<>();
    Map<String, List<String>> nodes = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      String name = "vip-" + i;
      vips.add(v(name, T1, "{addresses: [192.0.2.1]}"));
      nodes.put(name, List.of("node-" + 2 * i, "node-" + (2 * i + 1)));
    }
    Map<String, Decision> d = allocate(vips, nodes, Map.of());
    d.forEach(
        (name, decision) ->
            assertThat(decision)
                .isEqualTo(new Decision(VridAllocator.preferred(name), true, null)));
    assertThat(d.values().stream().map(Decision::vrid).distinct().count())
        .as("VRIDs are shared")
        .isLessThan(1000);
  }

  @Test
  void overlappingCandidatesNeverShareAVrid() {
    // a ring: vip-i runs on node-i and node-(i+1); 300 VirtualIPs, 255 VRIDs
    int n = 300;
    List<VirtualIP> vips = new ArrayList<>();
    Map<String, List<String>> nodes = new HashMap<>();
    for (int i = 0; i < n; i++) {
      vips.add(v("vip-" + i, T1, "{addresses: [192.0.2.1]}"));
      nodes.put("vip-" + i, List.of("node-" + i, "node-" + (i + 1) % n));
    }
    Map<String, Decision> d = allocate(vips, nodes, Map.of());
    for (int i = 0; i < n; i++) {
      Decision here = d.get("vip-" + i);
      assertThat(here.runnable()).isTrue();
      assertThat(here.vrid()).isNotEqualTo(d.get("vip-" + (i + 1) % n).vrid());
    }
  }

  @Test
  void aMulticastVridIsUniqueInItsFamily() {
    List<VirtualIP> vips = new ArrayList<>();
    Map<String, List<String>> nodes = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      vips.add(v("u" + i, T1, "{addresses: [192.0.2.1]}"));
      nodes.put("u" + i, List.of("node-u" + i));
      vips.add(v("m" + i, T2, "{addresses: [192.0.2.2], transport: {mode: Multicast}}"));
      nodes.put("m" + i, List.of("node-m" + i));
    }
    // an IPv6 multicast one is not in the way of the IPv4 ones
    vips.add(v("six", T1, "{addresses: ['2001:db8::1'], transport: {mode: Multicast}}"));
    Map<String, Decision> d = allocate(vips, nodes, Map.of());
    assertThat(d.values()).allSatisfy(x -> assertThat(x.runnable()).isTrue());
    Set<Integer> unicast = new HashSet<>();
    Set<Integer> multicast = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      unicast.add(d.get("u" + i).vrid());
      assertThat(multicast.add(d.get("m" + i).vrid())).isTrue();
    }
    assertThat(multicast).doesNotContainAnyElementsOf(unicast);
    assertThat(d.get("six").vrid()).isEqualTo(VridAllocator.preferred("six"));

    // every VRID explicit on some unicast node: no room for a multicast one, plenty for unicast
    List<VirtualIP> full = new ArrayList<>();
    Map<String, List<String>> fullNodes = new HashMap<>();
    for (int i = 1; i <= 255; i++) {
      full.add(v("e" + i, T1, "{addresses: [192.0.2.1], virtualRouterId: " + i + "}"));
      fullNodes.put("e" + i, List.of("node-" + i));
    }
    full.add(v("mc", T2, "{addresses: [192.0.2.2], transport: {mode: Multicast}}"));
    full.add(v("uc", T2, "{addresses: [192.0.2.3]}"));
    fullNodes.put("mc", List.of());
    fullNodes.put("uc", List.of("node-x"));
    Map<String, Decision> f = allocate(full, fullNodes, Map.of());
    assertThat(f.get("mc").conflict()).startsWith("no free VRID");
    assertThat(f.get("uc").runnable()).isTrue();
  }

  @Test
  void aVirtualIPRunningNowhereConflictsOnlyWithMulticastOnes() {
    VirtualIP explicit = v("explicit", T1, "{addresses: [192.0.2.1], virtualRouterId: 5}");
    VirtualIP mc =
        v("mc", T1, "{addresses: [192.0.2.2], virtualRouterId: 6, transport: {mode: Multicast}}");
    VirtualIP recorded = vip("waiting", T2, "{addresses: [192.0.2.3]}", "{virtualRouterId: 5}");
    VirtualIP onMc = vip("on-mc", T2, "{addresses: [192.0.2.4]}", "{virtualRouterId: 6}");
    Map<String, Decision> d =
        allocate(
            List.of(explicit, mc, recorded, onMc),
            Map.of("waiting", List.of(), "on-mc", List.of()),
            Map.of("n1", Set.of(7)));
    assertThat(d.get("waiting")).isEqualTo(new Decision(5, true, null));
    assertThat(d.get("on-mc").vrid()).isNotEqualTo(6);
  }

  /**
   * Random clusters: every plan is one consistent allocation (no two conflicting runnable
   * VirtualIPs share a VRID, none uses a VRID foreign on its segment) and the same whatever the
   * input order.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void randomClustersAreAlwaysOneConsistentAllocation(long seed) {
    Random r = new Random(seed);
    int nodeCount = 5 + r.nextInt(40);
    List<VirtualIP> vips = new ArrayList<>();
    Map<String, List<String>> nodes = new HashMap<>();
    for (int i = 0; i < 150 + r.nextInt(200); i++) {
      String name = "v" + i;
      String family =
          switch (r.nextInt(3)) {
            case 0 -> "192.0.2.1";
            case 1 -> "'2001:db8::1'";
            default -> "192.0.2.1, '2001:db8::1'";
          };
      String spec =
          "{addresses: ["
              + family
              + "]"
              + (r.nextInt(10) == 0 ? ", transport: {mode: Multicast}" : "")
              + (r.nextInt(5) == 0 ? ", virtualRouterId: " + (1 + r.nextInt(30)) : "")
              + "}";
      String status = r.nextInt(3) == 0 ? "{virtualRouterId: " + (1 + r.nextInt(255)) + "}" : null;
      vips.add(
          vip(
              name,
              "2026-01-01T00:" + String.format("%02d", r.nextInt(60)) + ":00Z",
              spec,
              status));
      List<String> mine = new ArrayList<>();
      for (int k = r.nextInt(5); k > 0; k--) {
        mine.add("node-" + r.nextInt(nodeCount));
      }
      nodes.put(name, mine);
    }
    Map<String, Set<Integer>> foreign = new HashMap<>();
    for (int k = 0; k < nodeCount; k += 1 + r.nextInt(5)) {
      foreign.put("node-" + k, Set.copyOf(List.of(1 + r.nextInt(255), 1 + r.nextInt(255))));
    }
    Map<String, Decision> d = allocate(vips, nodes, foreign);

    List<VirtualIP> running =
        vips.stream().filter(v -> d.get(v.getMetadata().getName()).runnable()).toList();
    for (int i = 0; i < running.size(); i++) {
      VirtualIP a = running.get(i);
      String an = a.getMetadata().getName();
      int vrid = d.get(an).vrid();
      boolean multicast =
          a.getSpec().transportOrDefault().modeOrDefault().name().equals("Multicast");
      Collection<Set<Integer>> heard =
          multicast
              ? foreign.values()
              : nodes.get(an).stream().map(n -> foreign.getOrDefault(n, Set.of())).toList();
      assertThat(heard)
          .as("%s: VRID %s is foreign on its segment", an, vrid)
          .noneMatch(s -> s.contains(vrid));
      for (int j = i + 1; j < running.size(); j++) {
        VirtualIP b = running.get(j);
        String bn = b.getMetadata().getName();
        if (VridAllocator.conflict(a, nodes.get(an), b, nodes.get(bn))) {
          assertThat(d.get(bn).vrid())
              .as("%s and %s share VRID %s", an, bn, vrid)
              .isNotEqualTo(vrid);
        }
      }
    }
    assertThat(running.size()).isGreaterThan(vips.size() / 2);
    d.values().stream()
        .filter(x -> !x.runnable() && x.allocated())
        .forEach(x -> assertThat(x.conflict()).startsWith("no free VRID"));

    List<VirtualIP> shuffled = new ArrayList<>(vips);
    Collections.shuffle(shuffled, r);
    assertThat(allocate(shuffled, nodes, foreign)).isEqualTo(d);
  }

  /**
   * Issue 11, defect 7: agents report foreign VRIDs in their own status entries, not on the Node
   * (which needed cluster-wide nodes patch); the operator takes the union per node.
   */
  @Test
  void foreignVridsComeFromTheAgentsStatusEntries() {
    VirtualIP a = v("a", T1, "{addresses: [192.0.2.1]}");
    VirtualIP b = v("b", T2, "{addresses: [192.0.2.2]}");
    a.setStatus(status(Map.of("n1", entry(List.of(51, 52)), "n2", entry(null))));
    b.setStatus(status(Map.of("n1", entry(List.of(52, 53, 300, 0)))));
    Map<String, Set<Integer>> foreign = NodeInfo.foreignVridsByNode(List.of(a, b));
    assertThat(foreign).containsOnlyKeys("n1");
    assertThat(foreign.get("n1")).containsExactly(51, 52, 53);

    Node n1 = new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build();
    // a Node annotation is no longer read
    n1.getMetadata().setAnnotations(Map.of("floatip.dev/foreign-vrids", "9"));
    NodeInfo info = NodeInfo.of(n1, foreign);
    assertThat(info.foreignVrids()).containsExactlyInAnyOrder(51, 52, 53);

    // an explicit VRID a node reports foreign is a conflict
    VirtualIP explicit = v("x", T1, "{addresses: [192.0.2.3], virtualRouterId: 53}");
    Decision d =
        VridAllocator.allocate(
                List.of(explicit), v -> List.of("n1"), Map.of("n1", info.foreignVrids()), v -> null)
            .get("x");
    assertThat(d.conflict()).contains("outside the cluster").contains("n1");
  }

  private static NodeStatus entry(List<Integer> foreign) {
    return new NodeStatus(NodeState.Backup, 100, 100, null, null, null, null, 1L, null, foreign);
  }

  private static VirtualIPStatus status(Map<String, NodeStatus> nodes) {
    return new VirtualIPStatus(null, null, null, null, null, nodes, null);
  }
}
