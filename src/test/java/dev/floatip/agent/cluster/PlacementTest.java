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

  /** SPEC with the given status fields (YAML flow mapping entries). */
  private static VirtualIP withStatus(String statusFields) {
    return vip(SPEC + "\nstatus: {" + statusFields + "}");
  }

  /** The operator's candidates: this node first, then n2 and n3 with their InternalIPs. */
  private static final String CANDIDATES =
      "candidates: [{name: n1, addresses: [10.0.0.1]}, {name: n2, addresses: [10.0.0.2]},"
          + " {name: n3, addresses: [10.0.0.3]}]";

  private static Decision decide(VirtualIP vip) {
    return Placement.decide(vip, SELF);
  }

  // --- Release / Skip ---------------------------------------------------------------------

  @Test
  void aVirtualIpBeingDeletedIsReleasedEvenWhenItsSpecIsInvalid() {
    VirtualIP deleting =
        vip("deletionTimestamp: '2026-01-01T00:00:00Z'", "spec: {addresses: [not-an-ip]}");

    assertThat(Placement.decide(deleting, null)).isEqualTo(new Release(deleting));
  }

  @Test
  void anInvalidSpecIsSkippedNamingTheProblem() {
    VirtualIP v =
        vip(
            "spec: {addresses: ['2001:db8::1/64'], virtualRouterId: 51, version: 2}\nstatus: {"
                + CANDIDATES
                + "}");

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
    assertThat(Placement.decide(withStatus(CANDIDATES), null))
        .isInstanceOfSatisfying(
            Skip.class, s -> assertThat(s.reason()).contains("Node object is not known"));
  }

  // --- candidates -------------------------------------------------------------------------

  @Test
  void withoutCandidatesItWaitsForTheOperator() {
    assertThat(decide(vip(SPEC)))
        .isInstanceOfSatisfying(
            Skip.class,
            s -> assertThat(s.reason()).isEqualTo("waiting for the operator to choose candidates"));
    assertThat(decide(withStatus("virtualRouterId: 51, master: n2")))
        .isInstanceOfSatisfying(
            Skip.class, s -> assertThat(s.reason()).isEqualTo(Placement.WAITING_FOR_CANDIDATES));
  }

  static Stream<Arguments> notListed() {
    return Stream.of(
        Arguments.of("no candidate at all (nothing selected)", "candidates: []"),
        Arguments.of(
            "other nodes only",
            "candidates: [{name: n2, addresses: [10.0.0.2]}, {name: n3, addresses: [10.0.0.3]}]"),
        Arguments.of(
            "this node reports an entry but is no candidate any more",
            "candidates: [{name: n2}], nodes: {n1: {state: Master, addresses: [10.0.0.1]}}"));
  }

  @ParameterizedTest(name = "{0}: skipped")
  @MethodSource("notListed")
  void aNodeTheOperatorDidNotListDoesNotRunIt(String why, String status) {
    assertThat(decide(withStatus(status)))
        .isInstanceOfSatisfying(
            Skip.class,
            s -> assertThat(s.reason()).contains("did not choose this node as a candidate"));
  }

  @Test
  void theNodeSelectorIsTheOperatorsBusinessTheCandidatesDecide() {
    // the selector does not match this node's labels (role: lb), but the operator listed it: the
    // operator's choice stands until it writes new candidates
    VirtualIP v =
        vip(
            "spec: {addresses: [192.0.2.100/24], virtualRouterId: 51,"
                + " nodeSelector: {matchLabels: {role: db}}}\nstatus: {"
                + CANDIDATES
                + "}");

    assertThat(decide(v)).isInstanceOf(Run.class);
  }

  @ParameterizedTest(name = "{0} True skips")
  @MethodSource("blockingConditions")
  void aBlockingConditionTrueSkips(String type) {
    VirtualIP v =
        withStatus(
            CANDIDATES
                + ", conditions: [{type: Ready, status: 'False'}, {type: "
                + type
                + ", status: 'True'}]");

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
    VirtualIP v = withStatus(CANDIDATES + ", conditions: [{type: " + type + ", status: 'False'}]");

    assertThat(decide(v)).isInstanceOf(Run.class);
  }

  @Test
  void withoutAVridInSpecOrStatusItWaitsForTheOperator() {
    VirtualIP v =
        vip("spec: {addresses: [192.0.2.100/24]}\nstatus: {master: n2, " + CANDIDATES + "}");

    assertThat(decide(v))
        .isInstanceOfSatisfying(
            Skip.class, s -> assertThat(s.reason()).contains("allocate a virtualRouterId"));
  }

  @Test
  void theVridAllocatedInStatusIsEnoughToRun() {
    VirtualIP v =
        vip(
            "spec: {addresses: [192.0.2.100/24]}\nstatus: {virtualRouterId: 7, "
                + CANDIDATES
                + "}");

    assertThat(decide(v)).isInstanceOf(Run.class);
  }

  // --- peers ------------------------------------------------------------------------------

  private static List<InetAddress> peers(VirtualIP vip) {
    Decision d = decide(vip);
    assertThat(d).isInstanceOf(Run.class);
    return ((Run) d).peers();
  }

  @Test
  void peersAreTheOtherCandidatesAtTheAddressesTheOperatorWrote() {
    assertThat(peers(withStatus(CANDIDATES)))
        .containsExactlyElementsOf(ips("10.0.0.2", "10.0.0.3"));
  }

  @Test
  void aNodeThatReportsButIsNoCandidateIsNoPeer() {
    // n9 ran it before the operator narrowed the candidates; its entry stays until it removes it
    VirtualIP v = withStatus(CANDIDATES + ", nodes: {n9: {state: Backup, addresses: [10.0.0.9]}}");

    assertThat(peers(v)).containsExactlyElementsOf(ips("10.0.0.2", "10.0.0.3"));
  }

  @Test
  void aLoneCandidateRunsWithoutPeers() {
    assertThat(peers(withStatus("candidates: [{name: n1, addresses: [10.0.0.1]}]"))).isEmpty();
  }

  @Test
  void theAddressesAPeerReportsInStatusWinOverTheCandidatesAddresses() {
    VirtualIP v =
        withStatus(
            CANDIDATES + ", nodes: {n2: {state: Backup, addresses: [192.168.1.2, '2001:db8::2']}}");

    assertThat(peers(v))
        .containsExactlyInAnyOrderElementsOf(ips("192.168.1.2", "2001:db8::2", "10.0.0.3"));
  }

  @Test
  void aPeerReportedStoppedFallsBackToTheCandidatesAddresses() {
    VirtualIP v =
        withStatus(CANDIDATES + ", nodes: {n2: {state: Stopped, addresses: [192.168.1.2]}}");

    assertThat(peers(v)).containsExactlyElementsOf(ips("10.0.0.2", "10.0.0.3"));
  }

  @Test
  void aPeerReportingNoAddressesFallsBackToTheCandidatesAddresses() {
    VirtualIP v = withStatus(CANDIDATES + ", nodes: {n2: {state: Initialize}}");

    assertThat(peers(v)).containsExactlyElementsOf(ips("10.0.0.2", "10.0.0.3"));
  }

  @Test
  void aCandidateWithoutAddressesOrReportIsNoPeerYet() {
    VirtualIP v = withStatus("candidates: [{name: n1, addresses: [10.0.0.1]}, {name: n2}]");

    assertThat(peers(v)).isEmpty();
  }

  @Test
  void thisNodesOwnReportIsNeverAPeer() {
    VirtualIP v = withStatus(CANDIDATES + ", nodes: {n1: {state: Master, addresses: [10.0.0.1]}}");

    assertThat(peers(v)).containsExactlyElementsOf(ips("10.0.0.2", "10.0.0.3"));
  }

  @Test
  void dualStackAddressesAreAllPeersSortedAndDistinct() {
    VirtualIP v =
        withStatus(
            "candidates: [{name: n3, addresses: ['fd00::3', 10.0.0.3]}, {name: n1, addresses:"
                + " [10.0.0.1]}, {name: n2, addresses: [10.0.0.2, 'fd00::2']}, {name: n4,"
                + " addresses: [10.0.0.4]}], nodes: {n4: {state: Backup, addresses: [10.0.0.2]}}");

    assertThat(peers(v))
        .containsExactlyElementsOf(ips("10.0.0.2", "10.0.0.3", "fd00::2", "fd00::3"));
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
