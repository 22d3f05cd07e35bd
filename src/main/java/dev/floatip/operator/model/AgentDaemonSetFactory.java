package dev.floatip.operator.model;

import dev.floatip.api.v1alpha1.ClusterContract;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one agent DaemonSet for all VirtualIPs (DESIGN §2 rule 2), as a pure function of the operator
 * config: the chart's values only, never the VirtualIPs (DESIGN §2 rule 6), so that adding or
 * deleting a VirtualIP never restarts an agent. Least privilege, as far as the values allow ({@link
 * AgentAllowance}): hostNetwork with NET_ADMIN and NET_RAW; SETUID/SETGID only with {@code
 * agent.scriptUsers}; hostPID only with {@code agent.processTracking}; each directory of {@code
 * agent.hostPaths} read-only under {@value #HOST_ROOT}. A VirtualIP that needs more is refused by
 * {@link AllowanceCheck}, not rolled out.
 */
public final class AgentDaemonSetFactory {

  public static final String CONTAINER = "agent";

  /**
   * The agent without Quarkus (issue 15): the JVM flags plus the image's AOT cache, the plain class
   * path, the main class, all made by the image build (src/main/docker/Dockerfile).
   */
  public static final List<String> COMMAND =
      List.of(
          "java",
          "@/opt/floatip/agent-jvm.args",
          "@/opt/floatip/agent.args",
          "dev.floatip.cli.AgentMain");

  public static final String PORT_NAME = "metrics";

  /** Where Quarkus and scripts may write: the root filesystem is read-only. */
  static final String TMP = "/tmp";

  /**
   * Where the allowed host directories are mounted (read-only): the agent reads {@code
   * spec.track.files[].path} under it, a host directory {@code /run/x} at {@code /host/run/x}. One
   * prefix, never a host directory at its own path: {@code /etc/x} would hide the image's {@code
   * /etc}.
   */
  public static final String HOST_ROOT = ClusterContract.HOST_ROOT;

  /** The agent's environment variable naming {@link #HOST_ROOT}. */
  public static final String HOST_ROOT_ENV = ClusterContract.HOST_ROOT_ENV;

  /** The agent's client-side request rate to the API server (ApiRate). */
  public static final String API_QPS_ENV = "FLOATIP_KUBE_API_QPS";

  public static final String API_BURST_ENV = "FLOATIP_KUBE_API_BURST";

  /** Volume name prefix of the allowed host directories: host-0, host-1, … in path order. */
  static final String HOST_VOLUME = "host-";

  private AgentDaemonSetFactory() {}

  public static DaemonSet build(OperatorConfig cfg) {
    AgentAllowance allow = cfg.allowance();
    Map<String, String> labels = Labels.agent();
    Map<String, String> podAnnotations = new LinkedHashMap<>();
    podAnnotations.put("prometheus.io/scrape", "true");
    podAnnotations.put("prometheus.io/port", Integer.toString(cfg.agentMetricsPort()));
    podAnnotations.put("prometheus.io/path", "/q/metrics");

    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath(TMP).build());
    List<String> hostPaths = allow.hostPaths(); // sorted, none inside another (AgentAllowance)
    for (int i = 0; i < hostPaths.size(); i++) {
      String name = HOST_VOLUME + i;
      // type Directory: nothing is ever created on the host; a missing one keeps the pod pending
      volumes.add(
          new VolumeBuilder()
              .withName(name)
              .withNewHostPath()
              .withPath(hostPaths.get(i))
              .withType("Directory")
              .endHostPath()
              .build());
      // HostToContainer: file systems the host mounts there later appear in the agent too
      mounts.add(
          new VolumeMountBuilder()
              .withName(name)
              .withMountPath(HOST_ROOT + hostPaths.get(i))
              .withReadOnly(true)
              .withMountPropagation("HostToContainer")
              .build());
    }

    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(cfg.agentName())
        .withNamespace(cfg.namespace())
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(Labels.agentSelector())
        .endSelector()
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(1))
        // a hostNetwork pod cannot surge: the old one holds the port
        .withMaxSurge(new IntOrString(0))
        .endRollingUpdate()
        .endUpdateStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(podAnnotations)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(cfg.agentName())
        // the chart's imagePullSecrets, for the agents too (issue 11, defect 9)
        .withImagePullSecrets(
            cfg.imagePullSecrets().stream().map(LocalObjectReference::new).toList())
        .withAutomountServiceAccountToken(true)
        .withHostNetwork(true)
        .withHostPID(allow.processTracking())
        .withDnsPolicy("ClusterFirstWithHostNet")
        .withPriorityClassName(cfg.priorityClassName().isEmpty() ? null : cfg.priorityClassName())
        // the agent resigns (priority 0) and removes its addresses within a second of SIGTERM
        .withTerminationGracePeriodSeconds(10L)
        .withNodeSelector(
            allow.nodeSelector().isEmpty() ? null : new TreeMap<>(allow.nodeSelector()))
        .withTolerations(cfg.agentTolerations())
        .withNewSecurityContext()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(cfg, mounts))
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Container container(OperatorConfig cfg, List<VolumeMount> mounts) {
    int port = cfg.agentMetricsPort();
    List<String> add = new ArrayList<>(List.of("NET_ADMIN", "NET_RAW"));
    if (cfg.allowance().scriptUsers()) {
      add.addAll(List.of("SETGID", "SETUID"));
    }
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(cfg.image())
        .withImagePullPolicy(cfg.imagePullPolicy())
        .withCommand(COMMAND)
        .withArgs("agent", "--node-name=$(NODE_NAME)", "--metrics-address=$(POD_IP):" + port)
        .withEnv(env(cfg))
        .addNewPort()
        .withName(PORT_NAME)
        .withContainerPort(port)
        .withHostPort(port)
        .withProtocol("TCP")
        .endPort()
        .withLivenessProbe(probe("/q/health/live", 3))
        .withReadinessProbe(probe("/q/health/ready", 1))
        .withResources(
            new ResourceRequirementsBuilder()
                .withRequests(quantities(cfg.agentRequests()))
                .withLimits(quantities(cfg.agentLimits()))
                .build())
        .withNewSecurityContext()
        .withPrivileged(false)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsUser(0L)
        .withRunAsNonRoot(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .withAdd(add)
        .endCapabilities()
        .endSecurityContext()
        .withVolumeMounts(mounts)
        .build();
  }

  private static List<EnvVar> env(OperatorConfig cfg) {
    List<EnvVar> env = new ArrayList<>();
    env.add(fieldRef("NODE_NAME", "spec.nodeName"));
    env.add(fieldRef("POD_IP", "status.podIP"));
    env.add(fieldRef("POD_NAMESPACE", "metadata.namespace"));
    env.add(fieldRef("POD_NAME", "metadata.name"));
    env.add(value("FLOATIP_LOG_FORMAT", cfg.logFormat()));
    env.add(value(API_QPS_ENV, rate(cfg.agentApiRate().qps())));
    env.add(value(API_BURST_ENV, Integer.toString(cfg.agentApiRate().burst())));
    if (!cfg.allowance().hostPaths().isEmpty()) {
      env.add(value(HOST_ROOT_ENV, HOST_ROOT));
    }
    return env;
  }

  private static EnvVar value(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  /** 10.0 as "10", 2.5 as "2.5". */
  static String rate(double qps) {
    return qps == Math.rint(qps) && Math.abs(qps) < 1e15
        ? Long.toString((long) qps)
        : Double.toString(qps);
  }

  private static EnvVar fieldRef(String name, String path) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withApiVersion("v1")
        .withFieldPath(path)
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  private static Probe probe(String path, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(PORT_NAME))
        .endHttpGet()
        .withInitialDelaySeconds(5)
        .withPeriodSeconds(10)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    Map<String, Quantity> out = new TreeMap<>();
    values.forEach((k, v) -> out.put(k, new Quantity(v)));
    return out.isEmpty() ? null : out;
  }
}
