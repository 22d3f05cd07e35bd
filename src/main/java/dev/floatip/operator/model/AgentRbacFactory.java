package dev.floatip.operator.model;

import dev.floatip.api.v1alpha1.AuthenticationSpec;
import dev.floatip.api.v1alpha1.ClusterContract;
import dev.floatip.api.v1alpha1.SecretKeyRef;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.operator.OperatorConfig;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The agents' identity and permissions, all named {@code agentName}:
 *
 * <ul>
 *   <li>get/list/watch virtualips, patch virtualips/status (each agent its own {@code status.nodes}
 *       key);
 *   <li>get/list/watch nodes (peers, selection) and pods (pod checks);
 *   <li>patch nodes: the {@value ClusterContract#FOREIGN_VRIDS_ANNOTATION} annotation;
 *   <li>create/patch events (core and events.k8s.io);
 *   <li>get on exactly the Secrets that {@code authentication.passwordSecretRef} names, only while
 *       some VirtualIP names one.
 * </ul>
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

  public static ClusterRole clusterRole(OperatorConfig cfg, List<VirtualIP> vips) {
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(rule(VirtualIP.GROUP, "virtualips", "get", "list", "watch"));
    rules.add(rule(VirtualIP.GROUP, "virtualips/status", "patch"));
    rules.add(rule("", "nodes", "get", "list", "watch", "patch"));
    rules.add(rule("", "pods", "get", "list", "watch"));
    rules.add(rule("", "events", "create", "patch"));
    rules.add(rule("events.k8s.io", "events", "create", "patch"));
    List<String> secrets = secretNames(vips);
    if (!secrets.isEmpty()) {
      rules.add(
          new PolicyRuleBuilder()
              .withApiGroups("")
              .withResources("secrets")
              .withResourceNames(secrets)
              .withVerbs("get")
              .build());
    }
    return new ClusterRoleBuilder()
        .withNewMetadata()
        .withName(cfg.agentName())
        .withLabels(Labels.agent())
        .endMetadata()
        .withRules(rules)
        .build();
  }

  /**
   * The same ClusterRole without its Secret rule: the rules the operator itself holds, so that it
   * may create the ClusterRole without {@code escalate} (see AgentResources).
   */
  public static ClusterRole withoutSecretAccess(ClusterRole role) {
    return new ClusterRoleBuilder(role)
        .withRules(
            role.getRules().stream()
                .filter(r -> r.getResources() == null || !r.getResources().contains("secrets"))
                .toList())
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

  /**
   * Names of the referenced Secrets, sorted. A ClusterRole cannot restrict namespaces, so a name
   * grants that name in every namespace; keep the names specific.
   */
  static List<String> secretNames(List<VirtualIP> vips) {
    TreeSet<String> names = new TreeSet<>();
    for (VirtualIP v : vips) {
      AuthenticationSpec a = v.getSpec().authentication();
      SecretKeyRef ref = a == null ? null : a.passwordSecretRef();
      if (ref != null && ref.name() != null) {
        names.add(ref.name());
      }
    }
    return List.copyOf(names.stream().filter(Objects::nonNull).toList());
  }

  private static PolicyRule rule(String group, String resource, String... verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(group)
        .withResources(resource)
        .withVerbs(verbs)
        .build();
  }
}
