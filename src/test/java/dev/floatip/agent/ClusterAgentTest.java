package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.floatip.agent.cluster.ClusterAgent;
import dev.floatip.agent.cluster.MockCluster;
import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.IpLiteral;
import dev.floatip.dataplane.ReceivedPacket;
import dev.floatip.vrrp.Advertisement;
import dev.floatip.vrrp.Authentication;
import dev.floatip.vrrp.DecodeResult;
import dev.floatip.vrrp.VrrpCodec;
import dev.floatip.vrrp.VrrpVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent in cluster mode against the strict test API server, as the agents' ServiceAccount, with
 * an in-memory dataplane: what it runs, what it reports, and how it follows the API.
 */
class ClusterAgentTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final InetAddress VIP = ip("192.0.2.200");

  private MockCluster cluster;
  private FakeDataplane dataplane;
  private ClusterAgent agent;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster();
    cluster.node("n1", "192.0.2.11", Map.of("role", "edge"));
    cluster.node("n2", "192.0.2.12", Map.of("role", "edge"));
    cluster.node("n3", "192.0.2.13", Map.of("role", "other"));
    dataplane = new FakeDataplane();
  }

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close();
    }
    cluster.close();
  }

  private void startAgent() {
    agent =
        new ClusterAgent(
            cluster.newClient(), "n1", "floatip", dataplane, new MonotonicClock(), List.of());
    agent.start();
  }

  private void startAgent(Path hostRoot) {
    agent =
        new ClusterAgent(
            cluster.newClient(),
            "n1",
            "floatip",
            dataplane,
            new MonotonicClock(),
            List.of(),
            hostRoot);
    agent.start();
  }

  private static String vip(String extra) {
    return """
        apiVersion: floatip.dev/v1alpha1
        kind: VirtualIP
        metadata: {name: web}
        spec:
          addresses: [192.0.2.200/24]
          virtualRouterId: 51
          advertisementInterval: 100ms
          nodeSelector: {matchLabels: {role: edge}}
        """
        + extra;
  }

  /** Creates or updates the VirtualIP, then chooses its candidates as the operator would. */
  private void apply(String yaml) {
    VirtualIP v = cluster.apply(yaml);
    cluster.chooseCandidates(v.getMetadata().getName());
  }

  private NodeStatus awaitEntry(NodeState state) {
    await()
        .atMost(WAIT)
        .until(() -> cluster.entry("web", "n1").map(NodeStatus::state).orElse(null) == state);
    return cluster.entry("web", "n1").orElseThrow();
  }

  @Test
  void runsTheSelectedVirtualIPAndReportsItsEntry() {
    apply(vip("  priority: {default: 100, nodes: {n1: 120}}\n"));
    startAgent();

    NodeStatus master = awaitEntry(NodeState.Master);

    assertThat(dataplane.addresses).contains(VIP);
    assertThat(master.priority()).isEqualTo(120);
    assertThat(master.basePriority()).isEqualTo(120);
    assertThat(master.addresses()).containsExactly("192.0.2.11");
    assertThat(master.observedGeneration())
        .isEqualTo(cluster.get("web").getMetadata().getGeneration());
    assertThat(master.since()).isNotNull();
    assertThat(master.masterSince()).isEqualTo(master.since());
    assertThat(master.reason()).isEqualTo("MasterDown");
    // peers: the other selected node (n2) by its InternalIP; n3 is not selected
    await().atMost(WAIT).until(() -> destinations().contains(ip("192.0.2.12")));
    assertThat(destinations()).doesNotContain(ip("192.0.2.13"));
  }

  @Test
  void peersFollowTheAddressesOtherAgentsReportAndNodesJoiningLive() {
    apply(vip(""));
    startAgent();
    awaitEntry(NodeState.Master);
    await().atMost(WAIT).until(() -> destinations().contains(ip("192.0.2.12")));

    // n2's agent reports that it advertises from another address: that is the peer now
    cluster
        .client
        .resources(dev.floatip.api.v1alpha1.VirtualIP.class)
        .withName("web")
        .subresource("status")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"status\":{\"nodes\":{\"n2\":{\"state\":\"Backup\",\"addresses\":[\"192.0.2.22\"]}}}}");
    await().atMost(WAIT).until(() -> lastDestinations().equals(List.of(ip("192.0.2.22"))));

    // a node joining the selection becomes a peer once the operator lists it, without restarting
    cluster.node("n4", "192.0.2.14", Map.of("role", "edge"));
    cluster.chooseCandidates("web");
    await()
        .atMost(WAIT)
        .until(() -> lastDestinations().equals(List.of(ip("192.0.2.14"), ip("192.0.2.22"))));
    assertThat(cluster.entry("web", "n1").orElseThrow().state()).isEqualTo(NodeState.Master);
  }

  @Test
  void readyPodsOnThisNodeSetThePriorityFromThePodWatch() {
    apply(
        vip(
            "  track:\n    pods: [{namespace: shop, selector: {matchLabels: {app: web}}, minReady: 1,"
                + " weight: -50}]\n"));
    pod("web-1", "n1", true);
    pod("web-other-node", "n2", true);
    startAgent();

    await().atMost(WAIT).until(() -> entryPriority() == 100 && podCheckHealthy().orElse(false));

    // the only ready pod on this node stops being ready: −50, while n2's pod never counts
    cluster
        .client
        .pods()
        .inNamespace("shop")
        .withName("web-1")
        .editStatus(
            p -> {
              p.getStatus().getConditions().getFirst().setStatus("False");
              return p;
            });

    await().atMost(WAIT).until(() -> entryPriority() == 50);
    assertThat(podCheckHealthy()).contains(false);
    assertThat(cluster.entry("web", "n1").orElseThrow().checks().getFirst().message())
        .isEqualTo("0/1 ready (minReady 1)");
  }

  private void pod(String name, String node, boolean ready) {
    cluster.api.createNamespace("shop");
    cluster
        .client
        .resource(
            new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("shop")
                .withLabels(Map.of("app", "web"))
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .endStatus()
                .build())
        .create();
  }

  private int entryPriority() {
    return cluster.entry("web", "n1").map(NodeStatus::priority).orElse(-1);
  }

  private Optional<Boolean> podCheckHealthy() {
    return cluster
        .entry("web", "n1")
        .flatMap(e -> e.checks() == null ? Optional.empty() : e.checks().stream().findFirst())
        .map(c -> c.healthy());
  }

  @Test
  void waitsForTheOperatorsCandidatesAndStopsWhenNoLongerListed() {
    cluster.apply(vip(""));
    startAgent();
    apply(vip("").replace("name: web", "name: other").replace("51", "60"));
    await().atMost(WAIT).until(() -> cluster.entry("other", "n1").isPresent());
    assertThat(cluster.entry("web", "n1")).isEmpty();
    assertThat(dataplane.sent).allMatch(s -> vrid(s) == 60);

    cluster.candidates("web", "n1", "n2");
    awaitEntry(NodeState.Master);
    await().atMost(WAIT).until(() -> destinations().contains(ip("192.0.2.12")));

    // the operator moves it to n2 and n3: this node resigns and removes its entry
    cluster.candidates("web", "n2", "n3");
    await().atMost(WAIT).until(() -> cluster.entry("web", "n1").isEmpty());
    await().atMost(WAIT).until(() -> !dataplane.addresses.contains(VIP));
  }

  @Test
  void watchesOnlyItsOwnNode() throws InterruptedException {
    apply(vip(""));
    startAgent();
    awaitEntry(NodeState.Master);
    // another Node changes: the agent's node requests never covered it (fieldSelector)
    cluster
        .client
        .nodes()
        .withName("n2")
        .edit(
            n -> {
              n.getMetadata().getLabels().put("zone", "b");
              return n;
            });
    List<String> nodeRequests = new java.util.ArrayList<>();
    for (var r = cluster.api.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
        r != null;
        r = cluster.api.takeRequest(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      String path = r.getPath();
      if ("GET".equals(r.getMethod()) && path.startsWith("/api/v1/nodes?")) {
        nodeRequests.add(java.net.URLDecoder.decode(path, java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    // one list and at least one watch, all of n1 only
    assertThat(nodeRequests).hasSizeGreaterThanOrEqualTo(2);
    assertThat(nodeRequests).allMatch(p -> p.contains("fieldSelector=metadata.name=n1"));
    assertThat(nodeRequests).anyMatch(p -> p.contains("watch=true"));
  }

  @Test
  void aSteadyMasterWritesNothingMore() {
    apply(vip(""));
    startAgent();
    awaitEntry(NodeState.Master);
    await()
        .atMost(WAIT)
        .until(() -> cluster.entry("web", "n1").orElseThrow().masterSince() != null);

    String version = cluster.get("web").getMetadata().getResourceVersion();
    await()
        .during(Duration.ofMillis(1500))
        .atMost(WAIT)
        .until(() -> cluster.get("web").getMetadata().getResourceVersion().equals(version));
  }

  /** An advert of {@code vrid} from a router outside this cluster arrives on n1's socket. */
  private void hear(int vrid) {
    Advertisement adv =
        new Advertisement(
            VrrpVersion.V3,
            vrid,
            100,
            Duration.ofSeconds(1),
            List.of(ip("192.0.2.250")),
            Authentication.NONE);
    InetAddress from = ip("192.0.2.99");
    dataplane.inbound.add(
        new ReceivedPacket(
            from,
            FakeDataplane.PRIMARY,
            255,
            VrrpCodec.encode(adv, from, FakeDataplane.PRIMARY),
            FakeDataplane.IFACE));
  }

  private List<Integer> foreignVrids() {
    return cluster.entry("web", "n1").map(NodeStatus::foreignVrids).orElse(null);
  }

  @Test
  void foreignVridsGoIntoThisNodesEntriesOnlyWhenTheyChangeAndNeverOntoTheNode() {
    apply(vip(""));
    apply(
        vip("")
            .replace("name: web", "name: db")
            .replace("192.0.2.200", "192.0.2.201")
            .replace("51", "60")
            .replace("edge", "other"));
    startAgent();
    awaitEntry(NodeState.Master);
    assertThat(foreignVrids()).isNull();

    hear(77);
    hear(60); // another VirtualIP's (not run here): not foreign
    hear(9);
    await().atMost(WAIT).until(() -> List.of(9, 77).equals(foreignVrids()));

    // steady: the same set is not written again
    String version = cluster.get("web").getMetadata().getResourceVersion();
    hear(77);
    await()
        .during(Duration.ofMillis(2500))
        .atMost(WAIT)
        .until(() -> cluster.get("web").getMetadata().getResourceVersion().equals(version));
    // the agent writes no Node (it may not patch nodes any more)
    var annotations = cluster.client.nodes().withName("n1").get().getMetadata().getAnnotations();
    assertThat(annotations == null ? Map.of() : annotations)
        .doesNotContainKey("floatip.dev/foreign-vrids");
  }

  @Test
  void trackedFilesAreReadUnderTheHostsRoot(@TempDir Path host) throws IOException {
    Files.createDirectories(host.resolve("etc/keepalived"));
    Files.writeString(host.resolve("etc/keepalived/prio"), "7\n");
    apply(vip("  track:\n    files: [{path: /etc/keepalived/prio, weight: 2}]\n"));
    startAgent(host);

    NodeStatus entry = awaitEntry(NodeState.Master);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              NodeStatus e = cluster.entry("web", "n1").orElseThrow();
              return e.priority() == e.basePriority() + 14;
            });

    var check = cluster.entry("web", "n1").orElseThrow().checks().getFirst();
    assertThat(check.kind()).isEqualTo("file");
    assertThat(check.name()).isEqualTo("/etc/keepalived/prio"); // the path as written
    assertThat(check.healthy()).isTrue();
    assertThat(entry.state()).isEqualTo(NodeState.Master);
  }

  static Stream<Arguments> hostRoots() {
    return Stream.of(
        Arguments.of(Map.of(), "/"),
        Arguments.of(Map.of("FLOATIP_HOST_ROOT", ""), "/"),
        Arguments.of(Map.of("FLOATIP_HOST_ROOT", "/host"), "/host"),
        Arguments.of(Map.of("FLOATIP_HOST_ROOT", " /host "), "/host"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("hostRoots")
  void theHostRootComesFromTheEnvironment(Map<String, String> env, String expected) {
    assertThat(ClusterAgent.hostRoot(env)).isEqualTo(Path.of(expected));
  }

  @Test
  void aRelativeHostRootIsRefused() {
    assertThatThrownBy(() -> ClusterAgent.hostRoot(Map.of("FLOATIP_HOST_ROOT", "host")))
        .hasMessageContaining("FLOATIP_HOST_ROOT");
  }

  @Test
  void aVirtualIPThatCannotRunHereIsReportedAsFaultWithTheReason() {
    apply(vip("").replace("192.0.2.200/24", "203.0.113.200/24"));
    startAgent();

    NodeStatus entry = awaitEntry(NodeState.Fault);

    assertThat(entry.reason())
        .isEqualTo(
            "not run: no interface on this node has a subnet holding 203.0.113.200/24;"
                + " set spec.interface");
    assertThat(dataplane.sent).isEmpty();
  }

  @Test
  void aVirtualIPThatDoesNotSelectThisNodeIsNeitherRunNorReported() {
    apply(vip("").replace("role: edge", "role: other"));
    startAgent();
    apply(vip("").replace("name: web", "name: canary"));

    await().atMost(WAIT).until(() -> cluster.entry("canary", "n1").isPresent());
    assertThat(cluster.entry("web", "n1")).isEmpty();
    assertThat(dataplane.sent).allMatch(s -> vrid(s) == 51);
  }

  @Test
  void waitsForTheOperatorsVridAndStopsOnAConflict() {
    apply(vip("").replace("  virtualRouterId: 51\n", ""));
    startAgent();
    apply(vip("").replace("name: web", "name: other").replace("51", "60"));
    await().atMost(WAIT).until(() -> cluster.entry("other", "n1").isPresent());
    assertThat(cluster.entry("web", "n1")).isEmpty();

    cluster.operatorStatus("web", "{\"virtualRouterId\": 77}");
    awaitEntry(NodeState.Master);
    assertThat(dataplane.sent).anyMatch(s -> vrid(s) == 77);

    cluster.operatorStatus(
        "web",
        "{\"conditions\":[{\"type\":\"VRIDConflict\",\"status\":\"True\",\"reason\":\"InUse\","
            + "\"message\":\"m\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}");
    await().atMost(WAIT).until(() -> cluster.entry("web", "n1").isEmpty());
    await().atMost(WAIT).until(() -> !dataplane.addresses.contains(VIP));
  }

  @Test
  void aLiveOrderChangeMovesThePriorityWithoutRestartingTheRouter() {
    apply(vip("  priority: {default: 100, order: [n1, n2]}\n"));
    startAgent();
    NodeStatus first = awaitEntry(NodeState.Master);
    int before = first.priority();

    apply(vip("  priority: {default: 100, order: [n2, n1]}\n"));

    await()
        .atMost(WAIT)
        .until(() -> cluster.entry("web", "n1").orElseThrow().basePriority() < before);
    NodeStatus after = cluster.entry("web", "n1").orElseThrow();
    assertThat(after.state()).isEqualTo(NodeState.Master);
    assertThat(after.since()).isEqualTo(first.since()); // same router, never restarted
    assertThat(after.observedGeneration()).isGreaterThan(first.observedGeneration());
    await().atMost(WAIT).until(() -> lastPriority() == after.priority());
  }

  @Test
  void cordoningTheNodeResignsTheMasterWithPriorityZeroAndHoldsItInBackupUntilUncordoned() {
    apply(vip(""));
    startAgent();
    awaitEntry(NodeState.Master);

    editNode(n -> n.getSpec().setUnschedulable(true));

    NodeStatus held = awaitEntry(NodeState.Backup);
    assertThat(held.reason()).isEqualTo("Maintenance");
    assertThat(dataplane.sentWithPriority(0)).isNotEmpty();
    assertThat(dataplane.addresses).doesNotContain(VIP);

    editNode(n -> n.getSpec().setUnschedulable(false));
    awaitEntry(NodeState.Master);
    assertThat(dataplane.addresses).contains(VIP);
  }

  @Test
  void theMaintenanceLabelHoldsEveryVirtualIPInBackupLikeACordon() {
    apply(vip(""));
    apply(vip("").replace("name: web", "name: api").replace("51", "52"));
    editNode(n -> n.getMetadata().getLabels().put("floatip.dev/maintenance", "true"));
    startAgent();

    awaitEntry(NodeState.Backup);
    await()
        .atMost(WAIT)
        .until(
            () ->
                cluster.entry("api", "n1").map(NodeStatus::state).orElse(null) == NodeState.Backup);
    // held: no master after several Master_Down_Intervals (3 × 100 ms + skew)
    await()
        .during(Duration.ofMillis(800))
        .atMost(WAIT)
        .until(() -> dataplane.addresses.isEmpty() && dataplane.sent.isEmpty());

    editNode(n -> n.getMetadata().getLabels().remove("floatip.dev/maintenance"));
    awaitEntry(NodeState.Master);
  }

  @Test
  void deletionReleasesTheAddressAndThenReportsStopped() {
    apply(
        vip("")
            .replace(
                "metadata: {name: web}",
                "metadata: {name: web, finalizers: [floatip.dev/release]}"));
    startAgent();
    awaitEntry(NodeState.Master);

    cluster.client.resources(dev.floatip.api.v1alpha1.VirtualIP.class).withName("web").delete();

    NodeStatus stopped = awaitEntry(NodeState.Stopped);
    assertThat(dataplane.addresses).doesNotContain(VIP);
    assertThat(stopped.reason()).contains("released");
    assertThat(dataplane.sentWithPriority(0)).isNotEmpty(); // it resigned first
  }

  @Test
  void aFailingApiDelaysStatusButNeverTheRoutersAndStatusCatchesUp() {
    // every status write fails for a while (an API outage for the agent)
    cluster.api.failNext("PATCH", "/apis/floatip.dev/v1alpha1/virtualips/web/status", 503, 2);
    apply(vip(""));
    startAgent();

    await().atMost(WAIT).until(() -> dataplane.addresses.contains(VIP));
    awaitEntry(NodeState.Master);
  }

  @Test
  void anAgentWithoutItsApiKeepsRunning() {
    apply(vip(""));
    startAgent();
    awaitEntry(NodeState.Master);

    cluster.api.close();
    int sentBefore = dataplane.sent.size();

    await().atMost(WAIT).until(() -> dataplane.sent.size() > sentBefore + 10);
    assertThat(dataplane.addresses).contains(VIP);
  }

  private void editNode(java.util.function.Consumer<io.fabric8.kubernetes.api.model.Node> change) {
    cluster
        .client
        .nodes()
        .withName("n1")
        .edit(
            n -> {
              change.accept(n);
              return n;
            });
  }

  private List<InetAddress> destinations() {
    return dataplane.sent.stream().map(FakeDataplane.Sent::destination).distinct().toList();
  }

  /** Where the last round of adverts went (one advert per peer, in peer order). */
  private List<InetAddress> lastDestinations() {
    List<FakeDataplane.Sent> sent = List.copyOf(dataplane.sent);
    if (sent.isEmpty()) {
      return List.of();
    }
    // the adverts of one round share their priority and leave together; look at the tail
    List<InetAddress> tail =
        sent.subList(Math.max(0, sent.size() - 6), sent.size()).stream()
            .map(FakeDataplane.Sent::destination)
            .distinct()
            .sorted(dev.floatip.vrrp.Addresses.ORDER)
            .toList();
    return tail;
  }

  private int lastPriority() {
    return Optional.ofNullable(dataplane.sent.isEmpty() ? null : dataplane.sent.getLast())
        .map(s -> ((DecodeResult.Decoded) s.decoded()).advertisement().priority())
        .orElse(-1);
  }

  private static int vrid(FakeDataplane.Sent s) {
    return ((DecodeResult.Decoded) s.decoded()).advertisement().vrid();
  }

  private static InetAddress ip(String s) {
    return IpLiteral.parse(s).orElseThrow();
  }
}
