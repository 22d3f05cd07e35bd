package dev.floatip.testing.apiserver;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;
import java.util.Optional;

/**
 * The part of kube-apiserver's bootstrap RBAC policy (plugin/pkg/auth/authorizer/rbac/
 * bootstrappolicy/policy.go ClusterRoles and ClusterRoleBindings) that every client of a cluster
 * relies on: cluster-admin for group system:masters, and for every authenticated user discovery,
 * the public info (healthz, version) and the self reviews.
 */
final class BootstrapPolicy {

  private BootstrapPolicy() {}

  static final List<ClusterRole> CLUSTER_ROLES =
      List.of(
          clusterRole(
              "cluster-admin",
              new PolicyRuleBuilder().withVerbs("*").withApiGroups("*").withResources("*").build(),
              new PolicyRuleBuilder().withVerbs("*").withNonResourceURLs("*").build()),
          clusterRole(
              "system:discovery",
              new PolicyRuleBuilder()
                  .withVerbs("get")
                  .withNonResourceURLs(
                      "/livez",
                      "/readyz",
                      "/healthz",
                      "/version",
                      "/version/",
                      "/openapi",
                      "/openapi/*",
                      "/api",
                      "/api/*",
                      "/apis",
                      "/apis/*")
                  .build()),
          clusterRole(
              "system:basic-user",
              new PolicyRuleBuilder()
                  .withVerbs("create")
                  .withApiGroups("authorization.k8s.io")
                  .withResources("selfsubjectaccessreviews", "selfsubjectrulesreviews")
                  .build(),
              new PolicyRuleBuilder()
                  .withVerbs("create")
                  .withApiGroups("authentication.k8s.io")
                  .withResources("selfsubjectreviews")
                  .build()),
          clusterRole(
              "system:public-info-viewer",
              new PolicyRuleBuilder()
                  .withVerbs("get")
                  .withNonResourceURLs("/livez", "/readyz", "/healthz", "/version", "/version/")
                  .build()));

  static final List<ClusterRoleBinding> CLUSTER_ROLE_BINDINGS =
      List.of(
          groupBinding("cluster-admin", UserInfo.MASTERS),
          groupBinding("system:discovery", UserInfo.AUTHENTICATED),
          groupBinding("system:basic-user", UserInfo.AUTHENTICATED),
          groupBinding(
              "system:public-info-viewer", UserInfo.AUTHENTICATED, "system:unauthenticated"));

  static Optional<ClusterRole> clusterRole(String name) {
    return CLUSTER_ROLES.stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
  }

  private static ClusterRole clusterRole(String name, PolicyRule... rules) {
    return new ClusterRoleBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("kubernetes.io/bootstrapping", "rbac-defaults")
        .endMetadata()
        .withRules(rules)
        .build();
  }

  private static ClusterRoleBinding groupBinding(String role, String... groups) {
    ClusterRoleBindingBuilder b =
        new ClusterRoleBindingBuilder()
            .withNewMetadata()
            .withName(role)
            .endMetadata()
            .withNewRoleRef(RbacPolicy.GROUP, "ClusterRole", role);
    for (String group : groups) {
      b.addNewSubject(RbacPolicy.GROUP, "Group", group, null);
    }
    return b.build();
  }
}
