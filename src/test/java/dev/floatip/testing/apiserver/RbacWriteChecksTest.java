package dev.floatip.testing.apiserver;

import static dev.floatip.testing.apiserver.RbacAuthorizerTest.binding;
import static dev.floatip.testing.apiserver.RbacAuthorizerTest.clusterBinding;
import static dev.floatip.testing.apiserver.RbacAuthorizerTest.clusterRole;
import static dev.floatip.testing.apiserver.RbacAuthorizerTest.named;
import static dev.floatip.testing.apiserver.RbacAuthorizerTest.role;
import static dev.floatip.testing.apiserver.RbacAuthorizerTest.rule;
import static dev.floatip.testing.apiserver.RbacAuthorizerTest.subject;
import static dev.floatip.testing.apiserver.RbacAuthorizerTest.urls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RbacWriteChecks against the RBAC registry (pkg/registry/rbac/.../policybased/storage.go,
 * escalation_check.go, validation/rule.go ConfirmNoEscalation, policy_comparator.go Covers), on the
 * chart's real RBAC (manifests/install.yaml) plus a few users of its own; messages exact.
 */
class RbacWriteChecksTest {

  static final String OPERATOR = "operator";
  static final String CLUSTER_ROLES = "/apis/rbac.authorization.k8s.io/v1/clusterroles";
  static final String CLUSTER_ROLE_BINDINGS =
      "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings";
  static final String OPERATOR_HOLDS =
      "user \"system:serviceaccount:floatip:floatip-operator\" (groups=[\"system:serviceaccounts\""
          + " \"system:serviceaccounts:floatip\" \"system:authenticated\"]) is attempting to grant"
          + " RBAC permissions not currently held:\n";

  static final PolicyRule SECRET_GET = named("", "secrets", List.of("vrrp-pass"), "get");

  /** The agents' ClusterRole as the operator writes it for a VirtualIP with passwordSecretRef. */
  static ClusterRole agentRole(String name, boolean withSecret) {
    List<PolicyRule> rules =
        Stream.of(
                rule("floatip.dev", "virtualips", "get", "list", "watch"),
                rule("floatip.dev", "virtualips/status", "patch"),
                rule("", "nodes", "get", "list", "watch"),
                rule("", "pods", "get", "list", "watch"),
                withSecret ? SECRET_GET : null)
            .filter(r -> r != null)
            .toList();
    return clusterRole(name, rules.toArray(PolicyRule[]::new));
  }

  static final RbacWriteChecks CHECKS;

  static {
    RbacPolicy policy = RbacPolicy.load(Path.of("manifests", "install.yaml"));
    List.<HasMetadata>of(
            agentRole("floatip-agent", true),
            clusterRole("vip-get", rule("floatip.dev", "virtualips", "get")),
            clusterRole("escalator", rule(RbacPolicy.GROUP, "clusterroles", "escalate")),
            clusterBinding("crb-esc", "escalator", subject("User", "esc", null)),
            clusterRole(
                "holder",
                rule("*", "*/status", "get"),
                urls(List.of("/logs/*"), "get"),
                named("", "configmaps", List.of("a"), "get")),
            clusterBinding("crb-holder", "holder", subject("User", "holder", null)),
            clusterBinding("crb-gone", "gone", subject("User", "dave", null)))
        .forEach(policy::put);
    CHECKS = new RbacWriteChecks(new RbacAuthorizer(policy));
  }

  static UserInfo user(String name) {
    return switch (name) {
      case OPERATOR -> UserInfo.serviceAccount("floatip", "floatip-operator");
      case "admin" -> UserInfo.admin();
      default -> UserInfo.user(name);
    };
  }

  static ClusterRole withFinalizer(ClusterRole r) {
    return new ClusterRoleBuilder(r).editMetadata().addToFinalizers("x/y").endMetadata().build();
  }

  static ClusterRole aggregated(String name) {
    return new ClusterRoleBuilder(clusterRole(name))
        .withNewAggregationRule()
        .addNewClusterRoleSelector()
        .addToMatchLabels("a", "b")
        .endClusterRoleSelector()
        .endAggregationRule()
        .build();
  }

  /**
   * user, method, target, object, stored (or null), null when allowed else the refusal's message (a
   * 403 unless it starts with another code).
   */
  static Stream<Arguments> writes() {
    return Stream.of(
        // defect 2, the server-side half: a POST carries no name, so the operator's escalate on
        // floatip-agent does not apply and it does not hold the Secret rule itself
        Arguments.of(
            OPERATOR,
            "POST",
            CLUSTER_ROLES,
            agentRole("floatip-agent", true),
            null,
            "clusterroles.rbac.authorization.k8s.io \"floatip-agent\" is forbidden: "
                + OPERATOR_HOLDS
                + "{APIGroups:[\"\"], Resources:[\"secrets\"], ResourceNames:[\"vrrp-pass\"],"
                + " Verbs:[\"get\"]}"),
        // ... while an update by name is covered by the named escalate
        Arguments.of(
            OPERATOR,
            "PUT",
            CLUSTER_ROLES + "/floatip-agent",
            agentRole("floatip-agent", true),
            agentRole("floatip-agent", false),
            null),
        Arguments.of(
            OPERATOR,
            "PATCH",
            CLUSTER_ROLES + "/floatip-agent",
            agentRole("floatip-agent", true),
            agentRole("floatip-agent", false),
            null),
        // ... and creating the reduced role needs nothing the operator lacks
        Arguments.of(
            OPERATOR, "POST", CLUSTER_ROLES, agentRole("floatip-agent", false), null, null),
        // escalate is on floatip-agent only
        Arguments.of(
            OPERATOR,
            "PUT",
            CLUSTER_ROLES + "/other",
            agentRole("other", true),
            agentRole("other", false),
            "clusterroles.rbac.authorization.k8s.io \"other\" is forbidden: "
                + OPERATOR_HOLDS
                + "{APIGroups:[\"\"], Resources:[\"secrets\"], ResourceNames:[\"vrrp-pass\"],"
                + " Verbs:[\"get\"]}"),
        // an escalate without resourceNames allows a create too
        Arguments.of("esc", "POST", CLUSTER_ROLES, agentRole("x", true), null, null),
        // system:masters may write anything
        Arguments.of(
            "admin",
            "POST",
            CLUSTER_ROLES,
            clusterRole("all", rule("*", "*", "*"), urls(List.of("*"), "*")),
            null,
            null),
        // an update that only changes what the garbage collector writes is not checked
        Arguments.of(
            OPERATOR,
            "PUT",
            CLUSTER_ROLES + "/other",
            withFinalizer(agentRole("other", true)),
            agentRole("other", true),
            null),
        Arguments.of(
            OPERATOR,
            "PUT",
            CLUSTER_ROLES + "/other",
            withFinalizer(agentRole("other", true)),
            agentRole("other", false),
            "clusterroles.rbac.authorization.k8s.io \"other\" is forbidden: "
                + OPERATOR_HOLDS
                + "{APIGroups:[\"\"], Resources:[\"secrets\"], ResourceNames:[\"vrrp-pass\"],"
                + " Verbs:[\"get\"]}"),
        // deletes are not checked
        Arguments.of(
            OPERATOR, "DELETE", CLUSTER_ROLES + "/other", agentRole("other", true), null, null),
        // a binding: a named bind matches a create (its name is the roleRef's)
        Arguments.of(
            OPERATOR,
            "POST",
            CLUSTER_ROLE_BINDINGS,
            clusterBinding(
                "floatip-agent",
                "floatip-agent",
                subject("ServiceAccount", "floatip-agent", "floatip")),
            null,
            null),
        // ... else the writer must hold every rule of the role
        Arguments.of(
            OPERATOR,
            "POST",
            CLUSTER_ROLE_BINDINGS,
            clusterBinding("x", "vip-get", subject("User", "u", null)),
            null,
            null),
        Arguments.of(
            OPERATOR,
            "POST",
            CLUSTER_ROLE_BINDINGS,
            clusterBinding("x", "cluster-admin", subject("User", "u", null)),
            null,
            "clusterrolebindings.rbac.authorization.k8s.io \"x\" is forbidden: "
                + OPERATOR_HOLDS
                + "{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}\n"
                + "{NonResourceURLs:[\"*\"], Verbs:[\"*\"]}"),
        // ... and a missing role cannot be resolved: refused with the registry's 404
        Arguments.of(
            OPERATOR,
            "POST",
            CLUSTER_ROLE_BINDINGS,
            clusterBinding("x", "ghost", subject("User", "u", null)),
            null,
            "404 clusterroles.rbac.authorization.k8s.io \"ghost\" not found"),
        Arguments.of(
            "admin",
            "POST",
            CLUSTER_ROLE_BINDINGS,
            clusterBinding("x", "ghost", subject("User", "u", null)),
            null,
            null),
        Arguments.of(
            OPERATOR,
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/namespaces/floatip/rolebindings",
            binding("floatip", "rb", "Group", "g", subject("User", "u", null)),
            null,
            "500 Internal error occurred: unsupported role reference kind: \"Group\""),
        // a RoleBinding: the role is looked up, and the rules held, in the binding's namespace
        Arguments.of(
            OPERATOR,
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/namespaces/floatip/rolebindings",
            binding("floatip", "rb", "Role", "floatip-operator", subject("User", "u", null)),
            null,
            null),
        Arguments.of(
            OPERATOR,
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
            binding("default", "rb", "Role", "floatip-operator", subject("User", "u", null)),
            null,
            "404 roles.rbac.authorization.k8s.io \"floatip-operator\" not found"),
        // the operator's cluster-wide named bind lets it bind floatip-agent in any namespace
        Arguments.of(
            OPERATOR,
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
            binding("default", "rb", "ClusterRole", "floatip-agent", subject("User", "u", null)),
            null,
            null),
        Arguments.of(
            OPERATOR,
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings",
            binding("default", "rb", "ClusterRole", "holder", subject("User", "u", null)),
            null,
            "rolebindings.rbac.authorization.k8s.io \"rb\" is forbidden: "
                + OPERATOR_HOLDS
                + "{APIGroups:[\"\"], Resources:[\"configmaps\"], ResourceNames:[\"a\"],"
                + " Verbs:[\"get\"]}\n"
                + "{APIGroups:[\"*\"], Resources:[\"*/status\"], Verbs:[\"get\"]}\n"
                + "{NonResourceURLs:[\"/logs/*\"], Verbs:[\"get\"]}"),
        // a Role: rules held in its namespace (the operator's Role counts in floatip only)
        Arguments.of(
            OPERATOR,
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/namespaces/floatip/roles",
            role(
                "floatip",
                "r",
                rule("apps", "daemonsets", "get"),
                named("coordination.k8s.io", "leases", List.of("floatip-operator"), "get")),
            null,
            null),
        Arguments.of(
            OPERATOR,
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/namespaces/floatip/roles",
            role(
                "floatip",
                "r",
                named("coordination.k8s.io", "leases", List.of("floatip-operator"), "patch")),
            null,
            "roles.rbac.authorization.k8s.io \"r\" is forbidden: "
                + OPERATOR_HOLDS
                + "{APIGroups:[\"coordination.k8s.io\"], Resources:[\"leases\"],"
                + " ResourceNames:[\"floatip-operator\"], Verbs:[\"patch\"]}"),
        // missing rules are broken down, compacted per group/resource/name and sorted
        Arguments.of(
            OPERATOR,
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles",
            role(
                "default",
                "r",
                new PolicyRuleBuilder()
                    .withApiGroups("", "apps")
                    .withResources("secrets", "daemonsets")
                    .withVerbs("get", "list")
                    .build(),
                rule("", "configmaps", "get")),
            null,
            "roles.rbac.authorization.k8s.io \"r\" is forbidden: "
                + OPERATOR_HOLDS
                + "{APIGroups:[\"\"], Resources:[\"configmaps\"], Verbs:[\"get\"]}\n"
                + "{APIGroups:[\"\"], Resources:[\"daemonsets\"], Verbs:[\"get\" \"list\"]}\n"
                + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"list\"]}\n"
                + "{APIGroups:[\"apps\"], Resources:[\"daemonsets\"], Verbs:[\"get\" \"list\"]}\n"
                + "{APIGroups:[\"apps\"], Resources:[\"secrets\"], Verbs:[\"get\" \"list\"]}"),
        // coverage of subresources by */sub, of URLs by a * prefix, of names by the same names
        Arguments.of(
            "holder",
            "POST",
            CLUSTER_ROLES,
            clusterRole("c", rule("", "pods/status", "get")),
            null,
            null),
        Arguments.of(
            "holder",
            "POST",
            CLUSTER_ROLES,
            clusterRole("c", rule("", "pods", "get")),
            null,
            "clusterroles.rbac.authorization.k8s.io \"c\" is forbidden: user \"holder\""
                + " (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not"
                + " currently held:\n{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\"]}"),
        Arguments.of(
            "holder",
            "POST",
            CLUSTER_ROLES,
            clusterRole("c", urls(List.of("/logs/a"), "get")),
            null,
            null),
        Arguments.of(
            "holder",
            "POST",
            CLUSTER_ROLES,
            clusterRole("c", urls(List.of("/logs"), "get")),
            null,
            "clusterroles.rbac.authorization.k8s.io \"c\" is forbidden: user \"holder\""
                + " (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not"
                + " currently held:\n{NonResourceURLs:[\"/logs\"], Verbs:[\"get\"]}"),
        Arguments.of(
            "holder",
            "POST",
            CLUSTER_ROLES,
            clusterRole("c", named("", "configmaps", List.of("a"), "get")),
            null,
            null),
        Arguments.of(
            "holder",
            "POST",
            CLUSTER_ROLES,
            clusterRole("c", rule("", "configmaps", "get")),
            null,
            "clusterroles.rbac.authorization.k8s.io \"c\" is forbidden: user \"holder\""
                + " (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not"
                + " currently held:\n{APIGroups:[\"\"], Resources:[\"configmaps\"],"
                + " Verbs:[\"get\"]}"),
        // an aggregationRule needs * on everything
        Arguments.of(
            OPERATOR,
            "POST",
            CLUSTER_ROLES,
            aggregated("agg"),
            null,
            "clusterroles.rbac.authorization.k8s.io \"agg\" is forbidden: must have cluster-admin"
                + " privileges to use the aggregationRule"),
        Arguments.of("admin", "POST", CLUSTER_ROLES, aggregated("agg"), null, null),
        // ... and so does dropping one (the stored role counts on an update)
        Arguments.of(
            OPERATOR,
            "PUT",
            CLUSTER_ROLES + "/agg",
            clusterRole("agg"),
            aggregated("agg"),
            "clusterroles.rbac.authorization.k8s.io \"agg\" is forbidden: must have cluster-admin"
                + " privileges to use the aggregationRule"),
        Arguments.of(OPERATOR, "POST", CLUSTER_ROLES, clusterRole("agg"), null, null),
        // a binding to a missing role adds resolution errors to the message
        Arguments.of(
            "dave",
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/namespaces/a/roles",
            role("a", "r", rule("", "configmaps", "get")),
            null,
            "roles.rbac.authorization.k8s.io \"r\" is forbidden: user \"dave\""
                + " (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not"
                + " currently held:\n{APIGroups:[\"\"], Resources:[\"configmaps\"], Verbs:[\"get\"]};"
                + " resolution errors: [clusterroles.rbac.authorization.k8s.io \"gone\" not found]"),
        // other kinds are not RBAC writes
        Arguments.of(
            "dave",
            "POST",
            "/api/v1/namespaces/a/configmaps",
            new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build(),
            null,
            null));
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @MethodSource("writes")
  void checksAsTheRbacRegistry(
      String user,
      String method,
      String target,
      HasMetadata object,
      HasMetadata stored,
      String refusal) {
    RequestInfo request = RequestInfo.parse(method, target);
    if (refusal == null) {
      assertThatCode(() -> CHECKS.check(user(user), request, object, stored))
          .doesNotThrowAnyException();
    } else {
      int code = refusal.matches("^[0-9]{3} .*") ? Integer.parseInt(refusal.substring(0, 3)) : 403;
      String message = code == 403 ? refusal : refusal.substring(4);
      assertThatThrownBy(() -> CHECKS.check(user(user), request, object, stored))
          .isInstanceOfSatisfying(
              ApiError.class,
              e -> {
                assertThat(e.code()).isEqualTo(code);
                assertThat(e.reason())
                    .isEqualTo(
                        switch (code) {
                          case 404 -> "NotFound";
                          case 500 -> "InternalError";
                          default -> "Forbidden";
                        });
              })
          .hasMessage(message);
    }
  }
}
