package dev.floatip.testing.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The RBAC registry's checks on writes of RBAC objects (pkg/registry/rbac): a Role or ClusterRole
 * may be created or updated only by a user who holds every permission in it or may {@code escalate}
 * it; a RoleBinding or ClusterRoleBinding only by one who holds every permission of the referenced
 * role or may {@code bind} it (a binding to a missing role is answered with the role's 404).
 *
 * <p>Order and messages follow pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/
 * policybased/storage.go, escalation_check.go and validation/rule.go ConfirmNoEscalation. Deletes
 * are not checked (kube does not either).
 */
public final class RbacWriteChecks {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** clusterrole/policybased/storage.go fullAuthority: what an aggregationRule requires. */
  private static final List<PolicyRule> FULL_AUTHORITY =
      List.of(
          new PolicyRuleBuilder().withVerbs("*").withApiGroups("*").withResources("*").build(),
          new PolicyRuleBuilder().withVerbs("*").withNonResourceURLs("*").build());

  private final RbacAuthorizer authorizer;

  public RbacWriteChecks(RbacAuthorizer authorizer) {
    this.authorizer = authorizer;
  }

  /**
   * Checks a create, update or patch of an RBAC object (after the patch is applied).
   *
   * @param request the authorized request (its name is empty on create, as in kube-apiserver)
   * @param object the Role, ClusterRole, RoleBinding or ClusterRoleBinding to be stored
   * @throws ApiError 403 with kube-apiserver's message when refused
   */
  public void check(UserInfo user, RequestInfo request, HasMetadata object) {
    check(user, request, object, null);
  }

  /**
   * As {@link #check(UserInfo, RequestInfo, HasMetadata)}, with the stored object of an update or
   * patch: an update that changes only ownerReferences or finalizers (what the garbage collector
   * writes) is not checked (escalation_check.go IsOnlyMutatingGCFields).
   */
  public void check(UserInfo user, RequestInfo request, HasMetadata object, HasMetadata stored) {
    HasMetadata typed = RbacPolicy.typed(object);
    boolean write = Set.of("create", "update", "patch").contains(request.verb());
    if (typed == null || !write) {
      return;
    }
    // escalation_check.go EscalationAllowed: system:masters may write anything
    if (user.groups().contains(UserInfo.MASTERS)) {
      return;
    }
    boolean update = !request.verb().equals("create");
    HasMetadata old = update ? RbacPolicy.typed(stored) : null;
    if (onlyGcFieldsChange(typed, old)) {
      return;
    }
    String name = typed.getMetadata().getName();
    switch (typed) {
      case Role r -> checkRole(user, request, "roles", name, rules(r.getRules()), false);
      case ClusterRole r ->
          checkRole(
              user,
              request,
              "clusterroles",
              name,
              rules(r.getRules()),
              hasAggregationRule(r) || (old instanceof ClusterRole o && hasAggregationRule(o)));
      case RoleBinding b -> checkBinding(user, request, "rolebindings", name, b.getRoleRef());
      case ClusterRoleBinding b ->
          checkBinding(user, request, "clusterrolebindings", name, b.getRoleRef());
      default -> {}
    }
  }

  private void checkRole(
      UserInfo user,
      RequestInfo request,
      String resource,
      String name,
      List<PolicyRule> rules,
      boolean aggregation) {
    // escalation_check.go RoleEscalationAuthorized: verb escalate on the request's own group,
    // resource, namespace and NAME. A create is a POST to the collection: its name is empty, so a
    // resourceNames-restricted escalate never matches it.
    if (isRoleResource(request)
        && authorizer
            .authorize(
                user,
                RequestInfo.resource(
                    "escalate",
                    request.apiGroup(),
                    request.namespace(),
                    request.resource(),
                    request.name()))
            .allowed()) {
      return;
    }
    confirmNoEscalation(user, request.namespace(), rules)
        .ifPresent(
            err -> {
              throw RbacAuthorizer.forbidden(RbacPolicy.GROUP, resource, name, err);
            });
    if (aggregation && confirmNoEscalation(user, request.namespace(), FULL_AUTHORITY).isPresent()) {
      throw RbacAuthorizer.forbidden(
          RbacPolicy.GROUP,
          resource,
          name,
          "must have cluster-admin privileges to use the aggregationRule");
    }
  }

  /**
   * clusterrole/policybased/storage.go hasAggregationRule: at least one selector. Setting one, or
   * changing a role that has one, needs * on everything.
   */
  private static boolean hasAggregationRule(ClusterRole role) {
    return role.getAggregationRule() != null
        && role.getAggregationRule().getClusterRoleSelectors() != null
        && !role.getAggregationRule().getClusterRoleSelectors().isEmpty();
  }

  private static boolean isRoleResource(RequestInfo request) {
    return request.resourceRequest()
        && request.apiGroup().equals(RbacPolicy.GROUP)
        && (request.resource().equals("roles") || request.resource().equals("clusterroles"));
  }

  private void checkBinding(
      UserInfo user, RequestInfo request, String resource, String name, RoleRef roleRef) {
    String namespace = request.namespace();
    // escalation_check.go BindingAuthorized: verb bind on the referenced role BY NAME, in the
    // binding's namespace ("" for a ClusterRoleBinding): a named bind matches a create too
    String roleResource =
        switch (String.valueOf(roleRef.getKind())) {
          case "ClusterRole" -> "clusterroles";
          case "Role" -> "roles";
          default -> null;
        };
    if (roleResource != null
        && authorizer
            .authorize(
                user,
                RequestInfo.resource(
                    "bind",
                    java.util.Objects.toString(roleRef.getApiGroup(), ""),
                    namespace,
                    roleResource,
                    roleRef.getName()))
            .allowed()) {
      return;
    }
    List<String> errors = new ArrayList<>();
    Optional<List<PolicyRule>> rules =
        authorizer.roleRefRules(roleRef, namespace, RbacAuthorizer.NotFound.REGISTRY, errors);
    if (rules.isEmpty()) {
      // policybased/storage.go returns the resolver's error as is: the registry's 404 for a
      // missing role; a plain error (unsupported kind) is answered as a 500
      String err = RbacAuthorizer.aggregate(errors);
      throw err.endsWith(" not found")
          ? new ApiError(404, "NotFound", err)
          : new ApiError(500, "InternalError", "Internal error occurred: " + err);
    }
    confirmNoEscalation(user, namespace, rules.get())
        .ifPresent(
            err -> {
              throw RbacAuthorizer.forbidden(RbacPolicy.GROUP, resource, name, err);
            });
  }

  /**
   * rule.go ConfirmNoEscalation: the user's own rules in the request's namespace must cover every
   * rule; else the message listing the missing ones (compacted, one per line, sorted).
   */
  Optional<String> confirmNoEscalation(UserInfo user, String namespace, List<PolicyRule> rules) {
    RbacAuthorizer.Resolution own =
        authorizer.resolve(user, namespace, RbacAuthorizer.NotFound.REGISTRY);
    List<PolicyRule> missing = RbacRules.uncovered(own.rules(), rules);
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    TreeSet<String> descriptions = new TreeSet<>();
    RbacRules.compact(missing).forEach(r -> descriptions.add(RbacRules.compactString(r)));
    String msg =
        "user %s (groups=%s) is attempting to grant RBAC permissions not currently held:\n%s"
            .formatted(
                RbacRules.goQuote(user.name()),
                RbacRules.goQuote(user.groups()),
                String.join("\n", descriptions));
    if (!own.errors().isEmpty()) {
      // Go's %v of a one-element []error holding the resolver's aggregate
      msg += "; resolution errors: [" + RbacAuthorizer.aggregate(own.errors()) + "]";
    }
    return Optional.of(msg);
  }

  private static List<PolicyRule> rules(List<PolicyRule> rules) {
    return rules == null ? List.of() : rules;
  }

  /**
   * escalation_check.go IsOnlyMutatingGCFields: the new object equals the stored one once its
   * ownerReferences, finalizers, selfLink and managedFields are taken from the stored one (compared
   * as JSON, empty and absent alike, as apimachinery's semantic equality does).
   */
  private static boolean onlyGcFieldsChange(HasMetadata object, HasMetadata stored) {
    if (stored == null) {
      return false;
    }
    JsonNode a = normalized(object);
    JsonNode b = normalized(stored);
    return a.equals(b);
  }

  private static JsonNode normalized(HasMetadata object) {
    JsonNode tree = SERIALIZATION.convertValue(object, JsonNode.class);
    if (tree.get("metadata") instanceof ObjectNode meta) {
      meta.remove(List.of("ownerReferences", "finalizers", "selfLink", "managedFields"));
    }
    return dropEmpty(tree);
  }

  private static JsonNode dropEmpty(JsonNode node) {
    if (node.isContainerNode()) {
      if (node.isObject()) {
        Iterator<String> names = node.fieldNames();
        List<String> empty = new ArrayList<>();
        while (names.hasNext()) {
          String n = names.next();
          JsonNode child = dropEmpty(node.get(n));
          if (child.isNull() || (child.isContainerNode() && child.isEmpty())) {
            empty.add(n);
          }
        }
        ((ObjectNode) node).remove(empty);
      } else {
        node.elements().forEachRemaining(RbacWriteChecks::dropEmpty);
      }
    }
    return node;
  }
}
