package dev.floatip.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentRbacFactoryTest {

  private static final OperatorConfig CFG = OperatorConfig.defaults();

  private static List<String> verbs(ClusterRole role, String group, String resource) {
    return role.getRules().stream()
        .filter(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource))
        .flatMap(r -> r.getVerbs().stream())
        .toList();
  }

  /**
   * Exactly what the agent's cluster mode calls (issue 11, defect 7): no Secrets cluster-wide (a
   * Role per allowed namespace, from the chart), no nodes patch, no events.
   */
  @Test
  void agentPermissionsAreExactlyWhatTheAgentCalls() {
    ClusterRole role = AgentRbacFactory.clusterRole(CFG);
    assertThat(verbs(role, "floatip.dev", "virtualips"))
        .containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(verbs(role, "floatip.dev", "virtualips/status")).containsExactly("patch");
    assertThat(verbs(role, "", "nodes")).containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(verbs(role, "", "pods")).containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(role.getRules())
        .flatExtracting(PolicyRule::getResources)
        .containsExactlyInAnyOrder("virtualips", "virtualips/status", "nodes", "pods");
    assertThat(verbs(role, "", "secrets")).isEmpty();
    assertThat(verbs(role, "", "events")).isEmpty();
    assertThat(verbs(role, "events.k8s.io", "events")).isEmpty();
    assertThat(role.getRules())
        .flatExtracting(PolicyRule::getVerbs)
        .doesNotContain("*", "delete", "create", "update");
    assertThat(role.getRules()).allSatisfy(r -> assertThat(r.getResourceNames()).isNullOrEmpty());
  }

  @Test
  void bindingTiesTheServiceAccountToTheRole() {
    ClusterRoleBinding b = AgentRbacFactory.clusterRoleBinding(CFG);
    assertThat(b.getRoleRef().getName()).isEqualTo("floatip-agent");
    assertThat(b.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo("floatip-agent");
              assertThat(s.getNamespace()).isEqualTo("floatip-system");
            });
    assertThat(AgentRbacFactory.serviceAccount(CFG).getMetadata().getNamespace())
        .isEqualTo("floatip-system");
  }
}
