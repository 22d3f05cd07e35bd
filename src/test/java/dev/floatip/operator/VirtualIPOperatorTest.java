package dev.floatip.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floatip.api.v1alpha1.Candidate;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.Phase;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.operator.model.Labels;
import dev.floatip.operator.model.OperatorConfig;
import dev.floatip.operator.model.Vips;
import dev.floatip.operator.model.VridAllocator;
import dev.floatip.testing.ApiServerTestResource;
import dev.floatip.testing.MockApiServer;
import dev.floatip.testing.apiserver.Identity;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Ignore;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against the strict test API server ({@link ApiServerTestResource}): the operator's
 * client authenticates as the chart's operator ServiceAccount in namespace floatip, the test's own
 * writes and checks go as admin. Agents are simulated by merge-patching their own {@code
 * status.nodes.<node>} entry as the agents' ServiceAccount, exactly as the agent does
 * (research/status-writes.md §7a).
 */
@QuarkusTest
@QuarkusTestResource(value = ApiServerTestResource.class, restrictToAnnotatedClass = true)
class VirtualIPOperatorTest {

  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @ApiServerTestResource.Inject MockApiServer mock;
  @Inject Operator operator;
  @Inject OperatorConfig cfg;

  /** The test's own writes and checks: admin. */
  private KubernetesClient client;

  /** A separate client, as an agent on another node would have. */
  private KubernetesClient agents;

  /** Nodes this test created, removed after its VirtualIPs. */
  private final List<String> nodes = java.util.Collections.synchronizedList(new ArrayList<>());

  @Inject VirtualIPReconciler reconciler;

  @BeforeEach
  void start() {
    client = mock.client();
    agents = mock.newClient(Identity.AGENT);
    if (STARTED.compareAndSet(false, true)) {
      operator.start();
    }
  }

  @AfterEach
  void deleteAll() {
    assertThat(mock.componentRefusals())
        .as("requests of the operator and the agents the API server refused")
        .isEmpty();
    for (VirtualIP v : client.resources(VirtualIP.class).list().getItems()) {
      if (v.getStatus() != null && v.getStatus().nodes() != null) {
        v.getStatus()
            .nodes()
            .keySet()
            .forEach(n -> report(v.getMetadata().getName(), n, "Stopped", null));
      }
      client.resource(v).delete();
    }
    try {
      await()
          .atMost(DEADLINE)
          .until(() -> client.resources(VirtualIP.class).list().getItems().isEmpty());
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "left over: "
              + client.resources(VirtualIP.class).list().getItems().stream()
                  .map(
                      v ->
                          v.getMetadata().getName()
                              + " finalizers="
                              + v.getMetadata().getFinalizers()
                              + " deleted="
                              + v.getMetadata().getDeletionTimestamp()
                              + " nodes="
                              + (v.getStatus() == null ? null : v.getStatus().nodes()))
                  .toList(),
          e);
    } finally {
      agents.close();
      List.copyOf(nodes).forEach(n -> client.nodes().withName(n).delete());
      nodes.clear();
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  /**
   * A Ready Node with an InternalIP (none when null), as the kubelet registers it (as admin, not as
   * a kubelet).
   */
  private void node(String name, Map<String, String> labels, String address) {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewStatus()
                .withAddresses(
                    address == null ? List.of() : List.of(new NodeAddress(address, "InternalIP")))
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build())
        .create();
    nodes.add(name);
  }

  private void nodes(String... names) {
    for (int i = 0; i < names.length; i++) {
      node(names[i], Map.of(), "198.51.100." + (i + 1));
    }
  }

  private List<String> candidates(String vip) {
    List<Candidate> c = status(vip).candidates();
    return c == null ? null : c.stream().map(Candidate::name).toList();
  }

  private VirtualIP create(String name, String spec) {
    return client.resource(Vips.vip(name, spec)).create();
  }

  private VirtualIP get(String name) {
    return client.resources(VirtualIP.class).withName(name).get();
  }

  private VirtualIPStatus status(String name) {
    VirtualIP v = get(name);
    return v == null || v.getStatus() == null ? VirtualIPStatus.empty() : v.getStatus();
  }

  private Condition condition(String vip, String type) {
    List<Condition> conditions = status(vip).conditions();
    return conditions == null
        ? null
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private boolean conditionIs(String vip, String type, String value) {
    Condition c = condition(vip, type);
    return c != null && value.equals(c.getStatus());
  }

  /** An agent's write: one merge patch of its own key, no resourceVersion. */
  private void report(String vip, String node, String state, Instant masterSince) {
    report(agents, vip, node, state, 100, masterSince);
  }

  private static void report(
      KubernetesClient c,
      String vip,
      String node,
      String state,
      int priority,
      Instant masterSince) {
    VirtualIP ref = new VirtualIP();
    ref.setMetadata(new ObjectMetaBuilder().withName(vip).build());
    String since = Instant.now().toString();
    String entry =
        "{\"state\":\""
            + state
            + "\",\"priority\":"
            + priority
            + ",\"since\":\""
            + since
            + "\""
            + (masterSince == null ? "" : ",\"masterSince\":\"" + masterSince + "\"")
            + "}";
    c.resource(ref)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"nodes\":{\"" + node + "\":" + entry + "}}}");
  }

  /**
   * Agents exist only once the operator wrote their ServiceAccount's RBAC (with the DaemonSet):
   * simulated agents wait for it too.
   */
  private void awaitAgentRbac() {
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                client.rbac().clusterRoleBindings().withName(cfg.agentName()).get() != null
                    && client.rbac().clusterRoles().withName(cfg.agentName()).get() != null);
  }

  private DaemonSet daemonSet() {
    return client.apps().daemonSets().inNamespace(cfg.namespace()).withName(cfg.agentName()).get();
  }

  private List<Event> events(String vip, String reason) {
    // issue 11, defect 3: Events about a cluster-scoped VirtualIP live in namespace default
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> vip.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .toList();
  }

  // --- tests -----------------------------------------------------------------------------------

  /**
   * Issue 11, defect 6: a passwordSecretRef is accepted in the operator's namespace (the default)
   * and refused elsewhere (InvalidSpec naming the field and the chart value); the agents' role
   * never grants Secrets (the chart's Roles do, per allowed namespace).
   */
  @Test
  void aPasswordSecretOutsideTheAllowedNamespacesIsInvalidSpec() {
    create(
        "authed",
        "{addresses: [192.0.2.70/24], virtualRouterId: 70, version: 2,"
            + " authentication: {passwordSecretRef: {name: vrrp-pass, key: password}}}");
    create(
        "elsewhere",
        "{addresses: [192.0.2.71/24], virtualRouterId: 71, version: 2,"
            + " authentication: {passwordSecretRef: {name: vrrp-pass, key: password,"
            + " namespace: kube-system}}}");
    await().atMost(DEADLINE).until(() -> status("elsewhere").phase() == Phase.Invalid);
    assertThat(condition("elsewhere", "InvalidSpec").getMessage())
        .contains("spec.authentication.passwordSecretRef.namespace")
        .contains("kube-system")
        .contains("agent.secretNamespaces");
    await().atMost(DEADLINE).until(() -> conditionIs("authed", "InvalidSpec", "False"));
    assertThat(client.rbac().clusterRoles().withName(cfg.agentName()).get().getRules())
        .noneMatch(r -> r.getResources().contains("secrets"));
  }

  @Test
  void daemonSetRbacVridAllocationAndConflicts() {
    create(
        "web",
        "{addresses: [192.0.2.10/24], nodeSelector: {matchLabels: {role: ingress}},"
            + " tolerations: [{key: edge, operator: Exists}]}");
    create(
        "dns",
        "{addresses: [192.0.2.53/24], virtualRouterId: 51,"
            + " nodeSelector: {matchLabels: {role: dns}}}");
    // issue 13: what the chart's values do not allow (here: the defaults) is InvalidSpec naming
    // the value, and changes no pod template
    create("procs", "{addresses: [192.0.2.55/24], track: {processes: [{name: nginx}]}}");

    await().atMost(DEADLINE).until(() -> daemonSet() != null);
    DaemonSet ds = daemonSet();
    var pod = ds.getSpec().getTemplate().getSpec();
    // issue 13: the chart's values (defaults here), never the VirtualIPs' selectors or tracking
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getHostPID()).isFalse();
    assertThat(pod.getAffinity()).isNull();
    assertThat(pod.getTolerations()).isEmpty();
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    assertThat(pod.getContainers().get(0).getSecurityContext().getCapabilities().getAdd())
        .containsExactly("NET_ADMIN", "NET_RAW", "SETGID", "SETUID");
    assertThat(ds.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.MANAGER);
    assertThat(
            client.serviceAccounts().inNamespace(cfg.namespace()).withName(cfg.agentName()).get())
        .isNotNull();
    assertThat(client.rbac().clusterRoles().withName(cfg.agentName()).get().getRules())
        .isNotEmpty();
    assertThat(client.rbac().clusterRoleBindings().withName(cfg.agentName()).get().getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getNamespace()).isEqualTo(cfg.namespace()));

    // web runs nowhere yet (no Node): dns's VRID is not in its way
    int webVrid = VridAllocator.preferred("web");
    await().atMost(DEADLINE).until(() -> Objects.equals(status("web").virtualRouterId(), webVrid));
    await().atMost(DEADLINE).until(() -> Objects.equals(status("dns").virtualRouterId(), 51));
    assertThat(status("web").phase()).isEqualTo(Phase.Pending);
    // no Node at all: nothing can run it, and the condition says where agents run
    await().atMost(DEADLINE).until(() -> candidates("web") != null);
    assertThat(candidates("web")).isEmpty();
    assertThat(condition("web", "Ready").getReason()).isEqualTo("NoCandidates");
    assertThat(condition("web", "Ready").getMessage()).contains("agent.nodeSelector");
    assertThat(status("web").observedGeneration()).isEqualTo(1L);
    await().atMost(DEADLINE).until(() -> conditionIs("procs", "InvalidSpec", "True"));
    assertThat(condition("procs", "InvalidSpec").getMessage())
        .contains("spec.track.processes")
        .contains("agent.processTracking=true");

    // a newer VirtualIP with the same VRID on (possibly) the same segment is not run: a multicast
    // one's adverts reach every node of its segment, wherever it runs
    create(
        "dns-copy",
        "{addresses: [192.0.2.54/24], virtualRouterId: 51, transport: {mode: Multicast},"
            + " nodeSelector: {matchLabels: {role: other}}}");
    await().atMost(DEADLINE).until(() -> conditionIs("dns-copy", "VRIDConflict", "True"));
    assertThat(condition("dns-copy", "VRIDConflict").getMessage())
        .isEqualTo("VRID 51 is already used by VirtualIP \"dns\" on the same segment");
    assertThat(status("dns-copy").phase()).isEqualTo(Phase.Pending);
    assertThat(conditionIs("dns", "VRIDConflict", "False")).isTrue();
    assertThat(daemonSet().getSpec().getTemplate()).isEqualTo(ds.getSpec().getTemplate());

    // the older one goes: the conflict resolves, the DaemonSet stays as it was
    client.resources(VirtualIP.class).withName("dns").delete();
    await().atMost(DEADLINE).until(() -> conditionIs("dns-copy", "VRIDConflict", "False"));
    assertThat(daemonSet().getSpec().getTemplate()).isEqualTo(ds.getSpec().getTemplate());
    assertThat(daemonSet().getMetadata().getGeneration())
        .isEqualTo(ds.getMetadata().getGeneration());
  }

  @Test
  void statusAggregationMasterEventsAndSplitBrain() {
    nodes("node-a", "node-b");
    create("agg", "{addresses: [192.0.2.20/24], advertisementInterval: 1s}");
    await().atMost(DEADLINE).until(() -> status("agg").phase() == Phase.Pending);

    report("agg", "node-a", "Master", Instant.now().minusSeconds(10));
    report("agg", "node-b", "Backup", null);
    await().atMost(DEADLINE).until(() -> status("agg").phase() == Phase.Active);
    await().atMost(DEADLINE).until(() -> "2/2".equals(status("agg").nodesReady()));
    assertThat(status("agg").master()).isEqualTo("node-a");
    assertThat(conditionIs("agg", "Ready", "True")).isTrue();
    await().atMost(DEADLINE).until(() -> !events("agg", "MasterChanged").isEmpty());
    assertThat(events("agg", "MasterChanged"))
        .anySatisfy(e -> assertThat(e.getMessage()).isEqualTo("master: none -> node-a"));
    String readySince = condition("agg", "Ready").getLastTransitionTime();

    // a backup fails: Degraded, Ready keeps its transition time
    report("agg", "node-b", "Fault", null);
    await().atMost(DEADLINE).until(() -> conditionIs("agg", "Degraded", "True"));
    assertThat(condition("agg", "Ready").getLastTransitionTime()).isEqualTo(readySince);
    assertThat(status("agg").nodesReady()).isEqualTo("1/2");

    // node-b claims master too: a split brain once it lasts longer than one advert interval
    report("agg", "node-b", "Master", Instant.now());
    await().atMost(DEADLINE).until(() -> status("agg").phase() == Phase.SplitBrain);
    assertThat(conditionIs("agg", "SplitBrain", "True")).isTrue();
    assertThat(conditionIs("agg", "Ready", "False")).isTrue();
    // issue 11, defect 8: never a comma-joined list; the condition names the holders
    assertThat(status("agg").master()).isNull();
    assertThat(condition("agg", "SplitBrain").getMessage())
        .startsWith("node-a, node-b report Master");
    await().atMost(DEADLINE).until(() -> !events("agg", "SplitBrain").isEmpty());
    assertThat(events("agg", "SplitBrain"))
        .singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));

    // node-a steps down
    report("agg", "node-a", "Backup", null);
    await().atMost(DEADLINE).until(() -> "node-b".equals(status("agg").master()));
    assertThat(status("agg").phase()).isEqualTo(Phase.Active);
    assertThat(conditionIs("agg", "SplitBrain", "False")).isTrue();
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                events("agg", "MasterChanged").stream()
                    .anyMatch(e -> e.getMessage().equals("master: none -> node-b")));
    assertThat(client.v1().events().inNamespace(cfg.namespace()).list().getItems()).isEmpty();

    // the operator's writes replaced its list and kept every agent entry
    VirtualIPStatus s = status("agg");
    assertThat(s.conditions()).hasSize(6);
    assertThat(s.nodes()).containsOnlyKeys("node-a", "node-b");
    assertThat(s.candidates())
        .containsExactly(
            new Candidate("node-a", List.of("198.51.100.1")),
            new Candidate("node-b", List.of("198.51.100.2")));
  }

  /**
   * Issue 11, defect 7: an agent reports the VRIDs of foreign routers in its own status entry (no
   * Node write); the operator refuses an explicit VRID one of them uses. Defect 8: the ADDRESSES
   * column's text follows the spec.
   */
  @Test
  void foreignVridsFromAgentEntriesAndTheAddressList() {
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName("fx-node").endMetadata().build())
        .create();
    try {
      create("fx-a", "{addresses: [192.0.2.70/24, 2001:db8::70/64]}");
      await()
          .atMost(DEADLINE)
          .until(() -> "192.0.2.70/24, 2001:db8::70/64".equals(status("fx-a").addressList()));
      VirtualIP ref = new VirtualIP();
      ref.setMetadata(new ObjectMetaBuilder().withName("fx-a").build());
      agents
          .resource(ref)
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"status\":{\"nodes\":{\"fx-node\":{\"state\":\"Backup\",\"priority\":100,"
                  + "\"foreignVrids\":[77]}}}}");
      create("fx-b", "{addresses: [192.0.2.71/24], virtualRouterId: 77}");
      await().atMost(DEADLINE).until(() -> conditionIs("fx-b", "VRIDConflict", "True"));
      assertThat(condition("fx-b", "VRIDConflict").getMessage())
          .isEqualTo("VRID 77 is used by a router outside the cluster (seen from node fx-node)");
      assertThat(client.nodes().withName("fx-node").get().getMetadata().getAnnotations())
          .isNullOrEmpty();
    } finally {
      client.nodes().withName("fx-node").delete();
    }
  }

  @Test
  void invalidSpecIsReportedAndNothingIsApplied() {
    create("base", "{addresses: [192.0.2.30/24]}");
    await().atMost(DEADLINE).until(() -> daemonSet() != null);
    await().atMost(DEADLINE).until(() -> status("base").virtualRouterId() != null);
    String version = daemonSet().getMetadata().getResourceVersion();

    // what the CRD accepts but the validator refuses (the CRD's own refusals never get here: the
    // API server answers them with 422, CrdSchemaTest and CrdAdmissionTest check those)
    create(
        "bad",
        "{addresses: [192.0.2.32/24], nodeSelector: {matchLabels: {role: bad}},"
            + " track: {processes: [{name: x}], files: [{path: /etc/shadow}, {path: /proc/1/x}]}}");
    await().atMost(DEADLINE).until(() -> status("bad").phase() == Phase.Invalid);
    Condition invalid = condition("bad", "InvalidSpec");
    assertThat(invalid.getStatus()).isEqualTo("True");
    assertThat(invalid.getMessage())
        .contains("spec.track.files[0].path")
        .contains("spec.track.files[1].path");
    assertThat(status("bad").virtualRouterId()).isNull();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> daemonSet().getMetadata().getResourceVersion().equals(version));
    assertThat(daemonSet().getSpec().getTemplate().getSpec().getHostPID()).isFalse();

    // fixed: now it is applied
    VirtualIP fixed =
        Vips.vip("bad", "{addresses: [192.0.2.31/24], nodeSelector: {matchLabels: {role: bad}}}");
    client
        .resources(VirtualIP.class)
        .withName("bad")
        .edit(
            v -> {
              v.setSpec(fixed.getSpec());
              return v;
            });
    await().atMost(DEADLINE).until(() -> conditionIs("bad", "InvalidSpec", "False"));
    assertThat(status("bad").observedGeneration()).isEqualTo(2L);
    assertThat(status("bad").virtualRouterId()).isNotNull();
  }

  @Test
  void finalizerWaitsForReleaseTimesOutWithAnEventAndTheLastOneRemovesTheAgents() {
    nodes("node-a", "node-b", "node-c");
    create("fin", "{addresses: [192.0.2.40/24]}");
    awaitAgentRbac();
    report("fin", "node-a", "Master", Instant.now().minusSeconds(5));
    report("fin", "node-b", "Backup", null);
    await().atMost(DEADLINE).until(() -> status("fin").phase() == Phase.Active);
    await().atMost(DEADLINE).until(() -> daemonSet() != null);
    assertThat(get("fin").getMetadata().getFinalizers())
        .contains(dev.floatip.api.v1alpha1.ClusterContract.FINALIZER);

    client.resources(VirtualIP.class).withName("fin").delete();
    await().atMost(DEADLINE).until(() -> get("fin").getMetadata().getDeletionTimestamp() != null);
    report("fin", "node-a", "Stopped", null);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> get("fin") != null);
    report("fin", "node-b", "Stopped", null);
    await().atMost(DEADLINE).until(() -> get("fin") == null);
    assertThat(events("fin", "Released")).hasSize(1);
    // it was the last VirtualIP
    await().atMost(DEADLINE).until(() -> daemonSet() == null);
    assertThat(
            client.serviceAccounts().inNamespace(cfg.namespace()).withName(cfg.agentName()).get())
        .isNull();
    assertThat(client.rbac().clusterRoles().withName(cfg.agentName()).get()).isNull();
    assertThat(client.rbac().clusterRoleBindings().withName(cfg.agentName()).get()).isNull();

    // an agent that never answers: the finalizer goes after the timeout, with a Warning
    create("stuck", "{addresses: [192.0.2.41/24]}");
    awaitAgentRbac();
    report("stuck", "node-c", "Master", Instant.now());
    await().atMost(DEADLINE).until(() -> "node-c".equals(status("stuck").master()));
    Instant deleted = Instant.now();
    client.resources(VirtualIP.class).withName("stuck").delete();
    await().atMost(DEADLINE).until(() -> get("stuck") == null);
    assertThat(Duration.between(deleted, Instant.now()))
        .isGreaterThanOrEqualTo(cfg.finalizerTimeout().minusSeconds(1));
    assertThat(events("stuck", "ReleaseTimeout"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains("node-c");
            });
  }

  @Test
  void twentyConcurrentAgentWritersAndTheOperatorLoseNoUpdate() throws Exception {
    for (int i = 0; i < 20; i++) {
      node("node-" + i, Map.of(), "198.51.100." + (i + 1));
    }
    create("busy", "{addresses: [192.0.2.50/24]}");
    await().atMost(DEADLINE).until(() -> status("busy").phase() == Phase.Pending);
    int writers = 20;
    int writes = 30;
    Instant masterSince = Instant.now().minusSeconds(60);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      int node = i;
      done.add(
          pool.submit(
              () -> {
                try (KubernetesClient own = mock.newClient(Identity.AGENT)) {
                  for (int k = 0; k < writes; k++) {
                    boolean last = k == writes - 1;
                    String state = node == 0 ? "Master" : (k % 2 == 0 || last ? "Backup" : "Fault");
                    report(own, "busy", "node-" + node, state, k, node == 0 ? masterSince : null);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                "20/20".equals(status("busy").nodesReady())
                    && status("busy").phase() == Phase.Active);
    VirtualIPStatus s = status("busy");
    assertThat(s.master()).isEqualTo("node-0");
    assertThat(s.nodes()).hasSize(writers);
    for (Map.Entry<String, NodeStatus> e : s.nodes().entrySet()) {
      assertThat(e.getValue().priority()).as(e.getKey()).isEqualTo(writes - 1);
    }
    assertThat(s.conditions()).hasSize(6);
    assertThat(conditionIs("busy", "Degraded", "False")).isTrue();
    // 20 nodes match, 16 run it
    assertThat(s.candidates()).hasSize(OperatorConfig.DEFAULT_MAX_CANDIDATES);
    assertThat(conditionIs("busy", "CandidatesLimited", "True")).isTrue();
  }

  /** A second replica's reconciler; ignored by QOSDK, registered by hand. */
  @Ignore
  @ControllerConfiguration(name = "second-replica")
  static final class CountingReconciler implements Reconciler<VirtualIP> {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public UpdateControl<VirtualIP> reconcile(VirtualIP vip, Context<VirtualIP> ctx) {
      calls.incrementAndGet();
      return UpdateControl.noUpdate();
    }
  }

  private Operator replica(OperatorConfig config, String identity, Reconciler<VirtualIP> r) {
    Operator op =
        new Operator(
            o ->
                o.withKubernetesClient(mock.newClient(Identity.OPERATOR))
                    .withCloseClientOnStop(true)
                    .checkingCRDAndValidateLocalModel(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withLeaderElectionConfiguration(
                        LeaderElection.configuration(config, identity, false)));
    op.register(r);
    op.start();
    return op;
  }

  /** A Role and RoleBinding letting the operator's ServiceAccount use the Lease {@code name}. */
  private void grantLease(String name) {
    client
        .resource(
            new RoleBuilder()
                .withNewMetadata()
                .withName("lease-" + name)
                .withNamespace(cfg.namespace())
                .endMetadata()
                .addNewRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withResourceNames(name)
                .withVerbs("get", "update", "patch")
                .endRule()
                .build())
        .createOr(r -> r.update());
    client
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("lease-" + name)
                .withNamespace(cfg.namespace())
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "lease-" + name)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("floatip-operator")
                .withNamespace(cfg.namespace())
                .endSubject()
                .build())
        .createOr(r -> r.update());
  }

  @Test
  void aSecondReplicaDoesNotReconcileWhileTheLeaderHoldsTheLease() {
    // control: with a Lease of its own, the counting replica does reconcile
    CountingReconciler alone = new CountingReconciler();
    OperatorConfig otherLease =
        new OperatorConfig(
            cfg.namespace(),
            cfg.agentName(),
            cfg.image(),
            cfg.imagePullPolicy(),
            cfg.agentRequests(),
            cfg.agentLimits(),
            cfg.priorityClassName(),
            cfg.agentTolerations(),
            cfg.agentMetricsPort(),
            cfg.logFormat(),
            cfg.finalizerTimeout(),
            true,
            "another-lease",
            cfg.imagePullSecrets(),
            cfg.secretNamespaces(),
            null,
            OperatorConfig.DEFAULT_MAX_CANDIDATES,
            null,
            null);
    // the chart grants the operator its own Lease only: the control replica's Lease, as admin
    grantLease("another-lease");
    CountingReconciler counting = new CountingReconciler();
    Operator second = replica(cfg, "second-replica", counting);
    Operator control = replica(otherLease, "control-replica", alone);
    try {
      create("contended", "{addresses: [192.0.2.60/24]}");
      await().atMost(DEADLINE).until(() -> status("contended").phase() == Phase.Pending);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(4))
          .until(() -> counting.calls.get() == 0);
      Lease lease =
          client
              .resources(Lease.class)
              .inNamespace(cfg.namespace())
              .withName(cfg.leaseName())
              .get();
      assertThat(lease.getSpec().getHolderIdentity()).isNotEqualTo("second-replica");
      await().atMost(DEADLINE).until(() -> alone.calls.get() > 0);
    } finally {
      second.stop();
      control.stop();
    }
  }

  /**
   * Issue 13: the operator chooses the candidates (order first, then by name, with the Nodes'
   * InternalIPs), and past maxCandidates says so; a Node deleted reaches the VirtualIPs it
   * concerns.
   */
  @Test
  void candidatesAreWrittenAndLimited() {
    int max = OperatorConfig.DEFAULT_MAX_CANDIDATES;
    for (int i = 0; i <= max; i++) {
      node(String.format("lim-%02d", i), Map.of("pool", "lim"), "203.0.113." + (i + 1));
    }
    create(
        "limited",
        "{addresses: [192.0.2.80/24], nodeSelector: {matchLabels: {pool: lim}},"
            + " priority: {order: [lim-16]}}");
    await().atMost(DEADLINE).until(() -> conditionIs("limited", "CandidatesLimited", "True"));
    Condition limited = condition("limited", "CandidatesLimited");
    assertThat(limited.getReason()).isEqualTo("TooManyNodes");
    assertThat(limited.getMessage())
        .contains((max + 1) + " nodes match")
        .contains("limit of " + max)
        .contains("maxCandidates")
        .contains("spec.nodeSelector")
        .contains("spec.priority.order");
    List<Candidate> chosen = status("limited").candidates();
    assertThat(chosen).hasSize(max);
    assertThat(chosen.get(0)).isEqualTo(new Candidate("lim-16", List.of("203.0.113.17")));
    assertThat(chosen.get(1).name()).isEqualTo("lim-00");
    assertThat(chosen).extracting(Candidate::name).doesNotContain("lim-15");

    // one node fewer: every matching node runs it
    client.nodes().withName("lim-00").delete();
    await().atMost(DEADLINE).until(() -> conditionIs("limited", "CandidatesLimited", "False"));
    assertThat(candidates("limited")).hasSize(max).contains("lim-15").doesNotContain("lim-00");
  }

  /**
   * Issue 13: the entry of a deleted Node is removed by the operator (no agent is left to), and a
   * VirtualIP deleted after its node went does not wait for it: Released, not ReleaseTimeout.
   */
  @Test
  void entriesOfDeletedNodesAreRemovedAndNotWaitedFor() {
    nodes("keep-a", "gone-b", "gone-c");
    create("survivor", "{addresses: [192.0.2.90/24]}");
    create("leaving", "{addresses: [192.0.2.91/24]}");
    await().atMost(DEADLINE).until(() -> candidates("leaving") != null);
    awaitAgentRbac();
    report("survivor", "keep-a", "Master", Instant.now().minusSeconds(5));
    report("survivor", "gone-b", "Backup", null);
    report("leaving", "keep-a", "Master", Instant.now().minusSeconds(5));
    report("leaving", "gone-c", "Backup", null);
    await().atMost(DEADLINE).until(() -> "2/2".equals(status("survivor").nodesReady()));

    client.nodes().withName("gone-b").delete();
    await().atMost(DEADLINE).until(() -> !status("survivor").nodes().containsKey("gone-b"));
    assertThat(status("survivor").nodes()).containsOnlyKeys("keep-a");
    assertThat(status("survivor").nodesReady()).isEqualTo("1/1");
    assertThat(candidates("survivor")).doesNotContain("gone-b");

    // the node and the VirtualIP go together; the remaining agent releases
    client.nodes().withName("gone-c").delete();
    client.resources(VirtualIP.class).withName("leaving").delete();
    report("leaving", "keep-a", "Stopped", null);
    Instant released = Instant.now();
    await().atMost(DEADLINE).until(() -> get("leaving") == null);
    assertThat(Duration.between(released, Instant.now())).isLessThan(cfg.finalizerTimeout());
    await().atMost(DEADLINE).until(() -> events("leaving", "Released").size() == 1);
    assertThat(events("leaving", "ReleaseTimeout")).isEmpty();
  }

  /**
   * Issue 13: a burst of Nodes and VirtualIPs created at once costs a bounded number of plan
   * computations (not one per VirtualIP nor per Node), gives every VirtualIP a VRID and its node,
   * and a change no VirtualIP depends on then costs no write.
   */
  @Test
  void aBurstOfNodesAndVirtualIPsIsPlannedInBatches() throws Exception {
    // larger runs to measure (VRIDs are per segment: each VirtualIP runs on its own node here)
    int n = Integer.getInteger("floatip.test.burst", 100);
    long before = reconciler.planComputations();
    Instant started = Instant.now();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      done.add(
          pool.submit(
              () -> {
                node(
                    "burst-" + k,
                    Map.of("burst", "b" + k),
                    // one without an InternalIP: its candidate has no addresses, and reads back so
                    k == 0 ? null : "2001:db8:2::" + Integer.toHexString(k + 1));
                create(
                    "burst-" + k,
                    "{addresses: [\"2001:db8:1::"
                        + Integer.toHexString(k + 1)
                        + "/128\"],"
                        + " nodeSelector: {matchLabels: {burst: b"
                        + k
                        + "}}}");
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client.resources(VirtualIP.class).list().getItems().stream()
                        .filter(v -> v.getMetadata().getName().startsWith("burst-"))
                        .filter(v -> v.getStatus() != null && v.getStatus().candidates() != null)
                        .filter(v -> v.getStatus().virtualRouterId() != null)
                        .count()
                    == n);
    long computations = reconciler.planComputations() - before;
    List<VirtualIP> all = client.resources(VirtualIP.class).list().getItems();
    // each on its own node: nothing in the way of its preferred VRID
    assertThat(all)
        .allSatisfy(
            v ->
                assertThat(v.getStatus().virtualRouterId())
                    .isEqualTo(VridAllocator.preferred(v.getMetadata().getName())))
        .hasSize(n);
    for (VirtualIP v : all) {
      String name = v.getMetadata().getName();
      assertThat(v.getStatus().candidates())
          .as(name)
          .extracting(Candidate::name)
          .containsExactly(name);
    }
    assertThat(status("burst-0").candidates().get(0).addresses()).isNull();
    assertThat(status("burst-1").candidates().get(0).addresses()).containsExactly("2001:db8:2::2");
    // 200 creations and 100 status writes: far fewer plans than VirtualIPs
    assertThat(computations).as("plan computations").isLessThan(n);
    System.out.printf(
        "burst of %d Nodes and VirtualIPs: every VRID and candidate after %d ms, %d plans%n",
        n, Duration.between(started, Instant.now()).toMillis(), computations);

    // a Node change that no VirtualIP depends on: a new plan, no write
    Map<String, String> versions = new java.util.HashMap<>();
    all.forEach(v -> versions.put(v.getMetadata().getName(), v.getMetadata().getResourceVersion()));
    long plans = reconciler.planComputations();
    client
        .nodes()
        .withName("burst-0")
        .edit(
            nd -> {
              nd.getMetadata().getLabels().put("unrelated", "x");
              return nd;
            });
    await().atMost(DEADLINE).until(() -> reconciler.planComputations() > plans);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                client.resources(VirtualIP.class).list().getItems().stream()
                    .allMatch(
                        v ->
                            v.getMetadata()
                                .getResourceVersion()
                                .equals(versions.get(v.getMetadata().getName()))));
  }

  @Test
  void leaderElectionHoldsTheLease() {
    await()
        .atMost(DEADLINE)
        .until(
            () -> {
              Lease lease =
                  client
                      .resources(Lease.class)
                      .inNamespace(cfg.namespace())
                      .withName(cfg.leaseName())
                      .get();
              return lease != null && lease.getSpec().getHolderIdentity() != null;
            });
    // floatip.operator.* defaults, with the test profile's shorter finalizer timeout and the
    // chart's namespace (ApiServerTestResource)
    assertThat(cfg)
        .isEqualTo(
            OperatorConfig.defaults()
                .withNamespace(MockApiServer.NAMESPACE)
                .withFinalizerTimeout(Duration.ofSeconds(8)));
  }
}
