package dev.floatip.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the agent's informers keep of cloud-shaped objects. */
class CacheTrimTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @Test
  void aCloudNodeKeepsItsNameLabelsCordonAndTaintsOnly() {
    Node full = JSON.unmarshal(CloudObjects.node(7), Node.class);
    full.getSpec().setUnschedulable(true);
    full.getSpec().setTaints(List.of(new Taint("NoSchedule", "dedicated", null, "edge")));
    String before = JSON.asJson(full);

    Node trimmed = CacheTrim.node(full);

    assertThat(JSON.asJson(full)).isEqualTo(before); // the informer's object is left as it was
    assertThat(trimmed.getMetadata().getName()).isEqualTo("gke-prod-pool-0007");
    assertThat(trimmed.getMetadata().getResourceVersion()).isEqualTo("1007");
    assertThat(trimmed.getMetadata().getUid()).isEqualTo(full.getMetadata().getUid());
    assertThat(trimmed.getMetadata().getLabels()).isEqualTo(full.getMetadata().getLabels());
    assertThat(trimmed.getMetadata().getManagedFields()).isEmpty();
    assertThat(trimmed.getMetadata().getAnnotations()).isEmpty();
    assertThat(trimmed.getSpec().getUnschedulable()).isTrue();
    assertThat(trimmed.getSpec().getTaints()).isEqualTo(full.getSpec().getTaints());
    assertThat(trimmed.getSpec().getProviderID()).isNull();
    assertThat(trimmed.getStatus()).isNull();
    assertThat(Placement.maintenance(trimmed)).isTrue();
    assertThat(Cache.metaNamespaceKeyFunc(trimmed)).isEqualTo(Cache.metaNamespaceKeyFunc(full));
    int fullSize = before.length();
    int trimmedSize = JSON.asJson(trimmed).length();
    assertThat(trimmedSize).isLessThan(fullSize / 10);
  }

  @Test
  void aVirtualIpKeepsItsSpecThisNodesEntryAndTheCandidatesStateAndAddresses() {
    // 16 candidates gke-prod-pool-0100..0115; this node is the third
    VirtualIP full = JSON.unmarshal(CloudObjects.vip(3, 100, 16), VirtualIP.class);
    // an entry of a node that is no candidate (it ran the VirtualIP before)
    var nodes = new java.util.LinkedHashMap<>(full.getStatus().nodes());
    nodes.put("gke-prod-pool-0999", nodes.get("gke-prod-pool-0101"));
    full.setStatus(
        new dev.floatip.api.v1alpha1.VirtualIPStatus(
            full.getStatus().observedGeneration(),
            full.getStatus().virtualRouterId(),
            full.getStatus().master(),
            full.getStatus().phase(),
            full.getStatus().nodesReady(),
            nodes,
            full.getStatus().conditions(),
            full.getStatus().addressList(),
            full.getStatus().candidates()));
    String before = JSON.asJson(full);
    String me = "gke-prod-pool-0102";

    VirtualIP trimmed = CacheTrim.vip(full, me);

    assertThat(JSON.asJson(full)).isEqualTo(before);
    assertThat(trimmed.getSpec()).isEqualTo(full.getSpec());
    assertThat(trimmed.getMetadata().getName()).isEqualTo("vip-0003");
    assertThat(trimmed.getMetadata().getGeneration()).isEqualTo(3);
    assertThat(trimmed.getMetadata().getResourceVersion()).isEqualTo("50003");
    assertThat(trimmed.getMetadata().getFinalizers()).containsExactly("floatip.dev/release");
    assertThat(trimmed.getMetadata().getManagedFields()).isEmpty();
    assertThat(trimmed.getMetadata().getAnnotations()).isEmpty();
    var status = trimmed.getStatus();
    assertThat(status.virtualRouterId()).isEqualTo(full.getStatus().virtualRouterId());
    assertThat(status.conditions()).isEqualTo(full.getStatus().conditions());
    assertThat(status.candidates()).isEqualTo(full.getStatus().candidates());
    assertThat(status.nodes().get(me)).isEqualTo(full.getStatus().nodes().get(me));
    assertThat(status.nodes()).hasSize(16).doesNotContainKey("gke-prod-pool-0999");
    NodeStatus peer = status.nodes().get("gke-prod-pool-0100");
    assertThat(peer)
        .isEqualTo(
            new NodeStatus(
                NodeState.Master,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of("10.132.0.100")));
    // what Placement decides from the trimmed object is what it decides from the full one
    Node self =
        new io.fabric8.kubernetes.api.model.NodeBuilder()
            .withNewMetadata()
            .withName(me)
            .endMetadata()
            .build();
    assertThat(Placement.decide(trimmed, self))
        .isInstanceOfSatisfying(
            Placement.Run.class,
            r ->
                assertThat(r.peers())
                    .isEqualTo(((Placement.Run) Placement.decide(full, self)).peers()));
    assertThat(JSON.asJson(trimmed).length()).isLessThan(before.length() / 2);
  }

  @Test
  void aVirtualIpWithoutStatusStaysWithoutStatus() {
    VirtualIP full = JSON.unmarshal(CloudObjects.vip(1, 0, 2), VirtualIP.class);
    full.setStatus(null);

    assertThat(CacheTrim.vip(full, "n1").getStatus()).isNull();
  }

  @Test
  void aPodKeepsWhatTheReadyCountReads() {
    Pod full =
        new PodBuilder()
            .withNewMetadata()
            .withName("web-1")
            .withNamespace("shop")
            .withResourceVersion("9")
            .withLabels(java.util.Map.of("app", "web"))
            .withAnnotations(java.util.Map.of("big", "x".repeat(1000)))
            .withDeletionTimestamp("2026-12-07T10:00:00Z")
            .endMetadata()
            .withNewSpec()
            .withNodeName("n1")
            .addNewContainer()
            .withName("app")
            .withImage("registry.example.com/app:1")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .addNewContainerStatus()
            .withName("app")
            .endContainerStatus()
            .endStatus()
            .build();

    Pod trimmed = CacheTrim.pod(full);

    assertThat(trimmed.getMetadata().getName()).isEqualTo("web-1");
    assertThat(trimmed.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(trimmed.getMetadata().getResourceVersion()).isEqualTo("9");
    assertThat(trimmed.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(trimmed.getMetadata().getDeletionTimestamp()).isEqualTo("2026-12-07T10:00:00Z");
    assertThat(trimmed.getMetadata().getAnnotations()).isEmpty();
    assertThat(trimmed.getSpec().getNodeName()).isEqualTo("n1");
    assertThat(trimmed.getSpec().getContainers()).isEmpty();
    assertThat(trimmed.getStatus().getPhase()).isEqualTo("Running");
    assertThat(trimmed.getStatus().getConditions()).isEqualTo(full.getStatus().getConditions());
    assertThat(trimmed.getStatus().getContainerStatuses()).isEmpty();
    assertThat(full.getSpec().getContainers()).hasSize(1);
  }

  @Test
  void theStoreKeepsTheTrimmedObjectUnderTheInformersKey() {
    TrimmedStore<Node> store = new TrimmedStore<>(CacheTrim::node);
    Node full = JSON.unmarshal(CloudObjects.node(1), Node.class);

    store.put(store.getKey(full), full);

    assertThat(store.size()).isEqualTo(1);
    assertThat(store.get("gke-prod-pool-0001").getStatus()).isNull();
    assertThat(store.keySet()).containsExactly("gke-prod-pool-0001");
    assertThat(store.remove("gke-prod-pool-0001")).isNotNull();
    assertThat(store.values()).isEmpty();
  }
}
