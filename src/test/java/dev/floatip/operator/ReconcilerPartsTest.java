package dev.floatip.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floatip.api.v1alpha1.Candidate;
import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.operator.model.CandidateChoice;
import dev.floatip.operator.model.NodeView;
import dev.floatip.operator.model.OperatorConfig;
import dev.floatip.operator.model.StatusAggregator;
import dev.floatip.operator.model.VridAllocator;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeSpecBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reconciler's pure helpers and the exact status patch body. */
class ReconcilerPartsTest {

  /**
   * 1000 cloud Nodes listed at once did not fit the chart's -Xmx96m: the Node informer lists in
   * pages (each trimmed into the cache before the next is read) and caches trimmed Nodes.
   */
  @Test
  void theNodeInformerListsInPagesAndCachesTrimmedNodes() {
    var informer = VirtualIPReconciler.nodeInformer().getInformerConfig();
    assertThat(informer.getInformerListLimit()).isEqualTo(100L);
    var store = informer.getItemStore();
    Node full =
        new NodeBuilder()
            .withNewMetadata()
            .withName("n1")
            .withResourceVersion("7")
            .addToAnnotations("big", "x".repeat(10_000))
            .endMetadata()
            .withNewStatus()
            .addNewImage()
            .withNames("registry.example/app:1")
            .withSizeBytes(1L)
            .endImage()
            .addToAddresses(new NodeAddress("192.0.2.1", "InternalIP"))
            .endStatus()
            .build();
    store.put(store.getKey(full), full);
    Node cached = store.get(store.getKey(full));
    assertThat(cached.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(cached.getStatus().getImages()).isNullOrEmpty();
    assertThat(cached.getStatus().getAddresses())
        .extracting(NodeAddress::getAddress)
        .containsExactly("192.0.2.1");
  }

  private static NodeStatus entry(NodeState state) {
    return new NodeStatus(state, 100, 100, null, null, null, null, 1L, null, null);
  }

  private static Node node(String name, String ready, Map<String, String> labels) {
    NodeBuilder b =
        new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata();
    if (ready != null) {
      b.withNewStatus()
          .addNewCondition()
          .withType("Ready")
          .withStatus(ready)
          .endCondition()
          .endStatus();
    }
    return b.build();
  }

  @Test
  void statusPatchCarriesOnlyTheOperatorFieldsAndClearsMaster() throws Exception {
    Map<String, NodeStatus> nodes = new HashMap<>();
    nodes.put("a", entry(NodeState.Backup));
    StatusAggregator.Result r =
        StatusAggregator.aggregate(
            new StatusAggregator.Input(
                new VirtualIPStatus(1L, 7, "a", null, null, nodes, null),
                2,
                List.of(),
                new VridAllocator.Decision(7, true, null),
                Duration.ofSeconds(1),
                Set.of(),
                Instant.parse("2026-11-21T00:00:00Z"),
                List.of("192.0.2.200/24", "2001:db8::200/64")));
    JsonNode body =
        new ObjectMapper().readTree(StatusWriter.body(new KubernetesSerialization(), r));
    assertThat(body.fieldNames()).toIterable().containsExactly("status");
    JsonNode status = body.get("status");
    assertThat(status.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "observedGeneration",
            "virtualRouterId",
            "master",
            "phase",
            "nodesReady",
            "conditions",
            "addressList");
    assertThat(status.get("addressList").asText()).isEqualTo("192.0.2.200/24, 2001:db8::200/64");
    assertThat(status.get("master").isNull()).isTrue(); // merge patch: removes the old master
    assertThat(status.get("phase").asText()).isEqualTo("NoMaster");
    assertThat(status.get("conditions")).hasSize(5);
    assertThat(status.has("nodes")).isFalse();
  }

  @Test
  void statusPatchWritesCandidatesAndRemovesTheEntriesOfDeletedNodesOnly() throws Exception {
    Map<String, NodeStatus> nodes = new HashMap<>();
    nodes.put("a", entry(NodeState.Backup));
    nodes.put("gone", entry(NodeState.Master));
    StatusAggregator.Result r =
        StatusAggregator.aggregate(
            new StatusAggregator.Input(
                new VirtualIPStatus(1L, 7, "gone", null, null, nodes, null),
                2,
                List.of(),
                new VridAllocator.Decision(7, true, null),
                Duration.ofSeconds(1),
                Set.of(),
                Instant.parse("2026-11-21T00:00:00Z"),
                List.of("192.0.2.200/24"),
                Set.of("gone"),
                new CandidateChoice(
                    List.of(new Candidate("a", List.of("198.51.100.1"))), 1, 16, 1)));
    JsonNode status =
        new ObjectMapper()
            .readTree(StatusWriter.body(new KubernetesSerialization(), r))
            .get("status");
    assertThat(status.get("candidates").toString())
        .isEqualTo("[{\"name\":\"a\",\"addresses\":[\"198.51.100.1\"]}]");
    // the one key of an agent's the operator writes: null removes the deleted node's entry
    assertThat(status.get("nodes").toString()).isEqualTo("{\"gone\":null}");
    assertThat(status.get("nodesReady").asText()).isEqualTo("1/1");
    assertThat(status.get("master").isNull()).isTrue();
    assertThat(status.get("conditions")).hasSize(6);
  }

  @Test
  void whichNodeChangesReachThePlan() {
    Node n = node("n", "True", Map.of("role", "a"));
    assertThat(Planner.nodeChangeMatters(n, node("n", "True", Map.of("role", "a")))).isFalse();
    assertThat(Planner.nodeChangeMatters(n, node("n", "True", Map.of("role", "b")))).isTrue();
    assertThat(Planner.nodeChangeMatters(n, node("n", "False", Map.of("role", "a")))).isTrue();
    // issue 11, defect 7: agents no longer write Node annotations; the operator ignores them
    Node annotated = node("n", "True", Map.of("role", "a"));
    annotated.getMetadata().setAnnotations(Map.of("floatip.dev/foreign-vrids", "9"));
    assertThat(Planner.nodeChangeMatters(annotated, n)).isFalse();
    // a taint that keeps pods off, and an InternalIP, matter; a condition taint does not
    Node tainted = node("n", "True", Map.of("role", "a"));
    tainted.setSpec(
        new NodeSpecBuilder()
            .addNewTaint()
            .withKey("edge")
            .withEffect("NoSchedule")
            .endTaint()
            .build());
    assertThat(Planner.nodeChangeMatters(tainted, n)).isTrue();
    Node pressured = node("n", "True", Map.of("role", "a"));
    pressured.setSpec(
        new NodeSpecBuilder()
            .addNewTaint()
            .withKey("node.kubernetes.io/disk-pressure")
            .withEffect("NoSchedule")
            .endTaint()
            .build());
    assertThat(Planner.nodeChangeMatters(pressured, n)).isFalse();
    Node addressed = node("n", "True", Map.of("role", "a"));
    addressed.getStatus().setAddresses(List.of(new NodeAddress("198.51.100.9", "InternalIP")));
    assertThat(Planner.nodeChangeMatters(addressed, n)).isTrue();
  }

  /** The informer keeps only what the plan reads of a Node. */
  @Test
  void theNodeCacheKeepsWhatThePlanReads() {
    Node full = node("n", "True", Map.of("role", "a"));
    full.getMetadata().setResourceVersion("42");
    full.getMetadata().setAnnotations(Map.of("big", "x".repeat(1000)));
    full.getMetadata()
        .setManagedFields(List.of(new io.fabric8.kubernetes.api.model.ManagedFieldsEntry()));
    full.getStatus()
        .setAddresses(
            List.of(
                new NodeAddress("198.51.100.9", "InternalIP"),
                new NodeAddress("n.example", "Hostname")));
    full.getStatus()
        .getConditions()
        .add(new NodeConditionBuilder().withType("DiskPressure").withStatus("False").build());
    full.getStatus().setImages(List.of(new io.fabric8.kubernetes.api.model.ContainerImage()));
    full.setSpec(
        new NodeSpecBuilder()
            .withUnschedulable(true)
            .withPodCIDR("10.0.0.0/24")
            .addNewTaint()
            .withKey("edge")
            .withEffect("NoSchedule")
            .endTaint()
            .build());
    Node trimmed = InformerTrims.node(full);
    assertThat(trimmed.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(trimmed.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(trimmed.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(trimmed.getStatus().getImages()).isNullOrEmpty();
    assertThat(trimmed.getStatus().getAddresses())
        .extracting(NodeAddress::getAddress)
        .containsExactly("198.51.100.9");
    assertThat(trimmed.getStatus().getConditions())
        .singleElement()
        .satisfies(c -> assertThat(c.getType()).isEqualTo("Ready"));
    assertThat(trimmed.getSpec().getPodCIDR()).isNull();
    assertThat(trimmed.getSpec().getUnschedulable()).isTrue();
    assertThat(NodeView.of(trimmed)).isEqualTo(NodeView.of(full));
  }

  /** Issue 11, defect 7: a peer's agents reporting a new foreign VRID re-runs the allocation. */
  @Test
  void foreignVridsInAPeersStatusTriggerReconciles() {
    VirtualIP before = peer(List.of(51));
    Planner planner = new Planner(OperatorConfig.defaults(), v -> List.of());
    assertThat(planner.peerChangeMatters(peer(List.of(51)), before)).isFalse();
    assertThat(planner.peerChangeMatters(peer(List.of(51, 52)), before)).isTrue();
  }

  private static VirtualIP peer(List<Integer> foreign) {
    VirtualIP v = new VirtualIP();
    v.setMetadata(new ObjectMetaBuilder().withName("p").withGeneration(1L).build());
    v.setStatus(
        new VirtualIPStatus(
            1L,
            7,
            null,
            null,
            null,
            Map.of(
                "n1",
                new NodeStatus(
                    NodeState.Backup, 100, 100, null, null, null, null, 1L, null, foreign)),
            null));
    return v;
  }

  @Test
  void releasedMeansStoppedOrGone() {
    Map<String, NodeStatus> nodes = new HashMap<>();
    nodes.put("b", entry(NodeState.Backup));
    nodes.put("a", entry(NodeState.Fault));
    nodes.put("s", entry(NodeState.Stopped));
    nodes.put("deleted", null);
    assertThat(
            VirtualIPReconciler.holding(
                new VirtualIPStatus(null, null, null, null, null, nodes, null)))
        .containsExactly("a", "b");
    assertThat(VirtualIPReconciler.holding(null)).isEmpty();
  }

  @Test
  void leaderElectionConfiguration() {
    var election = LeaderElection.configuration(OperatorConfig.defaults(), "pod-1", true);
    assertThat(election.getLeaseName()).isEqualTo("floatip-operator");
    assertThat(election.getLeaseNamespace()).contains("floatip-system");
    assertThat(election.getIdentity()).contains("pod-1");
    assertThat(election.isExitOnStopLeading()).isTrue();
    assertThat(
            LeaderElection.configuration(OperatorConfig.defaults(), "x", false)
                .isExitOnStopLeading())
        .isFalse();
  }

  /** A reconcile that keeps failing (API timeouts) is retried with backoff, never abandoned. */
  @Test
  void failedReconcilesAreRetriedForeverWithBackoff() {
    var retry = new io.javaoperatorsdk.operator.processing.retry.GenericRetry();
    retry.initFrom(
        VirtualIPReconciler.class.getAnnotation(
            io.javaoperatorsdk.operator.processing.retry.GradualRetry.class));
    var execution = retry.initExecution();
    long last = 0;
    for (int attempt = 0; attempt < 100; attempt++) {
      var delay = execution.nextDelay();
      org.assertj.core.api.Assertions.assertThat(delay).isPresent();
      last = delay.get();
    }
    org.assertj.core.api.Assertions.assertThat(last).isEqualTo(30_000L);
  }
}
