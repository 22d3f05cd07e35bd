package dev.floatip.operator.model;

import dev.floatip.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;

/**
 * The agents' identity and cluster-wide permissions, all named {@code agentName}: exactly what the
 * agent's cluster mode calls (dev.floatip.agent.cluster):
 *
 * <ul>
 *   <li>get/list/watch virtualips (informer), patch virtualips/status (each agent its own {@code
 *       status.nodes} key, StatusReporter);
 *   <li>get/list/watch nodes (informer: peers, selection, maintenance);
 *   <li>get/list/watch pods ({@code track.pods}: KubePodWatch).
 * </ul>
 *
 * <p>No Secrets here: the chart renders a Role {@code <agentName>-secrets} ({@code get} on secrets)
 * in the release namespace and in each of {@code agent.secretNamespaces}, bound to the agents'
 * ServiceAccount, and the operator refuses a {@code passwordSecretRef} elsewhere. A ClusterRole
 * cannot limit a Secret name to a namespace, and the VirtualIP's author picks both. No {@code nodes
 * patch} and no {@code events}: agents write neither. Because the operator holds every rule here
 * itself (helm/floatip/templates/rbac.yaml), it may create and bind this ClusterRole without {@code
 * escalate} or {@code bind} (kube-apiserver: pkg/registry/rbac/validation/rule.go,
 * ConfirmNoEscalation).
 */
public final class AgentRbacFactory {

  private AgentRbacFactory() {}

  public static ServiceAccount serviceAccount(OperatorConfig cfg) {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(cfg.agentName())
        .withNamespace(cfg.namespace())
        .withLabels(Labels.agent())
        .endMetadata()
        .build();
  }

  /** The agents' ClusterRole: the same for every set of VirtualIPs. */
  public static ClusterRole clusterRole(OperatorConfig cfg) {
    List<PolicyRule> rules =
        List.of(
            rule(VirtualIP.GROUP, "virtualips", "get", "list", "watch"),
            rule(VirtualIP.GROUP, "virtualips/status", "patch"),
            rule("", "nodes", "get", "list", "watch"),
            rule("", "pods", "get", "list", "watch"));
    return new ClusterRoleBuilder()
        .withNewMetadata()
        .withName(cfg.agentName())
        .withLabels(Labels.agent())
        .endMetadata()
        .withRules(rules)
        .build();
  }

  public static ClusterRoleBinding clusterRoleBinding(OperatorConfig cfg) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(cfg.agentName())
        .withLabels(Labels.agent())
        .endMetadata()
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("ClusterRole")
        .withName(cfg.agentName())
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(cfg.agentName())
        .withNamespace(cfg.namespace())
        .endSubject()
        .build();
  }

  private static PolicyRule rule(String group, String resource, String... verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(group)
        .withResources(resource)
        .withVerbs(verbs)
        .build();
  }
}
