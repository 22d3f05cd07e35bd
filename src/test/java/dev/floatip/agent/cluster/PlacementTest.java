package dev.floatip.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.floatip.agent.cluster.Placement.Decision;
import dev.floatip.agent.cluster.Placement.Release;
import dev.floatip.agent.cluster.Placement.Run;
import dev.floatip.agent.cluster.Placement.Skip;
import dev.floatip.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlacementTest {

  private static final ObjectMapper YAML = new YAMLMapper();

  /** A valid spec with an explicit VRID; variations override it. */
  private static final String SPEC = "spec: {addresses: [192.0.2.100/24], virtualRouterId: 51}";

  private static VirtualIP vip(String yaml) {
    try {
      return YAML.readValue(
          "apiVersion: floatip.dev/v1alpha1\nkind: VirtualIP\nmetadata: {name: web}\n" + yaml,
          VirtualIP.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static VirtualIP vip(String metadataExtras, String body) {
    try {
      return YAML.readValue(
          "apiVersion: floatip.dev/v1alpha1\nkind: VirtualIP\nmetadata: {name: web, "
              + metadataExtras
              + "}\n"
              + body,
          VirtualIP.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Node node(String name, Map<String, String> labels, String... internalIps) {
    List<NodeAddress> addresses = new ArrayList<>();
    addresses.add(new NodeAddress(name, "Hostname"));
    addresses.add(new NodeAddress("203.0.113.1", "ExternalIP"));
    for (String ip : internalIps) {
      addresses.add(new NodeAddress(ip, "InternalIP"));
    }
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .withNewStatus()
        .withAddresses(addresses)
        .endStatus()
        .build();
  }

  private static Node node(String name, String... internalIps) {
    return node(name, Map.of(), internalIps);
  }

  private static Node tainted(String name, String key, String effect) {
    Node n = node(name, "10.0.0.9");
    n.getSpec().setTaints(List.of(new Taint(effect, key, null, "x")));
    return n;
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // literals only: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static List<InetAddress> ips(String... literals) {
    return Stream.of(literals).map(PlacementTest::ip).toList();
  }

  private static final Node SELF = node("n1", Map.of("role", "lb"), "10.0.0.1");

  private static Decision decide(VirtualIP vip, Node... others) {
    List<Node> nodes = new ArrayList<>(List.of(SELF));
    nodes.addAll(List.of(others));
    return Placement.decide(vip, SELF, nodes);
  }

  // --- Release / Skip ---------------------------------------------------------------------

  @Test
  void aVirtualIpBeingDeletedIsReleasedEvenWhenItsSpecIsInvalid() {
    VirtualIP deleting =
        vip("deletionTimestamp: '2026-01-01T00:00:00Z'", "spec: {addresses: [not-an-ip]}");

    assertThat(Placement.decide(deleting, null, List.of())).isEqualTo(new Release(deleting));
  }

  @Test
  void anInvalidSpecIsSkippedNamingTheProblem() {
    VirtualIP v = vip("spec: {addresses: ['2001:db8::1/64'], virtualRouterId: 51, version: 2}");

    assertThat(decide(v))
        .isInstanceOfSatisfying(
            Skip.class,
            s ->
                assertThat(s.reason())
                    .startsWith("invalid spec: ")
                    .contains("spec.addresses[0]")
                    .contains("IPv6 needs version 3"));
  }

  @Test
  void aVirtualIpWithoutSpecIsSkipped() {
    assertThat(decide(vip("")))
        .isInstanceOfSatisfying(Skip.class, s -> assertThat(s.reason()).isEqualTo("no spec"));
  }

  @Test
  void nothingRunsWhileThisNodesNodeObjectIsUnknown() {
    VirtualIP v = vip(SPEC);

    assertThat(Placement.decide(v, null, List.of(node("n2", "10.0.0.2"))))
        .isInstanceOfSatisfying(
            Skip.class, s -> assertThat(s.reason()).contains("Node object is not known"));
  }

  static Stream<Arguments> admission() {
    return Stream.of(
        Arguments.of("no nodeSelector selects every node", "", true),
        Arguments.of("matching matchLabels", ", nodeSelector: {matchLabels: {role: lb}}", true),
        Arguments.of(
            "matchLabels with another value", ", nodeSelector: {matchLabels: {role: db}}", false),
        Arguments.of(
            "matchExpressions NotIn this node's value",
            ", nodeSelector: {matchExpressions: [{key: role, operator: NotIn, values: [lb]}]}",
            false));
  }

  @ParameterizedTest(name = "{0}: runs={2}")
  @MethodSource("admission")
  void theNodeSelectorDecidesWhetherThisNodeRunsIt(String why, String selector, boolean runs) {
    VirtualIP v = vip("spec: {addresses: [192.0.2.100/24], virtualRouterId: 51" + selector + "}");

    Decision d = decide(v);

    assertThat(d).isInstanceOf(runs ? Run.class : Skip.class);
    if (!runs) {
      assertThat(((Skip) d).reason()).contains("nodeSelector or tolerations");
    }
  }

  static Stream<Arguments> taints() {
    return Stream.of(
        Arguments.of("NoSchedule untolerated", "dedicated", "NoSchedule", "", false),
        Arguments.of("NoExecute untolerated", "dedicated", "NoExecute", "", false),
        Arguments.of(
            "NoSchedule tolerated",
            "dedicated",
            "NoSchedule",
            ", tolerations: [{key: dedicated, operator: Exists}]",
            true),
        Arguments.of(
            "the cordon taint (maintenance, not a stop)",
            "node.kubernetes.io/unschedulable",
            "NoSchedule",
            "",
            true),
        Arguments.of("PreferNoSchedule", "dedicated", "PreferNoSchedule", "", true),
        Arguments.of(
            "out-of-service (an admin's, for a shut-down node)",
            "node.kubernetes.io/out-of-service",
            "NoExecute",
            "",
            false));
  }

  /** Taints the kubelet and the node lifecycle controller set from node conditions. */
  static Stream<Arguments> conditionTaints() {
    return Stream.of(
        Arguments.of("node.kubernetes.io/not-ready", "NoSchedule"),
        Arguments.of("node.kubernetes.io/not-ready", "NoExecute"),
        Arguments.of("node.kubernetes.io/unreachable", "NoSchedule"),
        Arguments.of("node.kubernetes.io/unreachable", "NoExecute"),
        Arguments.of("node.kubernetes.io/memory-pressure", "NoSchedule"),
        Arguments.of("node.kubernetes.io/disk-pressure", "NoSchedule"),
        Arguments.of("node.kubernetes.io/pid-pressure", "NoSchedule"),
        Arguments.of("node.kubernetes.io/network-unavailable", "NoSchedule"),
        Arguments.of("node.kubernetes.io/unschedulable", "NoSchedule"));
  }

  @ParameterizedTest(name = "{0}:{1} on this node: it still runs")
  @MethodSource("conditionTaints")
  void aConditionTaintOnThisNodeNeverStopsIt(String key, String effect) {
    Node self = tainted("n1", key, effect);

    assertThat(Placement.decide(vip(SPEC), self, List.of(self))).isInstanceOf(Run.class);
  }

  @ParameterizedTest(name = "{0}:{1} on a peer: it stays a peer")
  @MethodSource("conditionTaints")
  void aConditionTaintOnAPeerKeepsItAPeer(String key, String effect) {
    assertThat(peers(vip(SPEC), tainted("n9", key, effect), node("n2", "10.0.0.2")))
        .containsExactlyElementsOf(ips("10.0.0.2", "10.0.0.9"));
  }

  @ParameterizedTest(name = "{0}: runs={4}")
  @MethodSource("taints")
  void taintsOfThisNodeKeepItOffUnlessToleratedOrIgnored(
      String why, String key, String effect, String tolerations, boolean runs) {
    Node self = tainted("n1", key, effect);
    VirtualIP v =
        vip("spec: {addresses: [192.0.2.100/24], virtualRouterId: 51" + tolerations + "}");

    assertThat(Placement.decide(v, self, List.of(self)))
        .isInstanceOf(runs ? Run.class : Skip.class);
  }

  @ParameterizedTest(name = "{0} True skips")
  @MethodSource("blockingConditions")
  void aBlockingConditionTrueSkips(String type) {
    VirtualIP v =
        vip(
            SPEC
                + "\nstatus: {conditions: [{type: Ready, status: 'False'}, {type: "
                + type
                + ", status: 'True'}]}");

    assertThat(decide(v))
        .isInstanceOfSatisfying(
            Skip.class, s -> assertThat(s.reason()).isEqualTo(type + " is True"));
  }

  static Stream<String> blockingConditions() {
    return Stream.of("InvalidSpec", "VRIDConflict");
  }

  @ParameterizedTest(name = "{0} False runs")
  @MethodSource("blockingConditions")
  void aBlockingConditionFalseDoesNotSkip(String type) {
    VirtualIP v = vip(SPEC + "\nstatus: {conditions: [{type: " + type + ", status: 'False'}]}");

    assertThat(decide(v)).isInstanceOf(Run.class);
  }

  @Test
  void withoutAVridInSpecOrStatusItWaitsForTheOperator() {
    VirtualIP v = vip("spec: {addresses: [192.0.2.100/24]}\nstatus: {master: n2}");

    assertThat(decide(v))
        .isInstanceOfSatisfying(
            Skip.class, s -> assertThat(s.reason()).contains("allocate a virtualRouterId"));
  }

  @Test
  void theVridAllocatedInStatusIsEnoughToRun() {
    VirtualIP v = vip("spec: {addresses: [192.0.2.100/24]}\nstatus: {virtualRouterId: 7}");

    assertThat(decide(v)).isInstanceOf(Run.class);
  }

  // --- peers ------------------------------------------------------------------------------

  private static List<InetAddress> peers(VirtualIP vip, Node... others) {
    Decision d = decide(vip, others);
    assertThat(d).isInstanceOf(Run.class);
    return ((Run) d).peers();
  }

  @Test
  void peersAreTheOtherSelectedNodesInternalIps() {
    VirtualIP v =
        vip(
            "spec: {addresses: [192.0.2.100/24], virtualRouterId: 51,"
                + " nodeSelector: {matchLabels: {role: lb}}}");

    List<InetAddress> peers =
        peers(
            v,
            node("n3", Map.of("role", "lb"), "10.0.0.3"),
            node("n2", Map.of("role", "lb"), "10.0.0.2"),
            node("db", Map.of("role", "db"), "10.0.0.50"));

    assertThat(peers).containsExactlyElementsOf(ips("10.0.0.2", "10.0.0.3"));
  }

  @Test
  void aTaintedNodeIsNoPeer() {
    assertThat(peers(vip(SPEC), tainted("n9", "dedicated", "NoSchedule"), node("n2", "10.0.0.2")))
        .containsExactlyElementsOf(ips("10.0.0.2"));
  }

  @Test
  void aLoneNodeRunsWithoutPeers() {
    assertThat(peers(vip(SPEC))).isEmpty();
  }

  @Test
  void theAddressesAPeerReportsInStatusWinOverItsInternalIp() {
    VirtualIP v =
        vip(
            SPEC
                + "\nstatus: {nodes: {n2: {state: Backup, addresses: [192.168.1.2, '2001:db8::2']}}}");

    assertThat(peers(v, node("n2", "10.0.0.2")))
        .containsExactlyInAnyOrderElementsOf(ips("192.168.1.2", "2001:db8::2"));
  }

  @Test
  void aPeerReportedStoppedFallsBackToItsInternalIp() {
    VirtualIP v = vip(SPEC + "\nstatus: {nodes: {n2: {state: Stopped, addresses: [192.168.1.2]}}}");

    assertThat(peers(v, node("n2", "10.0.0.2"))).containsExactlyElementsOf(ips("10.0.0.2"));
  }

  @Test
  void aPeerReportingNoAddressesFallsBackToItsInternalIp() {
    VirtualIP v = vip(SPEC + "\nstatus: {nodes: {n2: {state: Initialize}}}");

    assertThat(peers(v, node("n2", "10.0.0.2"))).containsExactlyElementsOf(ips("10.0.0.2"));
  }

  @Test
  void thisNodesOwnReportIsNeverAPeer() {
    VirtualIP v = vip(SPEC + "\nstatus: {nodes: {n1: {state: Master, addresses: [10.0.0.1]}}}");

    assertThat(peers(v, node("n2", "10.0.0.2"))).containsExactlyElementsOf(ips("10.0.0.2"));
  }

  @Test
  void dualStackInternalIpsAreBothPeersSortedAndDistinct() {
    VirtualIP v = vip(SPEC + "\nstatus: {nodes: {n4: {state: Backup, addresses: [10.0.0.2]}}}");

    List<InetAddress> peers =
        peers(
            v,
            node("n3", "fd00::3", "10.0.0.3"),
            node("n2", "10.0.0.2", "fd00::2"),
            node("n4", "10.0.0.4"));

    assertThat(peers).containsExactlyElementsOf(ips("10.0.0.2", "10.0.0.3", "fd00::2", "fd00::3"));
  }

  // --- maintenance ------------------------------------------------------------------------

  static Stream<Arguments> maintenance() {
    Node cordoned = node("n1");
    cordoned.getSpec().setUnschedulable(true);
    Node uncordoned = node("n1");
    uncordoned.getSpec().setUnschedulable(false);
    Node noSpec = node("n1");
    noSpec.setSpec(null);
    Node noLabels = node("n1");
    noLabels.getMetadata().setLabels(null);
    return Stream.of(
        Arguments.of("cordoned", cordoned, true),
        Arguments.of(
            "labelled floatip.dev/maintenance=true",
            node("n1", Map.of("floatip.dev/maintenance", "true")),
            true),
        Arguments.of(
            "labelled floatip.dev/maintenance=false",
            node("n1", Map.of("floatip.dev/maintenance", "false")),
            false),
        Arguments.of("unschedulable false", uncordoned, false),
        Arguments.of("a plain node", node("n1"), false),
        Arguments.of("no spec", noSpec, false),
        Arguments.of("no labels", noLabels, false),
        Arguments.of("unknown (null)", null, false));
  }

  @ParameterizedTest(name = "{0}: maintenance={2}")
  @MethodSource("maintenance")
  void maintenanceIsCordonOrTheLabel(String why, Node node, boolean expected) {
    assertThat(Placement.maintenance(node)).isEqualTo(expected);
  }
}
