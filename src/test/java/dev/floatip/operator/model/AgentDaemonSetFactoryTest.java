package dev.floatip.operator.model;

import static dev.floatip.operator.model.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgentDaemonSetFactoryTest {

  private static final OperatorConfig CFG = OperatorConfig.defaults();

  private static final VirtualIP PLAIN = vip("plain", "{addresses: [192.0.2.10/24]}");

  private static PodSpec pod(VirtualIP... vips) {
    return AgentDaemonSetFactory.build(CFG, List.of(vips)).getSpec().getTemplate().getSpec();
  }

  private static Container agent(VirtualIP... vips) {
    return pod(vips).getContainers().get(0);
  }

  @Test
  void baseShape() {
    DaemonSet ds = AgentDaemonSetFactory.build(CFG, List.of(PLAIN));
    assertThat(ds.getMetadata().getName()).isEqualTo("floatip-agent");
    assertThat(ds.getMetadata().getNamespace()).isEqualTo("floatip-system");
    assertThat(ds.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "floatip")
        .containsEntry("app.kubernetes.io/component", "agent");
    assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(ds.getSpec().getSelector().getMatchLabels());
    assertThat(ds.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isEqualTo(1);

    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(pod.getHostPID()).isFalse();
    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod.getServiceAccountName()).isEqualTo("floatip-agent");
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(pod.getAffinity()).isNull();
    assertThat(pod.getTolerations()).isEmpty();

    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo(OperatorConfig.DEFAULT_IMAGE);
    assertThat(c.getArgs())
        .containsExactly("agent", "--node-name=$(NODE_NAME)", "--metrics-address=$(POD_IP):9654");
    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .containsExactly("NET_ADMIN", "NET_RAW");
    EnvVar node =
        c.getEnv().stream().filter(e -> e.getName().equals("NODE_NAME")).findFirst().orElseThrow();
    assertThat(node.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(c.getResources().getRequests())
        .containsEntry("cpu", new Quantity("50m"))
        .containsEntry("memory", new Quantity("96Mi"));
    assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("192Mi"));
    // only the writable /tmp: no hostPath while nothing tracks files
    assertThat(pod.getVolumes()).extracting(v -> v.getHostPath()).containsOnlyNulls();
  }

  static Stream<Arguments> privileges() {
    return Stream.of(
        // spec, hostPID, extra capabilities
        Arguments.of("{addresses: [192.0.2.1]}", false, List.of()),
        Arguments.of(
            "{addresses: [192.0.2.1], track: {processes: [{name: named}]}}", true, List.of()),
        Arguments.of(
            "{addresses: [192.0.2.1], track: {scripts: [{name: s, command: [true]}]}}",
            false,
            List.of("SETGID", "SETUID")),
        Arguments.of(
            "{addresses: [192.0.2.1], track: {scripts: [{name: s, command: [true], user: www}]}}",
            false,
            List.of("SETGID", "SETUID")),
        Arguments.of(
            "{addresses: [192.0.2.1], track: {scripts: [{name: s, command: [true], user: root}]}}",
            false,
            List.of()),
        Arguments.of(
            "{addresses: [192.0.2.1], track: {scripts: [{name: s, command: [true], user: '0:0'}]}}",
            false,
            List.of()));
  }

  @ParameterizedTest
  @MethodSource
  void privileges(String spec, boolean hostPid, List<String> extraCaps) {
    VirtualIP v = vip("v", spec);
    assertThat(pod(PLAIN, v).getHostPID()).isEqualTo(hostPid);
    List<String> caps = new ArrayList<>(List.of("NET_ADMIN", "NET_RAW"));
    caps.addAll(extraCaps);
    assertThat(agent(PLAIN, v).getSecurityContext().getCapabilities().getAdd())
        .containsExactlyElementsOf(caps);
    assertThat(agent(PLAIN, v).getSecurityContext().getPrivileged()).isFalse();
  }

  /**
   * Issue 11, defect 4: two files in /tmp used to mount the host's /tmp at /tmp, twice and over the
   * agent's own emptyDir (a duplicate mountPath, refused by the API server), and /etc/flags hid the
   * image's /etc/flags. Now: the host's root once, read-only, under /host.
   */
  @Test
  void trackedFilesAreReadUnderOneReadOnlyHostRoot() {
    VirtualIP a =
        vip(
            "a",
            "{addresses: [192.0.2.1], track: {files: [{path: /tmp/vrrp-a}, {path: /tmp/vrrp-b}]}}");
    VirtualIP b = vip("b", "{addresses: [192.0.2.2], track: {files: [{path: /etc/flags/two}]}}");
    PodSpec pod = pod(a, b);
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getHostPath() != null)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getHostPath().getPath()).isEqualTo("/");
              assertThat(v.getHostPath().getType()).isEqualTo("Directory");
            });
    assertThat(pod.getVolumes()).extracting(Volume::getName).doesNotHaveDuplicates();
    Container agent = pod.getContainers().get(0);
    assertThat(agent.getVolumeMounts()).extracting(VolumeMount::getName).doesNotHaveDuplicates();
    assertThat(agent.getVolumeMounts())
        .extracting(VolumeMount::getMountPath)
        .doesNotHaveDuplicates()
        .containsExactly("/tmp", "/host");
    assertThat(agent.getVolumeMounts())
        .filteredOn(m -> m.getMountPath().equals("/host"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getReadOnly()).isTrue();
              assertThat(m.getMountPropagation()).isEqualTo("HostToContainer");
            });
    assertThat(agent.getEnv())
        .filteredOn(e -> e.getName().equals("FLOATIP_HOST_ROOT"))
        .extracting(EnvVar::getValue)
        .containsExactly("/host");
  }

  @Test
  void withoutTrackedFilesNoHostDirectoryIsMounted() {
    PodSpec pod = pod(PLAIN, vip("p", "{addresses: [192.0.2.9], track: {processes: [{name: x}]}}"));
    assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("tmp");
    assertThat(pod.getContainers().get(0).getEnv())
        .extracting(EnvVar::getName)
        .doesNotContain("FLOATIP_HOST_ROOT");
  }

  @Test
  void affinityIsTheUnionOfTheSelectors() {
    VirtualIP a =
        vip(
            "a",
            "{addresses: [192.0.2.1], nodeSelector: {matchLabels: {role: ingress, zone: z1}}}");
    VirtualIP b =
        vip(
            "b",
            "{addresses: [192.0.2.2], nodeSelector: {matchExpressions:"
                + " [{key: dns, operator: Exists}]}}");
    VirtualIP dup =
        vip(
            "c",
            "{addresses: [192.0.2.3], nodeSelector: {matchLabels: {zone: z1, role: ingress}}}");
    var terms =
        pod(a, b, dup)
            .getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    assertThat(terms).hasSize(2);
    assertThat(terms.get(0).getMatchExpressions())
        .containsExactly(
            new NodeSelectorRequirement("role", "In", List.of("ingress")),
            new NodeSelectorRequirement("zone", "In", List.of("z1")));
    assertThat(terms.get(1).getMatchExpressions())
        .containsExactly(new NodeSelectorRequirement("dns", "Exists", null));
    // a VirtualIP without a selector selects every node: no affinity at all
    assertThat(pod(a, b, PLAIN).getAffinity()).isNull();
  }

  @Test
  void tolerationsAreTheUnion() {
    VirtualIP a =
        vip(
            "a",
            "{addresses: [192.0.2.1], tolerations: [{key: k1, operator: Exists},"
                + " {key: k2, operator: Equal, value: v, effect: NoSchedule}]}");
    VirtualIP b = vip("b", "{addresses: [192.0.2.2], tolerations: [{key: k1, operator: Exists}]}");
    assertThat(pod(a, b).getTolerations())
        .extracting(Toleration::getKey)
        .containsExactly("k1", "k2");
  }

  @Test
  void theOperatorsAgentTolerationsAreAddedToTheVirtualIPs() {
    OperatorConfig cfg =
        new OperatorConfig(
            CFG.namespace(),
            CFG.agentName(),
            CFG.image(),
            CFG.imagePullPolicy(),
            CFG.agentRequests(),
            CFG.agentLimits(),
            CFG.priorityClassName(),
            OperatorConfig.parseTolerations(
                "[{\"key\": \"node-role.kubernetes.io/control-plane\", \"operator\": \"Exists\","
                    + " \"effect\": \"NoSchedule\"}, {\"key\": \"k1\", \"operator\": \"Exists\"}]"),
            CFG.agentMetricsPort(),
            CFG.logFormat(),
            CFG.finalizerTimeout(),
            CFG.leaderElection(),
            CFG.leaseName(),
            CFG.imagePullSecrets(),
            CFG.secretNamespaces(),
            null,
            OperatorConfig.DEFAULT_MAX_CANDIDATES,
            null,
            null);
    VirtualIP a = vip("a", "{addresses: [192.0.2.1], tolerations: [{key: k1, operator: Exists}]}");
    VirtualIP b = vip("b", "{addresses: [192.0.2.2], tolerations: [{key: k2, operator: Exists}]}");
    List<Toleration> tolerations =
        AgentDaemonSetFactory.build(cfg, List.of(a, b))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getTolerations();
    // k1 from both the settings and VirtualIP a appears once
    assertThat(tolerations)
        .extracting(Toleration::getKey)
        .containsExactly("k1", "k2", "node-role.kubernetes.io/control-plane");
    assertThat(tolerations.get(2).getEffect()).isEqualTo("NoSchedule");
    // with no VirtualIP tolerations at all, the settings' still apply
    assertThat(
            AgentDaemonSetFactory.build(cfg, List.of(PLAIN))
                .getSpec()
                .getTemplate()
                .getSpec()
                .getTolerations())
        .hasSize(2);
  }

  @Test
  void orderOfTheVirtualIPsDoesNotMatter() {
    List<VirtualIP> vips =
        new ArrayList<>(
            List.of(
                vip("a", "{addresses: [192.0.2.1], tolerations: [{key: x, operator: Exists}]}"),
                vip("b", "{addresses: [192.0.2.2], nodeSelector: {matchLabels: {r: b}}}"),
                vip("c", "{addresses: [192.0.2.3], nodeSelector: {matchLabels: {r: c}}}")));
    DaemonSet first = AgentDaemonSetFactory.build(CFG, vips);
    Collections.reverse(vips);
    assertThat(AgentDaemonSetFactory.build(CFG, vips)).isEqualTo(first);
  }
}
