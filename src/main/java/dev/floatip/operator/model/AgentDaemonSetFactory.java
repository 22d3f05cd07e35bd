package dev.floatip.operator.model;

import dev.floatip.api.v1alpha1.ClusterContract;
import dev.floatip.api.v1alpha1.ScriptCheck;
import dev.floatip.api.v1alpha1.TrackSpec;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.LabelSelectors;
import dev.floatip.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one agent DaemonSet for all VirtualIPs (DESIGN §2 rule 2), as a pure function of the operator
 * config and the VirtualIPs the agents run. Least privilege: hostNetwork with NET_ADMIN and NET_RAW
 * only; SETUID/SETGID only while some script check runs as another user; hostPID only while some
 * VirtualIP tracks processes; the host's root directory, read-only at {@value #HOST_ROOT}, only
 * while some VirtualIP tracks files. The result depends only on the set of VirtualIPs, not on their
 * order.
 */
public final class AgentDaemonSetFactory {

  public static final String CONTAINER = "agent";
  public static final String PORT_NAME = "metrics";

  /** Where Quarkus and scripts may write: the root filesystem is read-only. */
  static final String TMP = "/tmp";

  /**
   * Where the host's root directory is mounted (read-only) while some VirtualIP tracks files: the
   * agent reads {@code spec.track.files[].path} under it. One fixed prefix, never a host directory
   * at its own path: two files in one directory would give a duplicate mountPath, which the API
   * server refuses (pkg/apis/core/validation/validation.go, validateVolumeMounts), and {@code
   * /etc/x} would hide the image's {@code /etc}.
   */
  public static final String HOST_ROOT = ClusterContract.HOST_ROOT;

  /** The agent's environment variable naming {@link #HOST_ROOT}. */
  public static final String HOST_ROOT_ENV = ClusterContract.HOST_ROOT_ENV;

  static final String HOST_ROOT_VOLUME = "host-root";

  private AgentDaemonSetFactory() {}

  public static DaemonSet build(OperatorConfig cfg, List<VirtualIP> vips) {
    List<VirtualIP> sorted =
        vips.stream().sorted(Comparator.comparing(v -> v.getMetadata().getName())).toList();
    Map<String, String> labels = Labels.agent();
    Map<String, String> podAnnotations = new LinkedHashMap<>();
    podAnnotations.put("prometheus.io/scrape", "true");
    podAnnotations.put("prometheus.io/port", Integer.toString(cfg.agentMetricsPort()));
    podAnnotations.put("prometheus.io/path", "/q/metrics");

    boolean hostRoot = tracksFiles(sorted);
    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath(TMP).build());
    if (hostRoot) {
      // type Directory: "/" always exists, and nothing is ever created on the host
      volumes.add(
          new VolumeBuilder()
              .withName(HOST_ROOT_VOLUME)
              .withNewHostPath()
              .withPath("/")
              .withType("Directory")
              .endHostPath()
              .build());
      // HostToContainer: file systems the host mounts later appear under /host too
      mounts.add(
          new VolumeMountBuilder()
              .withName(HOST_ROOT_VOLUME)
              .withMountPath(HOST_ROOT)
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
        .withHostPID(tracksProcesses(sorted))
        .withDnsPolicy("ClusterFirstWithHostNet")
        .withPriorityClassName(cfg.priorityClassName().isEmpty() ? null : cfg.priorityClassName())
        // the agent resigns (priority 0) and removes its addresses within a second of SIGTERM
        .withTerminationGracePeriodSeconds(10L)
        .withAffinity(affinity(sorted))
        .withTolerations(tolerations(cfg.agentTolerations(), sorted))
        .withNewSecurityContext()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(cfg, sorted, mounts, hostRoot))
        .withVolumes(volumes)
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Container container(
      OperatorConfig cfg, List<VirtualIP> vips, List<VolumeMount> mounts, boolean hostRoot) {
    int port = cfg.agentMetricsPort();
    List<String> add = new ArrayList<>(List.of("NET_ADMIN", "NET_RAW"));
    if (runsScriptsAsOtherUser(vips)) {
      add.addAll(List.of("SETGID", "SETUID"));
    }
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(cfg.image())
        .withImagePullPolicy(cfg.imagePullPolicy())
        .withArgs("agent", "--node-name=$(NODE_NAME)", "--metrics-address=$(POD_IP):" + port)
        .withEnv(env(cfg, hostRoot))
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

  private static List<EnvVar> env(OperatorConfig cfg, boolean hostRoot) {
    List<EnvVar> env = new ArrayList<>();
    env.add(fieldRef("NODE_NAME", "spec.nodeName"));
    env.add(fieldRef("POD_IP", "status.podIP"));
    env.add(fieldRef("POD_NAMESPACE", "metadata.namespace"));
    env.add(fieldRef("POD_NAME", "metadata.name"));
    env.add(new EnvVarBuilder().withName("FLOATIP_LOG_FORMAT").withValue(cfg.logFormat()).build());
    if (hostRoot) {
      env.add(new EnvVarBuilder().withName(HOST_ROOT_ENV).withValue(HOST_ROOT).build());
    }
    return env;
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

  /**
   * Required node affinity = the union of the VirtualIPs' node selectors (one term each; terms are
   * ORed). None when some VirtualIP selects every node, or there is no VirtualIP.
   */
  static Affinity affinity(List<VirtualIP> vips) {
    if (vips.isEmpty()
        || vips.stream().anyMatch(v -> LabelSelectors.selectsAll(v.getSpec().nodeSelector()))) {
      return null;
    }
    Set<NodeSelectorTerm> terms = new LinkedHashSet<>();
    vips.forEach(v -> terms.add(LabelSelectors.toTerm(v.getSpec().nodeSelector())));
    return new AffinityBuilder()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withNodeSelectorTerms(new ArrayList<>(terms))
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .build();
  }

  /** The union of the VirtualIPs' tolerations, duplicates removed, in a stable order. */
  static List<Toleration> tolerations(List<VirtualIP> vips) {
    return tolerations(List.of(), vips);
  }

  /**
   * The operator's agent tolerations (Helm value {@code agent.tolerations}) plus the union of the
   * VirtualIPs' tolerations, duplicates removed, in a stable order.
   */
  static List<Toleration> tolerations(List<Toleration> always, List<VirtualIP> vips) {
    Set<Toleration> all = new LinkedHashSet<>(always);
    for (VirtualIP v : vips) {
      if (v.getSpec().tolerations() != null) {
        v.getSpec().tolerations().stream().filter(Objects::nonNull).forEach(all::add);
      }
    }
    return all.stream()
        .sorted(
            Comparator.comparing((Toleration t) -> Objects.toString(t.getKey(), ""))
                .thenComparing(t -> Objects.toString(t.getOperator(), ""))
                .thenComparing(t -> Objects.toString(t.getValue(), ""))
                .thenComparing(t -> Objects.toString(t.getEffect(), ""))
                .thenComparing(t -> Objects.toString(t.getTolerationSeconds(), "")))
        .toList();
  }

  static boolean tracksProcesses(List<VirtualIP> vips) {
    return vips.stream().anyMatch(v -> !track(v).processList().isEmpty());
  }

  /**
   * Script checks run as {@code nobody} unless their user is root (ScriptCheck#user), and the agent
   * runs as root: switching needs SETUID and SETGID.
   */
  static boolean runsScriptsAsOtherUser(List<VirtualIP> vips) {
    return vips.stream()
        .flatMap(v -> track(v).scriptList().stream())
        .map(ScriptCheck::user)
        .anyMatch(u -> !isRoot(u));
  }

  static boolean isRoot(String user) {
    if (user == null) {
      return false;
    }
    String[] parts = user.split(":", 2);
    boolean rootUser = parts[0].equals("root") || parts[0].equals("0");
    boolean rootGroup = parts.length == 1 || parts[1].equals("root") || parts[1].equals("0");
    return rootUser && rootGroup;
  }

  /** Whether some VirtualIP tracks files (read under {@link #HOST_ROOT}). */
  static boolean tracksFiles(List<VirtualIP> vips) {
    return vips.stream().anyMatch(v -> !track(v).fileList().isEmpty());
  }

  private static TrackSpec track(VirtualIP v) {
    return v.getSpec().trackOrDefault();
  }
}
