package dev.floatip.testing.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RbacAuthorizer against kube-apiserver's RBAC authorizer (plugin/pkg/auth/authorizer/rbac/rbac.go,
 * pkg/registry/rbac/validation/rule.go, the bootstrap policy) and its 403 messages
 * (responsewriters/errors.go Forbidden), one row per rule; then the chart's real RBAC
 * (manifests/install.yaml).
 */
class RbacAuthorizerTest {

  static final String OPERATOR = "system:serviceaccount:floatip:floatip-operator";
  static final String VIPS = "/apis/floatip.dev/v1alpha1/virtualips";
  static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/floatip/leases";

  // --- the fixture policy: one role and binding per rule under test -------------------------

  static PolicyRule rule(String group, String resource, String... verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(group)
        .withResources(resource)
        .withVerbs(verbs)
        .build();
  }

  static PolicyRule named(String group, String resource, List<String> names, String... verbs) {
    return new PolicyRuleBuilder(rule(group, resource, verbs)).withResourceNames(names).build();
  }

  static PolicyRule urls(List<String> urls, String... verbs) {
    return new PolicyRuleBuilder().withNonResourceURLs(urls).withVerbs(verbs).build();
  }

  static ClusterRole clusterRole(String name, PolicyRule... rules) {
    return new ClusterRoleBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withRules(rules)
        .build();
  }

  static Role role(String namespace, String name, PolicyRule... rules) {
    return new RoleBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withRules(rules)
        .build();
  }

  static Subject subject(String kind, String name, String namespace) {
    return new SubjectBuilder().withKind(kind).withName(name).withNamespace(namespace).build();
  }

  static ClusterRoleBinding clusterBinding(String name, String clusterRole, Subject... subjects) {
    return new ClusterRoleBindingBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewRoleRef(RbacPolicy.GROUP, "ClusterRole", clusterRole)
        .withSubjects(subjects)
        .build();
  }

  static RoleBinding binding(
      String namespace, String name, String kind, String roleName, Subject... subjects) {
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withNewRoleRef(RbacPolicy.GROUP, kind, roleName)
        .withSubjects(subjects)
        .build();
  }

  static final List<HasMetadata> FIXTURE =
      List.of(
          clusterRole("vip-reader", rule("floatip.dev", "virtualips", "get", "list", "watch")),
          clusterRole("status-writer", rule("floatip.dev", "virtualips/status", "patch")),
          clusterRole("any-status", rule("*", "*/status", "get")),
          clusterRole("floatip-all", rule("floatip.dev", "*", "*")),
          clusterRole(
              "named",
              named("", "configmaps", List.of("cm1"), "get", "create"),
              named("coordination.k8s.io", "leases", List.of("l1"), "list", "watch"),
              named("", "pods", List.of("p"), "deletecollection")),
          clusterRole("metrics", urls(List.of("/metrics", "/logs/*"), "get")),
          clusterRole("cm-reader", rule("", "configmaps", "get", "list")),
          role("a", "lease-reader", rule("coordination.k8s.io", "leases", "get")),
          clusterBinding("crb-reader", "vip-reader", subject("User", "alice", null)),
          clusterBinding(
              "crb-status", "status-writer", subject("ServiceAccount", "status", "floatip")),
          clusterBinding("crb-no-ns", "vip-reader", subject("ServiceAccount", "nons", null)),
          clusterBinding("crb-team", "floatip-all", subject("Group", "team", null)),
          clusterBinding("crb-any-status", "any-status", subject("User", "st", null)),
          clusterBinding("crb-named", "named", subject("User", "nina", null)),
          clusterBinding("crb-metrics", "metrics", subject("User", "mo", null)),
          binding("a", "rb-lease", "Role", "lease-reader", subject("User", "bob", null)),
          binding("a", "rb-cm", "ClusterRole", "cm-reader", subject("User", "carol", null)),
          binding(
              "a", "rb-sa", "ClusterRole", "cm-reader", subject("ServiceAccount", "dflt", null)),
          binding("a", "rb-gone", "ClusterRole", "gone", subject("User", "dave", null)),
          binding("a", "rb-metrics", "ClusterRole", "metrics", subject("User", "ron", null)),
          // other kinds are ignored
          new GenericKubernetesResource());

  static final RbacAuthorizer FIXTURE_AUTHORIZER = new RbacAuthorizer(RbacPolicy.of(FIXTURE));

  static UserInfo user(String name) {
    return switch (name) {
      case "admin" -> UserInfo.admin();
      case "tm" -> UserInfo.user("tm", "team");
      default ->
          name.startsWith("sa:")
              ? UserInfo.serviceAccount(name.split(":")[1], name.split(":")[2])
              : UserInfo.user(name);
    };
  }

  /** user, method, target, null when allowed else the exact 403 message. */
  static Stream<Arguments> fixtureRequests() {
    return Stream.of(
        // a ClusterRoleBinding grants at cluster scope; verbs are matched one by one
        Arguments.of("alice", "GET", VIPS, null),
        Arguments.of("alice", "GET", VIPS + "?watch=true", null),
        Arguments.of(
            "alice",
            "PATCH",
            VIPS + "/a",
            "virtualips.floatip.dev \"a\" is forbidden: User \"alice\" cannot patch resource"
                + " \"virtualips\" in API group \"floatip.dev\" at the cluster scope"),
        // a rule on virtualips does not grant virtualips/status, and the reverse
        Arguments.of(
            "alice",
            "PATCH",
            VIPS + "/a/status",
            "virtualips.floatip.dev \"a\" is forbidden: User \"alice\" cannot patch resource"
                + " \"virtualips/status\" in API group \"floatip.dev\" at the cluster scope"),
        Arguments.of("sa:floatip:status", "PATCH", VIPS + "/a/status", null),
        Arguments.of(
            "sa:floatip:status",
            "PATCH",
            VIPS + "/a",
            "virtualips.floatip.dev \"a\" is forbidden: User"
                + " \"system:serviceaccount:floatip:status\" cannot patch resource \"virtualips\""
                + " in API group \"floatip.dev\" at the cluster scope"),
        Arguments.of(
            "sa:floatip:floatip-agent",
            "PATCH",
            VIPS + "/a/status",
            "virtualips.floatip.dev \"a\" is forbidden: User"
                + " \"system:serviceaccount:floatip:floatip-agent\" cannot patch resource"
                + " \"virtualips/status\" in API group \"floatip.dev\" at the cluster scope"),
        // a ServiceAccount subject without namespace never matches in a ClusterRoleBinding
        Arguments.of(
            "sa:floatip:nons",
            "GET",
            VIPS,
            "virtualips.floatip.dev is forbidden: User \"system:serviceaccount:floatip:nons\""
                + " cannot list resource \"virtualips\" in API group \"floatip.dev\" at the"
                + " cluster scope"),
        // a Group subject; resources * and verbs * (subresources included), only in its group
        Arguments.of("tm", "DELETE", VIPS + "/a", null),
        Arguments.of("tm", "PUT", VIPS + "/a/status", null),
        Arguments.of(
            "tm",
            "GET",
            "/api/v1/pods",
            "pods is forbidden: User \"tm\" cannot list resource \"pods\" in API group \"\" at the"
                + " cluster scope"),
        // */status with apiGroups *
        Arguments.of("st", "GET", "/apis/apps/v1/namespaces/x/deployments/d/status", null),
        Arguments.of(
            "st",
            "GET",
            "/apis/apps/v1/namespaces/x/deployments/d",
            "deployments.apps \"d\" is forbidden: User \"st\" cannot get resource \"deployments\""
                + " in API group \"apps\" in the namespace \"x\""),
        // resourceNames: only requests that carry one of the names
        Arguments.of("nina", "GET", "/api/v1/namespaces/x/configmaps/cm1", null),
        Arguments.of(
            "nina",
            "GET",
            "/api/v1/namespaces/x/configmaps/cm2",
            "configmaps \"cm2\" is forbidden: User \"nina\" cannot get resource \"configmaps\" in"
                + " API group \"\" in the namespace \"x\""),
        // ... never a create (a POST carries no name)
        Arguments.of(
            "nina",
            "POST",
            "/api/v1/namespaces/x/configmaps",
            "configmaps is forbidden: User \"nina\" cannot create resource \"configmaps\" in API"
                + " group \"\" in the namespace \"x\""),
        // ... a list or watch only with the metadata.name field selector
        Arguments.of(
            "nina",
            "GET",
            "/apis/coordination.k8s.io/v1/namespaces/x/leases",
            "leases.coordination.k8s.io is forbidden: User \"nina\" cannot list resource"
                + " \"leases\" in API group \"coordination.k8s.io\" in the namespace \"x\""),
        Arguments.of(
            "nina",
            "GET",
            "/apis/coordination.k8s.io/v1/namespaces/x/leases?fieldSelector=metadata.name%3Dl1",
            null),
        Arguments.of(
            "nina",
            "GET",
            "/apis/coordination.k8s.io/v1/namespaces/x/leases?watch=1&fieldSelector=metadata.name%3Dl1",
            null),
        Arguments.of(
            "nina",
            "GET",
            "/apis/coordination.k8s.io/v1/namespaces/x/leases?watch=1",
            "leases.coordination.k8s.io is forbidden: User \"nina\" cannot watch resource"
                + " \"leases\" in API group \"coordination.k8s.io\" in the namespace \"x\""),
        // ... never a deletecollection
        Arguments.of(
            "nina",
            "DELETE",
            "/api/v1/namespaces/x/pods",
            "pods is forbidden: User \"nina\" cannot deletecollection resource \"pods\" in API"
                + " group \"\" in the namespace \"x\""),
        // nonResourceURLs: exact or * prefix, only from ClusterRoleBindings
        Arguments.of("mo", "GET", "/metrics", null),
        Arguments.of("mo", "GET", "/logs/kubelet.log", null),
        Arguments.of("mo", "GET", "/logs", "forbidden: User \"mo\" cannot get path \"/logs\""),
        Arguments.of(
            "mo", "POST", "/metrics", "forbidden: User \"mo\" cannot post path \"/metrics\""),
        Arguments.of(
            "ron", "GET", "/metrics", "forbidden: User \"ron\" cannot get path \"/metrics\""),
        // the message is HTML-sanitized
        Arguments.of(
            "ron", "GET", "/<b>", "forbidden: User \"ron\" cannot get path \"/&lt;b&gt;\""),
        // a RoleBinding grants in its namespace only, to a Role or a ClusterRole
        Arguments.of("bob", "GET", "/apis/coordination.k8s.io/v1/namespaces/a/leases/l", null),
        Arguments.of(
            "bob",
            "GET",
            "/apis/coordination.k8s.io/v1/namespaces/b/leases/l",
            "leases.coordination.k8s.io \"l\" is forbidden: User \"bob\" cannot get resource"
                + " \"leases\" in API group \"coordination.k8s.io\" in the namespace \"b\""),
        Arguments.of("carol", "GET", "/api/v1/namespaces/a/configmaps", null),
        Arguments.of(
            "carol",
            "GET",
            "/api/v1/namespaces/b/configmaps/c",
            "configmaps \"c\" is forbidden: User \"carol\" cannot get resource \"configmaps\" in"
                + " API group \"\" in the namespace \"b\""),
        Arguments.of(
            "carol",
            "GET",
            "/api/v1/configmaps",
            "configmaps is forbidden: User \"carol\" cannot list resource \"configmaps\" in API"
                + " group \"\" at the cluster scope"),
        // in a RoleBinding an SA subject without namespace is in the binding's namespace
        Arguments.of("sa:a:dflt", "GET", "/api/v1/namespaces/a/configmaps/c", null),
        Arguments.of(
            "sa:b:dflt",
            "GET",
            "/api/v1/namespaces/a/configmaps/c",
            "configmaps \"c\" is forbidden: User \"system:serviceaccount:b:dflt\" cannot get"
                + " resource \"configmaps\" in API group \"\" in the namespace \"a\""),
        // a binding to a missing role: the reason names it
        Arguments.of(
            "dave",
            "GET",
            "/api/v1/namespaces/a/configmaps/c",
            "configmaps \"c\" is forbidden: User \"dave\" cannot get resource \"configmaps\" in"
                + " API group \"\" in the namespace \"a\": RBAC: clusterrole.rbac.authorization.k8s.io"
                + " \"gone\" not found"),
        // the bootstrap policy: discovery, public info and self reviews for every authenticated
        // user, everything for system:masters
        Arguments.of("nobody", "GET", "/version", null),
        Arguments.of("nobody", "GET", "/api", null),
        Arguments.of("nobody", "GET", "/api/v1", null),
        Arguments.of("nobody", "GET", "/apis/floatip.dev/v1alpha1", null),
        Arguments.of("nobody", "GET", "/openapi/v2", null),
        Arguments.of("nobody", "GET", "/healthz", null),
        Arguments.of("nobody", "GET", "/readyz", null),
        Arguments.of(
            "nobody", "GET", "/metrics", "forbidden: User \"nobody\" cannot get path \"/metrics\""),
        Arguments.of(
            "nobody", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", null),
        Arguments.of(
            "nobody", "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", null),
        Arguments.of("nobody", "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", null),
        Arguments.of(
            "nobody",
            "POST",
            "/apis/authorization.k8s.io/v1/subjectaccessreviews",
            "subjectaccessreviews.authorization.k8s.io is forbidden: User \"nobody\" cannot"
                + " create resource \"subjectaccessreviews\" in API group \"authorization.k8s.io\""
                + " at the cluster scope"),
        Arguments.of("admin", "DELETE", "/api/v1/nodes/n", null),
        Arguments.of("admin", "GET", "/metrics", null),
        Arguments.of("admin", "DELETE", "/api/v1/namespaces/x/secrets", null));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("fixtureRequests")
  void authorizesAsKubeApiserver(String user, String method, String target, String refusal) {
    assertDecision(FIXTURE_AUTHORIZER, user(user), method, target, refusal);
  }

  @Test
  void requireThrowsTheForbiddenOfARefusal() {
    UserInfo alice = user("alice");
    assertThatCode(() -> FIXTURE_AUTHORIZER.require(alice, RequestInfo.parse("GET", VIPS)))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> FIXTURE_AUTHORIZER.require(alice, RequestInfo.parse("DELETE", VIPS + "/a")))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(403))
        .hasMessage(
            "virtualips.floatip.dev \"a\" is forbidden: User \"alice\" cannot delete resource"
                + " \"virtualips\" in API group \"floatip.dev\" at the cluster scope");
  }

  static void assertDecision(
      RbacAuthorizer authorizer, UserInfo user, String method, String target, String refusal) {
    RequestInfo request = RequestInfo.parse(method, target);
    Decision decision = authorizer.authorize(user, request);
    if (refusal == null) {
      assertThat(decision.allowed()).as(decision.reason()).isTrue();
    } else {
      assertThat(decision.allowed()).as("refused").isFalse();
      ApiError error = RbacAuthorizer.forbidden(user, request, decision.reason());
      assertThat(error.code()).isEqualTo(403);
      assertThat(error.reason()).isEqualTo("Forbidden");
      assertThat(error.getMessage()).isEqualTo(refusal);
    }
  }

  @Test
  void anAllowNamesTheBindingAsRbacDoes() {
    assertThat(
            FIXTURE_AUTHORIZER
                .authorize(
                    user("sa:floatip:status"), RequestInfo.parse("PATCH", VIPS + "/a/status"))
                .reason())
        .isEqualTo(
            "RBAC: allowed by ClusterRoleBinding \"crb-status\" of ClusterRole \"status-writer\""
                + " to ServiceAccount \"status/floatip\"");
    assertThat(
            FIXTURE_AUTHORIZER
                .authorize(
                    user("sa:a:dflt"), RequestInfo.parse("GET", "/api/v1/namespaces/a/configmaps"))
                .reason())
        .isEqualTo(
            "RBAC: allowed by RoleBinding \"rb-sa/a\" of ClusterRole \"cm-reader\" to"
                + " ServiceAccount \"dflt/a\"");
  }

  // --- the chart's real RBAC --------------------------------------------------------------

  static final RbacAuthorizer CHART =
      new RbacAuthorizer(RbacPolicy.load(Path.of("manifests", "install.yaml")));

  /** The operator's requests against manifests/install.yaml as the chart renders it today. */
  static Stream<Arguments> chartRequests() {
    return Stream.of(
        // defect 1, the server-side half: Fabric8's LeaseLock renews with PATCH, the chart grants
        // its Lease get/update by name only
        Arguments.of(
            OPERATOR,
            "PATCH",
            LEASES + "/floatip-operator",
            "leases.coordination.k8s.io \"floatip-operator\" is forbidden: User"
                + " \"system:serviceaccount:floatip:floatip-operator\" cannot patch resource"
                + " \"leases\" in API group \"coordination.k8s.io\" in the namespace \"floatip\""),
        Arguments.of(OPERATOR, "PUT", LEASES + "/floatip-operator", null),
        Arguments.of(OPERATOR, "GET", LEASES + "/floatip-operator", null),
        Arguments.of(OPERATOR, "POST", LEASES, null),
        Arguments.of(
            OPERATOR,
            "GET",
            LEASES + "/other",
            "leases.coordination.k8s.io \"other\" is forbidden: User"
                + " \"system:serviceaccount:floatip:floatip-operator\" cannot get resource"
                + " \"leases\" in API group \"coordination.k8s.io\" in the namespace \"floatip\""),
        // the namespaced Role applies in the release namespace only
        Arguments.of(
            OPERATOR, "GET", "/apis/apps/v1/namespaces/floatip/daemonsets?watch=true", null),
        Arguments.of(
            OPERATOR,
            "GET",
            "/apis/apps/v1/namespaces/default/daemonsets",
            "daemonsets.apps is forbidden: User \"system:serviceaccount:floatip:floatip-operator\""
                + " cannot list resource \"daemonsets\" in API group \"apps\" in the namespace"
                + " \"default\""),
        Arguments.of(OPERATOR, "PATCH", VIPS + "/a/status", null),
        Arguments.of(OPERATOR, "PATCH", VIPS + "/a", null),
        // creating a ClusterRole is authorized (the escalation check is RbacWriteChecks')
        Arguments.of(OPERATOR, "POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", null),
        Arguments.of(
            OPERATOR, "PUT", "/apis/rbac.authorization.k8s.io/v1/clusterroles/floatip-agent", null),
        Arguments.of(
            OPERATOR,
            "PUT",
            "/apis/rbac.authorization.k8s.io/v1/clusterroles/admin",
            "clusterroles.rbac.authorization.k8s.io \"admin\" is forbidden: User"
                + " \"system:serviceaccount:floatip:floatip-operator\" cannot update resource"
                + " \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster"
                + " scope"),
        Arguments.of(
            OPERATOR,
            "GET",
            "/api/v1/namespaces/x/secrets/s",
            "secrets \"s\" is forbidden: User \"system:serviceaccount:floatip:floatip-operator\""
                + " cannot get resource \"secrets\" in API group \"\" in the namespace \"x\""),
        Arguments.of(
            OPERATOR,
            "GET",
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/virtualips.floatip.dev",
            null),
        Arguments.of(
            OPERATOR,
            "GET",
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
            "customresourcedefinitions.apiextensions.k8s.io is forbidden: User"
                + " \"system:serviceaccount:floatip:floatip-operator\" cannot list resource"
                + " \"customresourcedefinitions\" in API group \"apiextensions.k8s.io\" at the"
                + " cluster scope"),
        // the agents' RBAC is not in the chart: the operator writes it
        Arguments.of(
            "system:serviceaccount:floatip:floatip-agent",
            "GET",
            VIPS,
            "virtualips.floatip.dev is forbidden: User"
                + " \"system:serviceaccount:floatip:floatip-agent\" cannot list resource"
                + " \"virtualips\" in API group \"floatip.dev\" at the cluster scope"));
  }

  @ParameterizedTest(name = "{1} {2}")
  @MethodSource("chartRequests")
  void theChartsRbac(String user, String method, String target, String refusal) {
    String[] sa = user.split(":");
    assertDecision(CHART, UserInfo.serviceAccount(sa[2], sa[3]), method, target, refusal);
  }

  // --- rulesFor, the policy store ---------------------------------------------------------

  static final List<PolicyRule> BOOTSTRAP_AUTHENTICATED =
      List.of(
          urls(
              List.of(
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
                  "/apis/*"),
              "get"),
          new PolicyRuleBuilder(rule("authorization.k8s.io", "selfsubjectaccessreviews", "create"))
              .withResources("selfsubjectaccessreviews", "selfsubjectrulesreviews")
              .build(),
          rule("authentication.k8s.io", "selfsubjectreviews", "create"),
          urls(List.of("/livez", "/readyz", "/healthz", "/version", "/version/"), "get"));

  @Test
  void rulesForAUserWithoutBindingsAreTheBootstrapOnes() {
    assertThat(CHART.rulesFor(UserInfo.serviceAccount("floatip", "floatip-agent"), null))
        .containsExactlyInAnyOrderElementsOf(BOOTSTRAP_AUTHENTICATED);
  }

  @Test
  void rulesForTheOperatorAddTheRoleInItsNamespaceOnly() {
    UserInfo operator = UserInfo.serviceAccount("floatip", "floatip-operator");
    List<PolicyRule> clusterRole =
        CHART.policy().clusterRole("floatip-operator").orElseThrow().getRules();
    List<PolicyRule> role =
        CHART.policy().role("floatip", "floatip-operator").orElseThrow().getRules();
    assertThat(CHART.rulesFor(operator, null))
        .containsExactlyInAnyOrderElementsOf(concat(BOOTSTRAP_AUTHENTICATED, clusterRole));
    assertThat(CHART.rulesFor(operator, "default"))
        .containsExactlyInAnyOrderElementsOf(concat(BOOTSTRAP_AUTHENTICATED, clusterRole));
    assertThat(CHART.rulesFor(operator, "floatip"))
        .containsExactlyInAnyOrderElementsOf(
            concat(concat(BOOTSTRAP_AUTHENTICATED, clusterRole), role));
    assertThat(role)
        .contains(
            named("coordination.k8s.io", "leases", List.of("floatip-operator"), "get", "update"));
  }

  private static List<PolicyRule> concat(List<PolicyRule> a, List<PolicyRule> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }

  @Test
  void loadKeepsTheRbacObjectsOfTheChartAndIgnoresTheRest() {
    RbacPolicy policy = CHART.policy();
    assertThat(policy.clusterRoleBindings())
        .extracting(b -> b.getMetadata().getName())
        .containsExactly("floatip-operator");
    assertThat(policy.roleBindings("floatip"))
        .extracting(b -> b.getMetadata().getName())
        .containsExactly("floatip-operator");
    assertThat(policy.roleBindings("default")).isEmpty();
    assertThat(policy.clusterRole("floatip-operator")).isPresent();
    assertThat(policy.clusterRole("floatip-agent")).isEmpty();
  }

  @Test
  void putAndRemoveChangeWhatIsAllowed() {
    RbacPolicy policy = RbacPolicy.of(List.of());
    RbacAuthorizer authorizer = new RbacAuthorizer(policy);
    UserInfo eve = UserInfo.user("eve");
    RequestInfo get = RequestInfo.parse("GET", "/api/v1/namespaces/a/configmaps/c");
    assertThat(authorizer.authorize(eve, get).allowed()).isFalse();

    // a generic resource of an RBAC kind, as the API server holds objects, counts too
    KubernetesSerialization json = new KubernetesSerialization();
    policy.put(
        json.unmarshal(
            json.asJson(role("a", "r", rule("", "configmaps", "get"))),
            GenericKubernetesResource.class));
    policy.put(binding("a", "rb", "Role", "r", subject("User", "eve", null)));
    assertThat(authorizer.authorize(eve, get).allowed()).isTrue();

    policy.remove("RoleBinding", "a", "rb");
    assertThat(authorizer.authorize(eve, get).allowed()).isFalse();
    assertThat(policy.role("a", "r").orElseThrow().getRules())
        .containsExactly(rule("", "configmaps", "get"));
    policy.remove("Role", "a", "r");
    assertThat(policy.role("a", "r")).isEmpty();
  }

  @Test
  void storedObjectsCannotBeChangedFromOutside() {
    ClusterRole r = clusterRole("c", rule("", "pods", "get"));
    RbacPolicy policy = RbacPolicy.of(List.of(r));
    r.getRules().clear();
    policy.clusterRole("c").orElseThrow().getRules().clear();
    assertThat(policy.clusterRole("c").orElseThrow().getRules()).hasSize(1);
  }

  @Test
  void forbiddenShapes() {
    UserInfo u = UserInfo.user("u");
    assertThat(RbacAuthorizer.forbidden(u, RequestInfo.parse("GET", "/foo"), "").getMessage())
        .isEqualTo("forbidden: User \"u\" cannot get path \"/foo\"");
    assertThat(RbacAuthorizer.forbidden(u, RequestInfo.parse("POST", VIPS), "RBAC: x").getMessage())
        .isEqualTo(
            "virtualips.floatip.dev is forbidden: User \"u\" cannot create resource"
                + " \"virtualips\" in API group \"floatip.dev\" at the cluster scope: RBAC: x");
  }
}
