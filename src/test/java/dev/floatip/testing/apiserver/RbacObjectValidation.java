package dev.floatip.testing.apiserver;

import static dev.floatip.testing.apiserver.ObjectMetaValidation.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Validation of RBAC objects (pkg/apis/rbac/validation/validation.go): names are path-segment names
 * (ValidateRBACName), rules need verbs, api groups and resources (or only non-resource URLs,
 * cluster-wide), a binding's roleRef is in the RBAC group, a Role or ClusterRole (a
 * ClusterRoleBinding: a ClusterRole), and immutable; subjects are ServiceAccounts (namespace
 * required in cluster bindings), Users or Groups. Subjects' apiGroup is defaulted as in rbac/v1
 * SetDefaults_Subject.
 */
final class RbacObjectValidation {

  private RbacObjectValidation() {}

  static final String GROUP = "rbac.authorization.k8s.io";

  static List<FieldError> role(JsonNode role, boolean namespaced) {
    List<FieldError> errs =
        ObjectMetaValidation.validate(
            role.path("metadata"), namespaced, ObjectMetaValidation::pathSegment, "metadata");
    JsonNode rules = role.path("rules");
    for (int i = 0; i < rules.size(); i++) {
      errs.addAll(policyRule(rules.get(i), namespaced, "rules[" + i + "]"));
    }
    return errs;
  }

  /** ValidatePolicyRule. */
  static List<FieldError> policyRule(JsonNode rule, boolean namespaced, String path) {
    List<FieldError> errs = new ArrayList<>();
    if (rule.path("verbs").isEmpty()) {
      errs.add(FieldError.required(path + ".verbs", "verbs must contain at least one value"));
    }
    JsonNode urls = rule.path("nonResourceURLs");
    if (!urls.isEmpty()) {
      FieldError.GoValue value = goStrings(urls);
      if (namespaced) {
        errs.add(
            FieldError.invalid(
                path + ".nonResourceURLs",
                value,
                "namespaced rules cannot apply to non-resource URLs"));
      }
      if (!rule.path("apiGroups").isEmpty()
          || !rule.path("resources").isEmpty()
          || !rule.path("resourceNames").isEmpty()) {
        errs.add(
            FieldError.invalid(
                path + ".nonResourceURLs",
                value,
                "rules cannot apply to both regular resources and non-resource URLs"));
      }
      return errs;
    }
    if (rule.path("apiGroups").isEmpty()) {
      errs.add(
          FieldError.required(
              path + ".apiGroups", "resource rules must supply at least one api group"));
    }
    if (rule.path("resources").isEmpty()) {
      errs.add(
          FieldError.required(
              path + ".resources", "resource rules must supply at least one resource"));
    }
    return errs;
  }

  /** ValidateRoleBinding / ValidateClusterRoleBinding, and the update's immutable roleRef. */
  static List<FieldError> binding(JsonNode binding, JsonNode stored, boolean namespaced) {
    List<FieldError> errs =
        ObjectMetaValidation.validate(
            binding.path("metadata"), namespaced, ObjectMetaValidation::pathSegment, "metadata");
    JsonNode ref = binding.path("roleRef");
    if (!text(ref, "apiGroup").equals(GROUP)) {
      errs.add(FieldError.notSupported("roleRef.apiGroup", text(ref, "apiGroup"), List.of(GROUP)));
    }
    List<String> kinds = namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole");
    if (!kinds.contains(text(ref, "kind"))) {
      errs.add(FieldError.notSupported("roleRef.kind", text(ref, "kind"), kinds));
    }
    String name = text(ref, "name");
    if (name.isEmpty()) {
      errs.add(FieldError.required("roleRef.name", ""));
    } else {
      ObjectMetaValidation.pathSegment(name)
          .forEach(m -> errs.add(FieldError.invalid("roleRef.name", name, m)));
    }
    JsonNode subjects = binding.path("subjects");
    for (int i = 0; i < subjects.size(); i++) {
      errs.addAll(subject(subjects.get(i), namespaced, "subjects[" + i + "]"));
    }
    if (stored != null && !stored.path("roleRef").equals(ref)) {
      errs.add(
          FieldError.invalid(
              "roleRef",
              new FieldError.GoValue(
                  "rbac.RoleRef{APIGroup:"
                      + FieldError.quote(text(ref, "apiGroup"))
                      + ", Kind:"
                      + FieldError.quote(text(ref, "kind"))
                      + ", Name:"
                      + FieldError.quote(name)
                      + "}"),
              "cannot change roleRef"));
    }
    return errs;
  }

  /** ValidateRoleBindingSubject. */
  static List<FieldError> subject(JsonNode s, boolean namespaced, String path) {
    List<FieldError> errs = new ArrayList<>();
    String name = text(s, "name");
    String kind = text(s, "kind");
    String apiGroup = text(s, "apiGroup");
    if (apiGroup.isEmpty() && (kind.equals("User") || kind.equals("Group"))) {
      apiGroup = GROUP; // SetDefaults_Subject
    }
    if (name.isEmpty()) {
      errs.add(FieldError.required(path + ".name", ""));
    }
    switch (kind) {
      case "ServiceAccount" -> {
        if (!name.isEmpty()) {
          ObjectMetaValidation.dnsSubdomain(name)
              .forEach(m -> errs.add(FieldError.invalid(path + ".name", name, m)));
        }
        if (!apiGroup.isEmpty()) {
          errs.add(FieldError.notSupported(path + ".apiGroup", apiGroup, List.of("")));
        }
        if (!namespaced && text(s, "namespace").isEmpty()) {
          errs.add(FieldError.required(path + ".namespace", ""));
        }
      }
      case "User", "Group" -> {
        if (!apiGroup.equals(GROUP)) {
          errs.add(FieldError.notSupported(path + ".apiGroup", apiGroup, List.of(GROUP)));
        }
      }
      default ->
          errs.add(
              FieldError.notSupported(
                  path + ".kind", kind, List.of("ServiceAccount", "User", "Group")));
    }
    return errs;
  }

  private static FieldError.GoValue goStrings(JsonNode list) {
    List<String> items = new ArrayList<>();
    list.forEach(v -> items.add(FieldError.quote(v.asText())));
    return new FieldError.GoValue(
        items.stream().collect(Collectors.joining(", ", "[]string{", "}")));
  }
}
