package dev.floatip.testing.apiserver;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * kube-apiserver's RBAC authorizer (plugin/pkg/auth/authorizer/rbac) over a {@link RbacPolicy},
 * plus the bootstrap policy every cluster has (system:masters, discovery, self reviews).
 *
 * <p>Rules are gathered as pkg/registry/rbac/validation/rule.go VisitRulesFor does: every
 * ClusterRoleBinding that names the user, then (for a namespaced request) the RoleBindings of that
 * namespace; a binding whose role is missing contributes an error instead of rules.
 */
public final class RbacAuthorizer {

  private final RbacPolicy policy;

  public RbacAuthorizer(RbacPolicy policy) {
    this.policy = policy;
  }

  public RbacPolicy policy() {
    return policy;
  }

  /**
   * Whether kube-apiserver lets {@code user} make {@code request}. On a refusal the reason is what
   * kube passes on to {@link #forbidden}: empty, or {@code RBAC: …} naming bindings whose role is
   * missing. On an allow it names the binding, as the RBAC authorizer's reason does.
   */
  public Decision authorize(UserInfo user, RequestInfo request) {
    // kube-apiserver puts the privileged-groups authorizer (system:masters) before RBAC
    if (user.groups().contains(UserInfo.MASTERS)) {
      return Decision.allow("");
    }
    List<String> errors = new ArrayList<>();
    Optional<String> allowedBy =
        visit(user, request.namespace(), NotFound.LISTER, errors)
            .filter(g -> RbacRules.allows(g.rule(), request))
            .map(g -> "RBAC: allowed by " + g.source())
            .findFirst();
    if (allowedBy.isPresent()) {
      return Decision.allow(allowedBy.get());
    }
    return Decision.deny(errors.isEmpty() ? "" : "RBAC: " + aggregate(errors));
  }

  /**
   * {@link #authorize}, refusing with kube-apiserver's 403.
   *
   * @throws ApiError 403 Forbidden with the message of {@link #forbidden}
   */
  public void require(UserInfo user, RequestInfo request) {
    Decision decision = authorize(user, request);
    if (!decision.allowed()) {
      throw forbidden(user, request, decision.reason());
    }
  }

  /**
   * The rules that apply to {@code user} in {@code namespace} (cluster-wide ones included), as a
   * SelfSubjectRulesReview answers them; {@code namespace} null for cluster scope only.
   */
  public List<PolicyRule> rulesFor(UserInfo user, String namespace) {
    return resolve(user, namespace == null ? "" : namespace, NotFound.LISTER).rules();
  }

  /** The rules of a user in a namespace ("" for cluster scope) and the errors met on the way. */
  record Resolution(List<PolicyRule> rules, List<String> errors) {}

  Resolution resolve(UserInfo user, String namespace, NotFound style) {
    List<String> errors = new ArrayList<>();
    List<PolicyRule> rules = visit(user, namespace, style, errors).map(Granted::rule).toList();
    return new Resolution(rules, List.copyOf(errors));
  }

  /**
   * The rules of the role a binding in {@code bindingNamespace} ("" for a ClusterRoleBinding)
   * references (rule.go GetRoleReferenceRules), or empty with the error in {@code errors}.
   */
  Optional<List<PolicyRule>> roleRefRules(
      RoleRef ref, String bindingNamespace, NotFound style, List<String> errors) {
    String name = ref.getName();
    String kind = Objects.toString(ref.getKind(), "");
    switch (kind) {
      case "Role" -> {
        Optional<Role> role = policy.role(bindingNamespace, name);
        if (role.isEmpty()) {
          errors.add(style.message("role", name));
        }
        return role.map(r -> rules(r.getRules()));
      }
      case "ClusterRole" -> {
        Optional<ClusterRole> role =
            policy.clusterRole(name).or(() -> BootstrapPolicy.clusterRole(name));
        if (role.isEmpty()) {
          errors.add(style.message("clusterrole", name));
        }
        return role.map(r -> rules(r.getRules()));
      }
      default -> {
        errors.add("unsupported role reference kind: " + RbacRules.goQuote(kind));
        return Optional.empty();
      }
    }
  }

  /**
   * How a missing role is reported: the authorizer reads informers' listers ({@code
   * clusterrole.rbac.authorization.k8s.io "x" not found}), the RBAC registry reads its storage
   * ({@code clusterroles.rbac.authorization.k8s.io "x" not found}).
   */
  enum NotFound {
    LISTER,
    REGISTRY;

    String message(String singular, String name) {
      String resource = this == LISTER ? singular : singular + "s";
      return resource + "." + RbacPolicy.GROUP + " " + RbacRules.goQuote(name) + " not found";
    }
  }

  /** A rule, and the binding that grants it (rbac.go's describers). */
  record Granted(PolicyRule rule, String source) {}

  private Stream<Granted> visit(
      UserInfo user, String namespace, NotFound style, List<String> errors) {
    List<Granted> granted = new ArrayList<>();
    List<ClusterRoleBinding> clusterBindings =
        new ArrayList<>(BootstrapPolicy.CLUSTER_ROLE_BINDINGS);
    clusterBindings.addAll(policy.clusterRoleBindings());
    for (ClusterRoleBinding b : clusterBindings) {
      Optional<Subject> subject = appliesTo(user, b.getSubjects(), "");
      if (subject.isEmpty()) {
        continue;
      }
      String source =
          "ClusterRoleBinding %s of %s %s to %s"
              .formatted(
                  RbacRules.goQuote(b.getMetadata().getName()),
                  b.getRoleRef().getKind(),
                  RbacRules.goQuote(b.getRoleRef().getName()),
                  describe(subject.get(), ""));
      roleRefRules(b.getRoleRef(), "", style, errors)
          .ifPresent(rules -> rules.forEach(r -> granted.add(new Granted(r, source))));
    }
    if (!namespace.isEmpty()) {
      for (RoleBinding b : policy.roleBindings(namespace)) {
        Optional<Subject> subject = appliesTo(user, b.getSubjects(), namespace);
        if (subject.isEmpty()) {
          continue;
        }
        String source =
            "RoleBinding %s of %s %s to %s"
                .formatted(
                    RbacRules.goQuote(b.getMetadata().getName() + "/" + namespace),
                    b.getRoleRef().getKind(),
                    RbacRules.goQuote(b.getRoleRef().getName()),
                    describe(subject.get(), namespace));
        roleRefRules(b.getRoleRef(), namespace, style, errors)
            .ifPresent(rules -> rules.forEach(r -> granted.add(new Granted(r, source))));
      }
    }
    return granted.stream();
  }

  /**
   * rule.go appliesToUser: User by name, Group by membership, ServiceAccount by namespace and name.
   * An SA subject without a namespace takes the binding's namespace in a RoleBinding (kube defaults
   * it there) and so never matches in a ClusterRoleBinding.
   */
  private static Optional<Subject> appliesTo(
      UserInfo user, List<Subject> subjects, String namespace) {
    if (subjects == null) {
      return Optional.empty();
    }
    return subjects.stream()
        .filter(
            s ->
                switch (String.valueOf(s.getKind())) {
                  case "User" -> user.name().equals(s.getName());
                  case "Group" -> user.groups().contains(s.getName());
                  case "ServiceAccount" -> {
                    String ns =
                        s.getNamespace() == null || s.getNamespace().isEmpty()
                            ? namespace
                            : s.getNamespace();
                    yield !ns.isEmpty()
                        && user.name()
                            .equals(UserInfo.SERVICE_ACCOUNT_PREFIX + ns + ":" + s.getName());
                  }
                  default -> false;
                })
        .findFirst();
  }

  private static String describe(Subject s, String bindingNamespace) {
    if ("ServiceAccount".equals(s.getKind())) {
      String ns =
          s.getNamespace() == null || s.getNamespace().isEmpty()
              ? bindingNamespace
              : s.getNamespace();
      return s.getKind() + " " + RbacRules.goQuote(s.getName() + "/" + ns);
    }
    return s.getKind() + " " + RbacRules.goQuote(s.getName());
  }

  private static List<PolicyRule> rules(List<PolicyRule> rules) {
    return rules == null ? List.of() : List.copyOf(rules);
  }

  /** apimachinery util/errors aggregate: one message as is, several deduplicated in brackets. */
  static String aggregate(List<String> messages) {
    Set<String> unique = new LinkedHashSet<>(messages);
    return unique.size() == 1 ? unique.iterator().next() : "[" + String.join(", ", unique) + "]";
  }

  /**
   * The 403 kube-apiserver answers with (responsewriters/errors.go Forbidden and apimachinery's
   * NewForbidden), e.g. {@code virtualips.floatip.dev "a" is forbidden: User
   * "system:serviceaccount:floatip:floatip-agent" cannot patch resource "virtualips/status" in API
   * group "floatip.dev" at the cluster scope}; {@code reason} is the refusing {@link Decision}'s.
   */
  public static ApiError forbidden(UserInfo user, RequestInfo request, String reason) {
    String msg = sanitize(forbiddenMessage(user, request));
    String err = reason == null || reason.isEmpty() ? msg : msg + ": " + reason;
    return forbidden(request.apiGroup(), request.resource(), request.name(), err);
  }

  /** apimachinery api/errors NewForbidden: {@code RESOURCE.GROUP "NAME" is forbidden: ERR}. */
  static ApiError forbidden(String group, String resource, String name, String err) {
    String qualified = group.isEmpty() ? resource : resource + "." + group;
    String message;
    if (group.isEmpty() && resource.isEmpty()) {
      message = "forbidden: " + err;
    } else if (name.isEmpty()) {
      message = qualified + " is forbidden: " + err;
    } else {
      message = qualified + " " + RbacRules.goQuote(name) + " is forbidden: " + err;
    }
    return new ApiError(403, "Forbidden", message);
  }

  private static String forbiddenMessage(UserInfo user, RequestInfo request) {
    String who = RbacRules.goQuote(user.name());
    if (!request.resourceRequest()) {
      return "User %s cannot %s path %s"
          .formatted(who, request.verb(), RbacRules.goQuote(request.path()));
    }
    String what =
        "User %s cannot %s resource %s in API group %s"
            .formatted(
                who,
                request.verb(),
                RbacRules.goQuote(request.combinedResource()),
                RbacRules.goQuote(request.apiGroup()));
    return request.namespace().isEmpty()
        ? what + " at the cluster scope"
        : what + " in the namespace " + RbacRules.goQuote(request.namespace());
  }

  /** errors.go: "avoid emitting errors that look like valid HTML". */
  private static String sanitize(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
