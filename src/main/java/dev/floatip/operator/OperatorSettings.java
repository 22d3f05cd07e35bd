package dev.floatip.operator;

import dev.floatip.kube.ApiRate;
import dev.floatip.operator.model.AgentAllowance;
import dev.floatip.operator.model.OperatorConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code floatip.operator.*} in application.properties or the environment ({@code
 * FLOATIP_OPERATOR_NAMESPACE}, …). Agent resources are maps, e.g. {@code
 * floatip.operator.agent.requests.cpu=50m}.
 */
@ConfigMapping(prefix = "floatip.operator")
public interface OperatorSettings {

  /** Namespace of the agent DaemonSet, its ServiceAccount and the leader Lease. */
  @WithDefault(OperatorConfig.DEFAULT_NAMESPACE)
  String namespace();

  /** Agent settings. */
  Agent agent();

  /** How long a deleted VirtualIP waits for every agent to release its addresses. */
  @WithDefault("60s")
  Duration finalizerTimeout();

  /** Leader election between operator replicas. */
  LeaderElection leaderElection();

  /**
   * At most this many nodes run one VirtualIP (chart value {@code operator.maxCandidates}): past it
   * the most preferred do, and a condition says so.
   */
  @WithDefault("16")
  int maxCandidates();

  /** The operator's client-side request rate (chart values {@code operator.kubeApi.*}). */
  @WithName("kube-api")
  KubeApi kubeApi();

  /** A client-side request rate to the API server (ApiRate). */
  interface KubeApi {
    /** Sustained requests per second; empty: the default of the process. */
    Optional<Double> qps();

    /** Requests at once; empty: the default of the process. */
    Optional<Integer> burst();

    /**
     * @param value the chart value, for messages
     * @throws IllegalArgumentException naming {@code value}
     */
    default ApiRate toRate(ApiRate defaults, String value) {
      try {
        return new ApiRate(qps().orElse(defaults.qps()), burst().orElse(defaults.burst()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(value + ": " + e.getMessage(), e);
      }
    }
  }

  /** The agent DaemonSet. */
  interface Agent {
    /** Name of the DaemonSet, ServiceAccount and cluster RBAC objects. */
    @WithDefault(OperatorConfig.DEFAULT_AGENT_NAME)
    String name();

    @WithDefault(OperatorConfig.DEFAULT_IMAGE)
    String image();

    @WithDefault("IfNotPresent")
    String imagePullPolicy();

    /** Resource requests; none set: cpu 50m, memory 96Mi. */
    Map<String, String> requests();

    /** Resource limits; none set: memory 192Mi. */
    Map<String, String> limits();

    /** Priority class of the agent pods; "none" for none. */
    @WithDefault("system-node-critical")
    String priorityClassName();

    /**
     * The tolerations of the agent pods, as a YAML or JSON list (e.g. to run agents on tainted
     * control-plane nodes); a VirtualIP's own tolerations never reach the pods.
     */
    Optional<String> tolerations();

    /** Port of the agents' metrics and health endpoints on the node address. */
    @WithDefault("9654")
    int metricsPort();

    /**
     * Node labels the agent pods require, as a YAML or JSON map (chart value {@code
     * agent.nodeSelector}); empty: every node the tolerations admit.
     */
    Optional<String> nodeSelector();

    /** hostPID for the agents, needed by {@code track.processes} (chart value). */
    @WithDefault("false")
    boolean processTracking();

    /** SETUID/SETGID for scripts run as another user than root (chart value). */
    @WithDefault("true")
    boolean scriptUsers();

    /**
     * Host directories the agents read {@code track.files} under, as a YAML or JSON list (chart
     * value {@code agent.hostPaths}).
     */
    Optional<String> hostPaths();

    /** Each agent's client-side request rate (chart values {@code agent.kubeApi.*}). */
    @WithName("kube-api")
    KubeApi kubeApi();

    /** text or json. */
    @WithDefault("text")
    String logFormat();

    /**
     * Secrets (in {@link #namespace()}) the agent pods pull their image with, comma-separated
     * (chart value {@code imagePullSecrets}).
     */
    Optional<String> imagePullSecrets();

    /**
     * Namespaces besides {@link #namespace()} where VirtualIPs may keep {@code passwordSecretRef}
     * Secrets, comma-separated (chart value {@code agent.secretNamespaces}).
     */
    Optional<String> secretNamespaces();
  }

  /** A Lease in {@link #namespace()} decides which replica reconciles. */
  interface LeaderElection {
    @WithDefault("true")
    boolean enabled();

    @WithDefault("floatip-operator")
    String leaseName();

    /** Exit when the Lease is lost, so the pod restarts as a follower (JOSDK's behaviour). */
    @WithDefault("true")
    boolean exitOnLoss();
  }

  /** As plain values. */
  default OperatorConfig toConfig() {
    OperatorConfig d = OperatorConfig.defaults();
    Agent a = agent();
    // each setting named in its own message: a wrong one fails the start, before any write
    String priorityClass = a.priorityClassName().equals("none") ? "" : a.priorityClassName();
    return new OperatorConfig(
        namespace(),
        a.name(),
        a.image(),
        a.imagePullPolicy(),
        a.requests().isEmpty() ? d.agentRequests() : a.requests(),
        a.limits().isEmpty() ? d.agentLimits() : a.limits(),
        priorityClass,
        OperatorConfig.parseTolerations(a.tolerations().orElse("")),
        a.metricsPort(),
        a.logFormat(),
        finalizerTimeout(),
        leaderElection().enabled(),
        leaderElection().leaseName(),
        OperatorConfig.parseList(a.imagePullSecrets().orElse("")),
        OperatorConfig.parseList(a.secretNamespaces().orElse("")),
        new AgentAllowance(
            OperatorConfig.parseNodeSelector(a.nodeSelector().orElse("")),
            a.processTracking(),
            a.scriptUsers(),
            OperatorConfig.parseHostPaths(a.hostPaths().orElse(""))),
        maxCandidates(),
        kubeApi().toRate(ApiRate.OPERATOR_DEFAULT, "operator.kubeApi"),
        a.kubeApi().toRate(ApiRate.AGENT_DEFAULT, "agent.kubeApi"));
  }
}
