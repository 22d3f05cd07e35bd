package dev.floatip.operator.model;

import static dev.floatip.operator.model.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.operator.OperatorConfig;
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

  @Test
  void agentPermissions() {
    ClusterRole role =
        AgentRbacFactory.clusterRole(CFG, List.of(vip("a", "{addresses: [192.0.2.1]}")));
    assertThat(verbs(role, "floatip.dev", "virtualips"))
        .containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(verbs(role, "floatip.dev", "virtualips/status")).containsExactly("patch");
    assertThat(verbs(role, "", "nodes")).contains("get", "list", "watch");
    assertThat(verbs(role, "", "pods")).containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(verbs(role, "", "events")).contains("create");
    assertThat(verbs(role, "", "secrets")).isEmpty();
    assertThat(role.getRules()).flatExtracting(PolicyRule::getVerbs).doesNotContain("*", "delete");
  }

  @Test
  void secretsOnlyByName() {
    ClusterRole role =
        AgentRbacFactory.clusterRole(
            CFG,
            List.of(
                vip(
                    "a",
                    "{addresses: [192.0.2.1], version: 2,"
                        + " authentication: {passwordSecretRef: {name: vrrp, key: pw}}}")));
    PolicyRule secrets =
        role.getRules().stream()
            .filter(r -> r.getResources().contains("secrets"))
            .findFirst()
            .orElseThrow();
    assertThat(secrets.getResourceNames()).containsExactly("vrrp");
    assertThat(secrets.getVerbs()).containsExactly("get");

    ClusterRole held = AgentRbacFactory.withoutSecretAccess(role);
    assertThat(verbs(held, "", "secrets")).isEmpty();
    assertThat(held.getRules()).hasSize(role.getRules().size() - 1);
    assertThat(held.getMetadata()).isEqualTo(role.getMetadata());
    ClusterRole plain =
        AgentRbacFactory.clusterRole(CFG, List.of(vip("a", "{addresses: [192.0.2.1]}")));
    assertThat(AgentRbacFactory.withoutSecretAccess(plain)).isEqualTo(plain);
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
