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
    assertThat(trimmed.getMetadata().getFinalizers()).isEmpty();
    assertThat(trimmed.getMetadata().getManagedFields()).isEmpty();
    assertThat(trimmed.getMetadata().getAnnotations()).isEmpty();
    var status = trimmed.getStatus();
    assertThat(status.virtualRouterId()).isEqualTo(full.getStatus().virtualRouterId());
    assertThat(status.conditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getMessage()).isNull();
            });
    assertThat(status.master()).isNull();
    assertThat(status.addressList()).isNull();
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
  void aFalseConditionIsNotKeptAndATrueBlockingOneStillStopsTheVirtualIp() {
    VirtualIP full = withOperatorConditions(CloudObjects.vip(4, 100, 4), "VRIDConflict");
    String me = "gke-prod-pool-0101";
    Node self =
        new io.fabric8.kubernetes.api.model.NodeBuilder()
            .withNewMetadata()
            .withName(me)
            .endMetadata()
            .build();

    VirtualIP trimmed = CacheTrim.vip(full, me);

    assertThat(trimmed.getStatus().conditions())
        .extracting(c -> c.getType())
        .containsExactly("Ready", "VRIDConflict");
    assertThat(Placement.decide(trimmed, self)).isInstanceOf(Placement.Skip.class);
    assertThat(Placement.decide(full, self)).isInstanceOf(Placement.Skip.class);
  }

  /**
   * What the agent's VirtualIP cache holds per VirtualIP, measured on the heap: each object parsed
   * from JSON by Fabric8 and put into the informer's store, as the agent does, 2000 times. Shaped
   * as the scale benchmark's: 4 candidates with their entries, the operator's five conditions (one
   * True) and a nodeSelector. A real agent at 1000 VirtualIPs kept 25.5 MiB live of its {@code
   * -Xmx32m} with the whole status cached; this fails when the cache grows back.
   */
  @Test
  void theVirtualIpCacheHoldsLittleHeapPerVirtualIp() {
    int count = 2000;
    String me = "gke-prod-pool-0999";
    List<String> json = new java.util.ArrayList<>();
    for (int i = 0; i < count; i++) {
      json.add(JSON.asJson(withOperatorConditions(CloudObjects.vip(i, i % 900, 4), null)));
    }
    TrimmedStore<VirtualIP> store = new TrimmedStore<>(v -> CacheTrim.vip(v, me));
    JSON.unmarshal(json.getFirst(), VirtualIP.class); // the serializer's caches, outside the count
    long before = usedAfterGc();
    for (String j : json) {
      VirtualIP v = JSON.unmarshal(j, VirtualIP.class);
      store.put(store.getKey(v), v);
    }
    long after = usedAfterGc();

    assertThat(store.size()).isEqualTo(count);
    long perVip = (after - before) / count;
    System.out.printf("VirtualIP cache: %d bytes per VirtualIP%n", perVip);
    assertThat(perVip).isLessThan(PER_VIP_BUDGET);
  }

  /**
   * Bytes of heap per cached VirtualIP the agent may use: 3.5 MiB per 1000 VirtualIPs. Measured 2.6
   * KiB with this trim, 5.7 KiB when it kept the whole status (conditions with their messages).
   */
  private static final long PER_VIP_BUDGET = 3584;

  /** The operator's conditions on a Ready VirtualIP ({@code extra}: one more, True). */
  private static VirtualIP withOperatorConditions(String json, String extra) {
    VirtualIP vip = JSON.unmarshal(json, VirtualIP.class);
    List<io.fabric8.kubernetes.api.model.Condition> conditions = new java.util.ArrayList<>();
    conditions.add(condition("Ready", "True", "MasterElected", "one master"));
    conditions.add(
        condition("Degraded", "False", "AllCandidatesReported", "every candidate reports"));
    conditions.add(
        condition("SplitBrain", "False", "OneMaster", "at most one node reports Master"));
    conditions.add(
        condition(
            "CandidatesLimited",
            "False",
            "WithinLimit",
            "4 nodes match, within the limit of 16 (Helm value maxCandidates)"));
    conditions.add(condition("InvalidSpec", "False", "Valid", "the spec is valid"));
    if (extra != null) {
      conditions.add(condition(extra, "True", "Conflict", "VRID 7 is heard from 192.0.2.9"));
    }
    var s = vip.getStatus();
    vip.setStatus(
        new dev.floatip.api.v1alpha1.VirtualIPStatus(
            s.observedGeneration(),
            s.virtualRouterId(),
            s.master(),
            s.phase(),
            s.nodesReady(),
            s.nodes(),
            conditions,
            s.addressList(),
            s.candidates()));
    return vip;
  }

  private static io.fabric8.kubernetes.api.model.Condition condition(
      String type, String status, String reason, String message) {
    return new io.fabric8.kubernetes.api.model.ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime("2026-12-07T10:00:00Z")
        .withObservedGeneration(3L)
        .build();
  }

  /** Heap in use after full collections, once two agree within 16 KiB. */
  private static long usedAfterGc() {
    var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long now = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(last - now) < 16 * 1024) {
        return now;
      }
      last = now;
    }
    return last;
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
