package dev.floatip.operator.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.floatip.kube.ApiRate;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
 * @param agentTolerations the tolerations of the agent pods (chart value {@code
 *     agent.tolerations}); a VirtualIP's own tolerations never reach the pods
 * @param agentMetricsPort port of the agents' /q/metrics and /q/health on the node's address
 * @param logFormat agent log format, {@code text} or {@code json} (env {@code FLOATIP_LOG_FORMAT})
 * @param finalizerTimeout how long a deleted VirtualIP waits for its agents to release it
 * @param leaderElection whether replicas elect a leader through a Lease
 * @param leaseName name of that Lease in {@code namespace}
 * @param imagePullSecrets names of the Secrets (in {@code namespace}) the agent pods pull with
 * @param secretNamespaces namespaces besides {@code namespace} where VirtualIPs may keep their
 *     {@code passwordSecretRef} Secrets: the agents may read Secrets there (chart value {@code
 *     agent.secretNamespaces}, which renders a Role in each); any other namespace is refused
 * @param allowance where the agents run and what they may do (chart values only)
 * @param maxCandidates at most this many nodes run one VirtualIP (chart value {@code
 *     operator.maxCandidates}); past it the first ones by preference do, and a condition says so
 * @param operatorApiRate the operator's client-side request rate to the API server
 * @param agentApiRate each agent's client-side request rate to the API server
 */
public record OperatorConfig(
    String namespace,
    String agentName,
    String image,
    String imagePullPolicy,
    Map<String, String> agentRequests,
    Map<String, String> agentLimits,
    String priorityClassName,
    List<Toleration> agentTolerations,
    int agentMetricsPort,
    String logFormat,
    Duration finalizerTimeout,
    boolean leaderElection,
    String leaseName,
    List<String> imagePullSecrets,
    List<String> secretNamespaces,
    AgentAllowance allowance,
    int maxCandidates,
    ApiRate operatorApiRate,
    ApiRate agentApiRate) {

  public static final String DEFAULT_NAMESPACE = "floatip-system";
  public static final String DEFAULT_AGENT_NAME = "floatip-agent";
  public static final String DEFAULT_IMAGE = "floatip/floatip:latest";
  public static final int DEFAULT_AGENT_METRICS_PORT = 9654;
  public static final int DEFAULT_MAX_CANDIDATES = 16;

  public OperatorConfig {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(agentName, "agentName");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
    agentRequests = Map.copyOf(agentRequests);
    agentLimits = Map.copyOf(agentLimits);
    priorityClassName = priorityClassName == null ? "" : priorityClassName;
    agentTolerations = agentTolerations == null ? List.of() : List.copyOf(agentTolerations);
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(finalizerTimeout, "finalizerTimeout");
    Objects.requireNonNull(leaseName, "leaseName");
    imagePullSecrets = imagePullSecrets == null ? List.of() : List.copyOf(imagePullSecrets);
    secretNamespaces = secretNamespaces == null ? List.of() : List.copyOf(secretNamespaces);
    allowance = allowance == null ? AgentAllowance.defaults() : allowance;
    if (maxCandidates < 2) {
      throw new IllegalArgumentException(
          "operator.maxCandidates (env FLOATIP_OPERATOR_MAX_CANDIDATES) must be at least 2, was "
              + maxCandidates);
    }
    operatorApiRate = operatorApiRate == null ? ApiRate.OPERATOR_DEFAULT : operatorApiRate;
    agentApiRate = agentApiRate == null ? ApiRate.AGENT_DEFAULT : agentApiRate;
  }

  /**
   * Whether the agents may read a {@code passwordSecretRef} Secret in {@code secretNamespace}:
   * empty or absent means {@link #namespace()}, which is always allowed.
   */
  public boolean allowsSecretNamespace(String secretNamespace) {
    return secretNamespace == null
        || secretNamespace.isEmpty()
        || secretNamespace.equals(namespace)
        || secretNamespaces.contains(secretNamespace);
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
        List.of(),
        DEFAULT_AGENT_METRICS_PORT,
        "text",
        Duration.ofSeconds(60),
        true,
        "floatip-operator",
        List.of(),
        List.of(),
        AgentAllowance.defaults(),
        DEFAULT_MAX_CANDIDATES,
        ApiRate.OPERATOR_DEFAULT,
        ApiRate.AGENT_DEFAULT);
  }

  /**
   * Parses a comma-separated list as the chart writes it ({@code join ","}): entries trimmed, empty
   * ones dropped.
   */
  public static List<String> parseList(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.split(",")).map(String::strip).filter(e -> !e.isEmpty()).toList();
  }

  /**
   * Parses {@code floatip.operator.agent.tolerations}: a YAML or JSON list of Kubernetes
   * tolerations, as the Helm chart writes it ({@code toJson .Values.agent.tolerations}).
   *
   * @throws IllegalArgumentException naming the setting when the text is not such a list
   */
  public static List<Toleration> parseTolerations(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    try {
      List<Toleration> list =
          new YAMLMapper().readValue(text, new TypeReference<List<Toleration>>() {});
      if (list == null || list.stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException(
            "floatip.operator.agent.tolerations: a list of tolerations must not hold null entries");
      }
      for (Toleration t : list) {
        if (!t.getAdditionalProperties().isEmpty()) {
          throw new IllegalArgumentException(
              "floatip.operator.agent.tolerations: unknown toleration field(s) "
                  + t.getAdditionalProperties().keySet()
                  + "; known: key, operator, value, effect, tolerationSeconds");
        }
      }
      return List.copyOf(list);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "floatip.operator.agent.tolerations (env FLOATIP_OPERATOR_AGENT_TOLERATIONS) is not a"
              + " list of tolerations such as [{\"key\": \"k\", \"operator\": \"Exists\"}]: "
              + e.getOriginalMessage(),
          e);
    }
  }

  /**
   * Parses {@code floatip.operator.agent.node-selector}: a YAML or JSON map of node labels, as the
   * chart writes it ({@code toJson .Values.agent.nodeSelector}).
   *
   * @throws IllegalArgumentException naming the setting when the text is not such a map
   */
  public static Map<String, String> parseNodeSelector(String text) {
    if (text == null || text.isBlank()) {
      return Map.of();
    }
    try {
      Map<String, String> map =
          new YAMLMapper().readValue(text, new TypeReference<Map<String, String>>() {});
      if (map == null) {
        return Map.of();
      }
      if (map.containsValue(null)) {
        throw new IllegalArgumentException(
            "agent.nodeSelector (env FLOATIP_OPERATOR_AGENT_NODE_SELECTOR): a label value is null");
      }
      return Map.copyOf(map);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "agent.nodeSelector (env FLOATIP_OPERATOR_AGENT_NODE_SELECTOR) is not a map of node"
              + " labels such as {\"kubernetes.io/os\": \"linux\"}: "
              + e.getOriginalMessage(),
          e);
    }
  }

  /**
   * Parses {@code floatip.operator.agent.host-paths}: a YAML or JSON list of host directories, as
   * the chart writes it ({@code toJson .Values.agent.hostPaths}); {@link AgentAllowance} checks
   * each.
   *
   * @throws IllegalArgumentException naming the setting when the text is not such a list
   */
  public static List<String> parseHostPaths(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    try {
      List<String> list = new YAMLMapper().readValue(text, new TypeReference<List<String>>() {});
      if (list == null) {
        return List.of();
      }
      if (list.contains(null)) {
        throw new IllegalArgumentException(
            "agent.hostPaths (env FLOATIP_OPERATOR_AGENT_HOST_PATHS): an entry is null");
      }
      return List.copyOf(list);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "agent.hostPaths (env FLOATIP_OPERATOR_AGENT_HOST_PATHS) is not a list of host"
              + " directories such as [\"/run/keepalived\"]: "
              + e.getOriginalMessage(),
          e);
    }
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
        agentTolerations,
        agentMetricsPort,
        logFormat,
        finalizerTimeout,
        leaderElection,
        leaseName,
        imagePullSecrets,
        secretNamespaces,
        allowance,
        maxCandidates,
        operatorApiRate,
        agentApiRate);
  }

  public OperatorConfig withAllowance(AgentAllowance a) {
    return new OperatorConfig(
        namespace,
        agentName,
        image,
        imagePullPolicy,
        agentRequests,
        agentLimits,
        priorityClassName,
        agentTolerations,
        agentMetricsPort,
        logFormat,
        finalizerTimeout,
        leaderElection,
        leaseName,
        imagePullSecrets,
        secretNamespaces,
        a,
        maxCandidates,
        operatorApiRate,
        agentApiRate);
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
        agentTolerations,
        agentMetricsPort,
        logFormat,
        timeout,
        leaderElection,
        leaseName,
        imagePullSecrets,
        secretNamespaces,
        allowance,
        maxCandidates,
        operatorApiRate,
        agentApiRate);
  }
}
