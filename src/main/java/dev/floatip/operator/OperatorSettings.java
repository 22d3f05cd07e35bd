package dev.floatip.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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
     * Tolerations every agent pod gets, as a YAML or JSON list, added to the union of the
     * VirtualIPs' tolerations (e.g. to run agents on tainted control-plane nodes).
     */
    Optional<String> tolerations();

    /** Port of the agents' metrics and health endpoints on the node address. */
    @WithDefault("9654")
    int metricsPort();

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
        d.allowance(),
        d.maxCandidates(),
        d.operatorApiRate(),
        d.agentApiRate());
  }
}
