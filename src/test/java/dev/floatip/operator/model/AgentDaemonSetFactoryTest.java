package dev.floatip.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.kube.ApiRate;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgentDaemonSetFactoryTest {

  private static final OperatorConfig CFG = OperatorConfig.defaults();

  private static PodSpec pod(OperatorConfig cfg) {
    return AgentDaemonSetFactory.build(cfg).getSpec().getTemplate().getSpec();
  }

  private static Container agent(OperatorConfig cfg) {
    return pod(cfg).getContainers().get(0);
  }

  private static OperatorConfig allow(
      Map<String, String> nodeSelector,
      boolean processTracking,
      boolean scriptUsers,
      List<String> hostPaths) {
    return CFG.withAllowance(
        new AgentAllowance(nodeSelector, processTracking, scriptUsers, hostPaths));
  }

  private static String env(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }

  @Test
  void baseShape() {
    DaemonSet ds = AgentDaemonSetFactory.build(CFG);
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
    assertThat(pod.getNodeSelector()).isNull();
    assertThat(pod.getTolerations()).isEmpty();

    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo(OperatorConfig.DEFAULT_IMAGE);
    assertThat(c.getArgs())
        .containsExactly("agent", "--node-name=$(NODE_NAME)", "--metrics-address=$(POD_IP):9654");
    assertThat(c.getSecurityContext().getPrivileged()).isFalse();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    EnvVar node =
        c.getEnv().stream().filter(e -> e.getName().equals("NODE_NAME")).findFirst().orElseThrow();
    assertThat(node.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(c.getResources().getRequests())
        .containsEntry("cpu", new Quantity("50m"))
        .containsEntry("memory", new Quantity("96Mi"));
    assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("192Mi"));
    // the chart's defaults: scripts may run as other users, no process tracking, no host paths
    assertThat(c.getSecurityContext().getCapabilities().getAdd())
        .containsExactly("NET_ADMIN", "NET_RAW", "SETGID", "SETUID");
    assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("tmp");
    assertThat(c.getEnv()).extracting(EnvVar::getName).doesNotContain("FLOATIP_HOST_ROOT");
    assertThat(env(c, "FLOATIP_KUBE_API_QPS")).isEqualTo("10");
    assertThat(env(c, "FLOATIP_KUBE_API_BURST")).isEqualTo("30");
  }

  static Stream<Arguments> privileges() {
    return Stream.of(
        // processTracking, scriptUsers, hostPID, extra capabilities
        Arguments.of(false, false, false, List.of()),
        Arguments.of(true, false, true, List.of()),
        Arguments.of(false, true, false, List.of("SETGID", "SETUID")),
        Arguments.of(true, true, true, List.of("SETGID", "SETUID")));
  }

  @ParameterizedTest
  @MethodSource
  void privileges(
      boolean processTracking, boolean scriptUsers, boolean hostPid, List<String> extraCaps) {
    OperatorConfig cfg = allow(Map.of(), processTracking, scriptUsers, List.of());
    assertThat(pod(cfg).getHostPID()).isEqualTo(hostPid);
    List<String> caps = new ArrayList<>(List.of("NET_ADMIN", "NET_RAW"));
    caps.addAll(extraCaps);
    assertThat(agent(cfg).getSecurityContext().getCapabilities().getAdd())
        .containsExactlyElementsOf(caps);
    assertThat(agent(cfg).getSecurityContext().getPrivileged()).isFalse();
    assertThat(agent(cfg).getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
  }

  /**
   * Issue 11, defect 4: two files in /tmp used to mount the host's /tmp at /tmp, twice and over the
   * agent's own emptyDir (a duplicate mountPath, refused by the API server), and /etc/flags hid the
   * image's /etc/flags. Now: each allowed host directory once, read-only, under /host.
   */
  @Test
  void eachAllowedHostPathIsMountedReadOnlyUnderTheHostRoot() {
    Container agent;
    PodSpec pod = pod(allow(Map.of(), false, true, List.of("/run/vrrp", "/etc/keepalived")));
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getHostPath() != null)
        .extracting(v -> v.getHostPath().getPath(), v -> v.getHostPath().getType())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/etc/keepalived", "Directory"),
            org.assertj.core.groups.Tuple.tuple("/run/vrrp", "Directory"));
    assertThat(pod.getVolumes()).extracting(Volume::getName).doesNotHaveDuplicates();
    agent = pod.getContainers().get(0);
    assertThat(agent.getVolumeMounts()).extracting(VolumeMount::getName).doesNotHaveDuplicates();
    assertThat(agent.getVolumeMounts())
        .extracting(VolumeMount::getMountPath)
        .containsExactly("/tmp", "/host/etc/keepalived", "/host/run/vrrp");
    assertThat(agent.getVolumeMounts())
        .filteredOn(m -> m.getMountPath().startsWith("/host"))
        .allSatisfy(
            m -> {
              assertThat(m.getReadOnly()).isTrue();
              assertThat(m.getMountPropagation()).isEqualTo("HostToContainer");
            });
    // each mount's volume is the hostPath of the directory it shows
    for (VolumeMount m : agent.getVolumeMounts()) {
      Volume v =
          pod.getVolumes().stream()
              .filter(x -> x.getName().equals(m.getName()))
              .findFirst()
              .orElseThrow();
      if (v.getHostPath() != null) {
        assertThat(m.getMountPath()).isEqualTo("/host" + v.getHostPath().getPath());
      }
    }
    assertThat(env(agent, "FLOATIP_HOST_ROOT")).isEqualTo("/host");
  }

  @Test
  void theNodeSelectorIsTheChartsAndTheTolerationsAreTheChartsOnly() {
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
            new AgentAllowance(
                Map.of("kubernetes.io/os", "linux", "floatip.dev/agent", "true"),
                false,
                true,
                List.of()),
            OperatorConfig.DEFAULT_MAX_CANDIDATES,
            null,
            new ApiRate(2.5, 5));
    PodSpec pod = pod(cfg);
    assertThat(pod.getNodeSelector())
        .containsExactly(
            Map.entry("floatip.dev/agent", "true"), Map.entry("kubernetes.io/os", "linux"));
    assertThat(pod.getAffinity()).as("no affinity from VirtualIPs any more").isNull();
    assertThat(pod.getTolerations())
        .extracting(Toleration::getKey)
        .containsExactly("node-role.kubernetes.io/control-plane", "k1");
    assertThat(pod.getTolerations().get(0).getEffect()).isEqualTo("NoSchedule");
    assertThat(env(pod.getContainers().get(0), "FLOATIP_KUBE_API_QPS")).isEqualTo("2.5");
    assertThat(env(pod.getContainers().get(0), "FLOATIP_KUBE_API_BURST")).isEqualTo("5");
  }

  /** DESIGN §2 rule 6: the DaemonSet is a function of the config alone. */
  @Test
  void theSameConfigGivesTheSameDaemonSet() {
    OperatorConfig cfg = allow(Map.of("a", "b"), true, false, List.of("/run/x", "/opt/flags"));
    OperatorConfig reordered =
        allow(Map.of("a", "b"), true, false, List.of("/opt/flags", "/run/x"));
    assertThat(AgentDaemonSetFactory.build(reordered)).isEqualTo(AgentDaemonSetFactory.build(cfg));
    assertThat(AgentDaemonSetFactory.build(cfg))
        .isNotEqualTo(AgentDaemonSetFactory.build(allow(Map.of("a", "b"), true, false, List.of())));
  }

  @Test
  void ratesAreWrittenAsTheAgentParsesThem() {
    assertThat(AgentDaemonSetFactory.rate(10)).isEqualTo("10");
    assertThat(AgentDaemonSetFactory.rate(0.5)).isEqualTo("0.5");
    assertThat(Double.parseDouble(AgentDaemonSetFactory.rate(1e-3))).isEqualTo(1e-3);
  }
}
