package dev.floatip.operator;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the operator needs to know besides the VirtualIPs, as plain values so that the model
 * builders can be tested without Quarkus. {@link OperatorSettings} fills it from {@code
 * floatip.operator.*}.
 *
 * @param namespace where the agent DaemonSet, its ServiceAccount and the leader Lease live
 * @param agentName name of the DaemonSet, ServiceAccount, ClusterRole and ClusterRoleBinding
 * @param image the floatip image the agents run
 * @param imagePullPolicy Always, IfNotPresent or Never
 * @param agentRequests resource requests of the agent container (e.g. {@code cpu: 50m})
 * @param agentLimits resource limits of the agent container
 * @param priorityClassName priority class of the agent pods; empty for none
 * @param agentMetricsPort port of the agents' /q/metrics and /q/health on the node's address
 * @param logFormat agent log format, {@code text} or {@code json} (env {@code FLOATIP_LOG_FORMAT})
 * @param finalizerTimeout how long a deleted VirtualIP waits for its agents to release it
 * @param leaderElection whether replicas elect a leader through a Lease
 * @param leaseName name of that Lease in {@code namespace}
 */
public record OperatorConfig(
    String namespace,
    String agentName,
    String image,
    String imagePullPolicy,
    Map<String, String> agentRequests,
    Map<String, String> agentLimits,
    String priorityClassName,
    int agentMetricsPort,
    String logFormat,
    Duration finalizerTimeout,
    boolean leaderElection,
    String leaseName) {

  public static final String DEFAULT_NAMESPACE = "floatip-system";
  public static final String DEFAULT_AGENT_NAME = "floatip-agent";
  public static final String DEFAULT_IMAGE = "floatip/floatip:latest";
  public static final int DEFAULT_AGENT_METRICS_PORT = 9654;

  public OperatorConfig {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(agentName, "agentName");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
    agentRequests = Map.copyOf(agentRequests);
    agentLimits = Map.copyOf(agentLimits);
    priorityClassName = priorityClassName == null ? "" : priorityClassName;
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(finalizerTimeout, "finalizerTimeout");
    Objects.requireNonNull(leaseName, "leaseName");
  }

  /** The defaults, as documented on {@link OperatorSettings}. */
  public static OperatorConfig defaults() {
    return new OperatorConfig(
        DEFAULT_NAMESPACE,
        DEFAULT_AGENT_NAME,
        DEFAULT_IMAGE,
        "IfNotPresent",
        Map.of("cpu", "50m", "memory", "96Mi"),
        Map.of("memory", "192Mi"),
        "system-node-critical",
        DEFAULT_AGENT_METRICS_PORT,
        "text",
        Duration.ofSeconds(60),
        true,
        "floatip-operator");
  }

  public OperatorConfig withNamespace(String ns) {
    return new OperatorConfig(
        ns,
        agentName,
        image,
        imagePullPolicy,
        agentRequests,
        agentLimits,
        priorityClassName,
        agentMetricsPort,
        logFormat,
        finalizerTimeout,
        leaderElection,
        leaseName);
  }

  public OperatorConfig withFinalizerTimeout(Duration timeout) {
    return new OperatorConfig(
        namespace,
        agentName,
        image,
        imagePullPolicy,
        agentRequests,
        agentLimits,
        priorityClassName,
        agentMetricsPort,
        logFormat,
        timeout,
        leaderElection,
        leaseName);
  }
}
