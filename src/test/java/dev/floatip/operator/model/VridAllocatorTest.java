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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VridAllocatorTest {

  private static final String T1 = "2026-01-01T00:00:00Z";
  private static final String T2 = "2026-01-02T00:00:00Z";

  private static final List<NodeInfo> NODES =
      List.of(
          new NodeInfo("n1", Map.of("zone", "a"), Set.of()),
          new NodeInfo("n2", Map.of("zone", "b"), Set.of()));

  private static VirtualIP v(String name, String created, String spec) {
    return vip(name, created, spec, null);
  }

  @Test
  void explicitIsHonouredAndMissingOnesGetTheirHashedVrid() {
    VirtualIP a = v("a", T1, "{addresses: [192.0.2.1], virtualRouterId: 51}");
    VirtualIP b = v("dns", T2, "{addresses: [192.0.2.2]}");
    Map<String, Decision> d = VridAllocator.allocate(List.of(a, b), NODES);
    assertThat(d.get("a")).isEqualTo(new Decision(51, false, null));
    assertThat(d.get("dns")).isEqualTo(new Decision(VridAllocator.preferred("dns"), true, null));
  }

  @Test
  void allocationProbesPastExplicitAndForeignVrids() {
    int p = VridAllocator.preferred("web");
    int next = p % 255 + 1;
    int third = next % 255 + 1;
    VirtualIP explicit = v("x", T2, "{addresses: [198.51.100.1], virtualRouterId: " + p + "}");
    VirtualIP web = v("web", T1, "{addresses: [192.0.2.1]}");
    List<NodeInfo> nodes =
        List.of(new NodeInfo("n1", Map.of(), Set.of(next)), new NodeInfo("n2", Map.of(), Set.of()));
    assertThat(VridAllocator.allocate(List.of(web, explicit), nodes).get("web").vrid())
        .isEqualTo(third);
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
    Map<String, Decision> first = VridAllocator.allocate(vips, NODES);
    assertThat(first.values()).allSatisfy(d -> assertThat(d.runnable()).isTrue());
    assertThat(first.values().stream().map(Decision::vrid).distinct()).hasSize(40);
    Collections.reverse(vips);
    assertThat(VridAllocator.allocate(vips, NODES)).isEqualTo(first);

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
    Map<String, Decision> again = VridAllocator.allocate(recorded, NODES);
    again.forEach((name, d) -> assertThat(d.vrid()).isEqualTo(first.get(name).vrid()));
  }

  @Test
  void recordedVridTakenByAnExplicitOneMoves() {
    VirtualIP auto = vip("auto", T1, "{addresses: [192.0.2.1]}", "{virtualRouterId: 7}");
    VirtualIP explicit = v("explicit", T2, "{addresses: [192.0.2.2], virtualRouterId: 7}");
    Map<String, Decision> d = VridAllocator.allocate(List.of(auto, explicit), NODES);
    assertThat(d.get("explicit")).isEqualTo(new Decision(7, false, null));
    assertThat(d.get("auto").vrid()).isNotEqualTo(7);
    assertThat(d.get("auto").runnable()).isTrue();
  }

  static Stream<Arguments> conflicts() {
    return Stream.of(
        // older spec, newer spec, conflict expected on the newer one
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9}",
            "{addresses: [192.0.2.2], virtualRouterId: 9}",
            true),
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9}",
            "{addresses: [192.0.2.2], virtualRouterId: 10}",
            false),
        // different families: one VRRP router per family, no clash
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9}",
            "{addresses: ['2001:db8::1'], virtualRouterId: 9}",
            false),
        Arguments.of(
            "{addresses: [192.0.2.1, '2001:db8::2'], virtualRouterId: 9}",
            "{addresses: ['2001:db8::1'], virtualRouterId: 9}",
            true),
        // different explicit interfaces
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9, interface: eth0}",
            "{addresses: [192.0.2.2], virtualRouterId: 9, interface: eth1}",
            false),
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9, interface: eth0}",
            "{addresses: [192.0.2.2], virtualRouterId: 9}",
            true),
        // disjoint node selections
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9, nodeSelector: {matchLabels: {zone: a}}}",
            "{addresses: [192.0.2.2], virtualRouterId: 9, nodeSelector: {matchLabels: {zone: b}}}",
            false),
        Arguments.of(
            "{addresses: [192.0.2.1], virtualRouterId: 9, nodeSelector: {matchLabels: {zone: a}}}",
            "{addresses: [192.0.2.2], virtualRouterId: 9}",
            true));
  }

  @ParameterizedTest
  @MethodSource
  void conflicts(String olderSpec, String newerSpec, boolean conflict) {
    VirtualIP older = v("zz-older", T1, olderSpec);
    VirtualIP newer = v("aa-newer", T2, newerSpec);
    // list order and name order must not matter: creation time decides
    Map<String, Decision> d = VridAllocator.allocate(List.of(newer, older), NODES);
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
  void explicitVridSeenFromAForeignRouterOnASelectedNodeConflicts() {
    List<NodeInfo> nodes =
        List.of(
            new NodeInfo("n1", Map.of("zone", "a"), Set.of(33)),
            new NodeInfo("n2", Map.of("zone", "b"), Set.of()));
    VirtualIP onA =
        v(
            "a",
            T1,
            "{addresses: [192.0.2.1], virtualRouterId: 33, nodeSelector: {matchLabels: {zone: a}}}");
    VirtualIP onB =
        v(
            "b",
            T1,
            "{addresses: [192.0.2.2], virtualRouterId: 33, nodeSelector: {matchLabels: {zone: b}}}");
    Map<String, Decision> d = VridAllocator.allocate(List.of(onA, onB), nodes);
    assertThat(d.get("a").conflict())
        .isEqualTo("VRID 33 is used by a router outside the cluster (seen from node n1)");
    assertThat(d.get("b").runnable()).isTrue();
  }

  @Test
  void exhaustion() {
    List<VirtualIP> vips = new ArrayList<>();
    for (int i = 1; i <= 255; i++) {
      vips.add(
          v(
              "e" + i,
              T1,
              "{addresses: [192.0.2.1], virtualRouterId: " + i + ", interface: if" + i + "}"));
    }
    vips.add(v("late", T2, "{addresses: [192.0.2.1]}"));
    Decision late = VridAllocator.allocate(vips, NODES).get("late");
    assertThat(late.vrid()).isNull();
    assertThat(late.conflict()).startsWith("no free VRID");
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
    Decision d = VridAllocator.allocate(List.of(explicit), List.of(info)).get("x");
    assertThat(d.conflict()).contains("outside the cluster").contains("n1");
  }

  private static NodeStatus entry(List<Integer> foreign) {
    return new NodeStatus(NodeState.Backup, 100, 100, null, null, null, null, 1L, null, foreign);
  }

  private static VirtualIPStatus status(Map<String, NodeStatus> nodes) {
    return new VirtualIPStatus(null, null, null, null, null, nodes, null);
  }
}
