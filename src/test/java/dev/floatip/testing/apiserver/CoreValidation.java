package dev.floatip.testing.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * kube-apiserver's validation of the built-in objects floatip and its tests write, in the generic
 * registry's order (apiserver/pkg/registry/rest create.go BeforeCreate, update.go BeforeUpdate):
 * the namespace is matched with the request's (cleared on cluster-scoped kinds, a 400 when it
 * differs), the kind's strategy validation runs (Events: pkg/apis/core/validation/events.go;
 * DaemonSets: apps/validation with the pod template; Leases: coordination/validation; RBAC:
 * rbac/validation; the others: their ObjectMeta name rule), then the common ObjectMeta validation
 * with path-segment names. Kinds not listed here are accepted as they are.
 */
public final class CoreValidation {

  private CoreValidation() {}

  private interface Rules {
    List<FieldError> validate(RequestInfo request, JsonNode object, JsonNode stored);
  }

  /** A kind: its group and Kind (for the message), scope, and its strategy's validation. */
  private record Kind(String group, String kind, boolean namespaced, Rules rules) {}

  private static Rules meta(ObjectMetaValidation.NameRule name, boolean namespaced) {
    return (r, o, s) -> {
      List<FieldError> errs = new ArrayList<>();
      if (s != null) {
        errs.addAll(
            ObjectMetaValidation.validateUpdate(
                o.path("metadata"), s.path("metadata"), "metadata"));
      }
      errs.addAll(ObjectMetaValidation.validate(o.path("metadata"), namespaced, name, "metadata"));
      return errs;
    };
  }

  private static final Map<String, Kind> KINDS =
      Map.ofEntries(
          Map.entry(
              "/events",
              new Kind("", "Event", true, (r, o, s) -> EventValidation.validate(o, s, false))),
          Map.entry(
              "events.k8s.io/events",
              new Kind(
                  "events.k8s.io",
                  "Event",
                  true,
                  (r, o, s) -> EventValidation.validate(o, s, true))),
          Map.entry(
              "apps/daemonsets",
              new Kind(
                  "apps", "DaemonSet", true, (r, o, s) -> PodTemplateValidation.daemonSet(o, s))),
          Map.entry(
              "coordination.k8s.io/leases",
              new Kind("coordination.k8s.io", "Lease", true, CoreValidation::lease)),
          Map.entry(
              "/serviceaccounts",
              new Kind("", "ServiceAccount", true, meta(ObjectMetaValidation::dnsSubdomain, true))),
          Map.entry(
              "/secrets",
              new Kind("", "Secret", true, meta(ObjectMetaValidation::dnsSubdomain, true))),
          Map.entry(
              "/configmaps",
              new Kind("", "ConfigMap", true, meta(ObjectMetaValidation::dnsSubdomain, true))),
          Map.entry(
              "/pods", new Kind("", "Pod", true, meta(ObjectMetaValidation::dnsSubdomain, true))),
          Map.entry(
              "/nodes",
              new Kind("", "Node", false, meta(ObjectMetaValidation::dnsSubdomain, false))),
          Map.entry(
              "/namespaces",
              new Kind("", "Namespace", false, meta(ObjectMetaValidation::dnsLabel, false))),
          Map.entry(
              "rbac.authorization.k8s.io/clusterroles",
              new Kind(
                  RbacObjectValidation.GROUP,
                  "ClusterRole",
                  false,
                  (r, o, s) -> RbacObjectValidation.role(o, false))),
          Map.entry(
              "rbac.authorization.k8s.io/roles",
              new Kind(
                  RbacObjectValidation.GROUP,
                  "Role",
                  true,
                  (r, o, s) -> RbacObjectValidation.role(o, true))),
          Map.entry(
              "rbac.authorization.k8s.io/clusterrolebindings",
              new Kind(
                  RbacObjectValidation.GROUP,
                  "ClusterRoleBinding",
                  false,
                  (r, o, s) -> RbacObjectValidation.binding(o, s, false))),
          Map.entry(
              "rbac.authorization.k8s.io/rolebindings",
              new Kind(
                  RbacObjectValidation.GROUP,
                  "RoleBinding",
                  true,
                  (r, o, s) -> RbacObjectValidation.binding(o, s, true))));

  /** Whether this class validates writes of the request's resource. */
  public static boolean validates(RequestInfo request) {
    return KINDS.containsKey(key(request));
  }

  /**
   * Validates a create or update of a built-in object (after any patch is applied). Like the
   * generic registry, it sets the namespace of a namespaced object sent without one to the
   * request's and clears it on a cluster-scoped kind, in {@code object}.
   *
   * @param request the request: apiGroup, resource, namespace, subresource (writes to a subresource
   *     are only checked for immutable metadata)
   * @param stored the stored object on update, null on create
   * @throws ApiError 422 Invalid naming every field problem, as kube-apiserver would; 400 when the
   *     object's namespace is not the request's
   */
  public static void validate(RequestInfo request, ObjectNode object, ObjectNode stored) {
    Kind kind = KINDS.get(key(request));
    if (kind == null) {
      return;
    }
    ObjectMetaValidation.ensureNamespace(object, request.namespace(), kind.namespaced());
    String name = object.path("metadata").path("name").asText("");
    String sub = request.subresource();
    List<FieldError> errs =
        sub == null || sub.isEmpty()
            ? kind.rules().validate(request, object, stored)
            : ObjectMetaValidation.validateUpdate(
                object.path("metadata"),
                stored == null ? object.path("metadata") : stored.path("metadata"),
                "metadata");
    if (!errs.isEmpty()) {
      throw ApiError.invalid(kind.group(), kind.kind(), name, errs);
    }
    // common ObjectMeta validation, after the strategy's (BeforeCreate / BeforeUpdate)
    errs =
        stored == null
            ? ObjectMetaValidation.validate(
                object.path("metadata"),
                kind.namespaced(),
                ObjectMetaValidation::pathSegment,
                "metadata")
            : ObjectMetaValidation.validateUpdate(
                object.path("metadata"), stored.path("metadata"), "metadata");
    if (!errs.isEmpty()) {
      throw ApiError.invalid(kind.group(), kind.kind(), name, errs);
    }
  }

  private static String key(RequestInfo request) {
    return (request.apiGroup() == null ? "" : request.apiGroup()) + "/" + request.resource();
  }

  /** ValidateLease (pkg/apis/coordination/validation). */
  private static List<FieldError> lease(RequestInfo r, JsonNode lease, JsonNode stored) {
    List<FieldError> errs =
        meta(ObjectMetaValidation::dnsSubdomain, true).validate(r, lease, stored);
    JsonNode spec = lease.path("spec");
    JsonNode duration = spec.get("leaseDurationSeconds");
    if (duration != null && !duration.isNull() && duration.asLong() <= 0) {
      errs.add(
          FieldError.invalid(
              "spec.leaseDurationSeconds", duration.asLong(), "must be greater than 0"));
    }
    JsonNode transitions = spec.get("leaseTransitions");
    if (transitions != null && !transitions.isNull() && transitions.asLong() < 0) {
      errs.add(
          FieldError.invalid(
              "spec.leaseTransitions", transitions.asLong(), "must be greater than or equal to 0"));
    }
    return errs;
  }
}
