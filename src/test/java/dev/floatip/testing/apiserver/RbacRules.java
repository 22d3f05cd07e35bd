package dev.floatip.testing.apiserver;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * RBAC rule arithmetic, as kube-apiserver does it: whether a rule allows a request
 * (plugin/pkg/auth/authorizer/rbac/rbac.go RuleAllows with pkg/apis/rbac/v1/evaluation_helpers.go),
 * whether rules cover others (pkg/registry/rbac/validation/policy_comparator.go Covers), and how
 * the missing ones are printed (validation/compact.go CompactRules, evaluation_helpers.go
 * CompactString).
 */
public final class RbacRules {

  private RbacRules() {}

  /** RuleAllows: resource requests by verb, group, resource[/subresource] and name; else URL. */
  public static boolean allows(PolicyRule rule, RequestInfo request) {
    if (request.resourceRequest()) {
      return verbMatches(rule, request.verb())
          && groupMatches(rule, request.apiGroup())
          && resourceMatches(rule, request.combinedResource(), request.subresource())
          && nameMatches(rule, request.name());
    }
    return verbMatches(rule, request.verb()) && nonResourceUrlMatches(rule, request.path());
  }

  static boolean verbMatches(PolicyRule rule, String verb) {
    return list(rule.getVerbs()).stream().anyMatch(v -> v.equals("*") || v.equals(verb));
  }

  static boolean groupMatches(PolicyRule rule, String group) {
    return list(rule.getApiGroups()).stream().anyMatch(g -> g.equals("*") || g.equals(group));
  }

  /** {@code *}, the exact {@code resource[/subresource]}, or {@code * /subresource}. */
  static boolean resourceMatches(PolicyRule rule, String combined, String subresource) {
    for (String r : list(rule.getResources())) {
      if (r.equals("*") || r.equals(combined)) {
        return true;
      }
      if (!subresource.isEmpty() && r.equals("*/" + subresource)) {
        return true;
      }
    }
    return false;
  }

  /**
   * No resourceNames: any request; else only a request that carries one of the names. A create, a
   * list or watch without the metadata.name selector and a deletecollection carry none.
   */
  static boolean nameMatches(PolicyRule rule, String name) {
    List<String> names = list(rule.getResourceNames());
    return names.isEmpty() || names.contains(name);
  }

  /** The exact URL, {@code *}, or a prefix ending in {@code *}. */
  static boolean nonResourceUrlMatches(PolicyRule rule, String path) {
    return list(rule.getNonResourceURLs()).stream().anyMatch(u -> urlCovers(u, path));
  }

  /** Also nonResourceURLCovers (a lone {@code *} is the empty prefix). */
  private static boolean urlCovers(String owner, String path) {
    return owner.equals("*")
        || owner.equals(path)
        || (owner.endsWith("*") && path.startsWith(owner.replaceAll("\\*+$", "")));
  }

  /**
   * policy_comparator.go Covers: the atoms (one group, resource, verb and name; or one URL and
   * verb) of {@code servant} that no rule of {@code owner} covers; empty when all are covered.
   */
  public static List<PolicyRule> uncovered(List<PolicyRule> owner, List<PolicyRule> servant) {
    List<PolicyRule> missing = new ArrayList<>();
    for (PolicyRule rule : servant) {
      for (PolicyRule atom : breakdown(rule)) {
        if (owner.stream().noneMatch(o -> covers(o, atom))) {
          missing.add(atom);
        }
      }
    }
    return missing;
  }

  /** BreakdownRule: group × resource × verb (× name), then URL × verb. */
  static List<PolicyRule> breakdown(PolicyRule rule) {
    List<PolicyRule> atoms = new ArrayList<>();
    for (String group : list(rule.getApiGroups())) {
      for (String resource : list(rule.getResources())) {
        for (String verb : list(rule.getVerbs())) {
          List<String> names = list(rule.getResourceNames());
          if (names.isEmpty()) {
            atoms.add(atom(group, resource, verb, null));
          } else {
            names.forEach(n -> atoms.add(atom(group, resource, verb, n)));
          }
        }
      }
    }
    for (String url : list(rule.getNonResourceURLs())) {
      for (String verb : list(rule.getVerbs())) {
        atoms.add(new PolicyRuleBuilder().withNonResourceURLs(url).withVerbs(verb).build());
      }
    }
    return atoms;
  }

  private static PolicyRule atom(String group, String resource, String verb, String name) {
    PolicyRuleBuilder b =
        new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verb);
    if (name != null) {
      b.withResourceNames(name);
    }
    return b.build();
  }

  /** ruleCovers: whether {@code owner} covers the atom {@code sub}. */
  static boolean covers(PolicyRule owner, PolicyRule sub) {
    List<String> ownerNames = list(owner.getResourceNames());
    List<String> subNames = list(sub.getResourceNames());
    boolean names =
        subNames.isEmpty()
            ? ownerNames.isEmpty()
            : ownerNames.isEmpty() || ownerNames.containsAll(subNames);
    return hasAllOrStar(owner.getVerbs(), sub.getVerbs())
        && hasAllOrStar(owner.getApiGroups(), sub.getApiGroups())
        && resourcesCover(list(owner.getResources()), list(sub.getResources()))
        && list(sub.getNonResourceURLs()).stream()
            .allMatch(u -> list(owner.getNonResourceURLs()).stream().anyMatch(o -> urlCovers(o, u)))
        && names;
  }

  private static boolean hasAllOrStar(List<String> owner, List<String> sub) {
    return list(owner).contains("*") || list(owner).containsAll(list(sub));
  }

  /** resourceCoversAll: {@code *}, all exact, or each subresource by {@code * /sub}. */
  private static boolean resourcesCover(List<String> owner, List<String> sub) {
    if (owner.contains("*") || owner.containsAll(sub)) {
      return true;
    }
    for (String r : sub) {
      if (owner.contains(r)) {
        continue;
      }
      int slash = r.indexOf('/');
      if (slash < 0 || !owner.contains("*/" + r.substring(slash + 1))) {
        return false;
      }
    }
    return true;
  }

  /**
   * compact.go CompactRules: rules with one group, one resource, at most one name and nothing but
   * verbs besides are merged per (group, resource, name), their verbs appended in order.
   */
  static List<PolicyRule> compact(List<PolicyRule> rules) {
    List<PolicyRule> out = new ArrayList<>();
    Map<List<Object>, PolicyRule> simple = new LinkedHashMap<>();
    for (PolicyRule rule : rules) {
      List<String> names = list(rule.getResourceNames());
      boolean isSimple =
          names.size() <= 1
              && list(rule.getNonResourceURLs()).isEmpty()
              && list(rule.getApiGroups()).size() == 1
              && list(rule.getResources()).size() == 1;
      if (!isSimple) {
        out.add(rule);
        continue;
      }
      List<Object> key =
          List.of(
              rule.getApiGroups().get(0),
              rule.getResources().get(0),
              names.isEmpty() ? List.of() : List.of(names.get(0)));
      PolicyRule existing = simple.get(key);
      if (existing == null) {
        simple.put(key, new PolicyRuleBuilder(rule).build());
      } else {
        List<String> verbs = new ArrayList<>(list(existing.getVerbs()));
        verbs.addAll(list(rule.getVerbs()));
        existing.setVerbs(verbs);
      }
    }
    out.addAll(simple.values());
    return out;
  }

  /**
   * CompactString: {@code {APIGroups:["g"], Resources:["r"], NonResourceURLs:[…],
   * ResourceNames:[…], Verbs:["v"]}}, the empty fields left out, Go's %q quoting.
   */
  public static String compactString(PolicyRule rule) {
    List<String> parts = new ArrayList<>();
    field(parts, "APIGroups", rule.getApiGroups());
    field(parts, "Resources", rule.getResources());
    field(parts, "NonResourceURLs", rule.getNonResourceURLs());
    field(parts, "ResourceNames", rule.getResourceNames());
    field(parts, "Verbs", rule.getVerbs());
    return "{" + String.join(", ", parts) + "}";
  }

  private static void field(List<String> parts, String name, List<String> values) {
    if (!list(values).isEmpty()) {
      parts.add(name + ":" + goQuote(values));
    }
  }

  /** Go's {@code %q} of a []string: {@code ["a" "b"]}. */
  static String goQuote(java.util.Collection<String> values) {
    return values.stream().map(RbacRules::goQuote).collect(Collectors.joining(" ", "[", "]"));
  }

  /** Go's {@code %q} of a string (strconv.Quote) for the characters names can hold. */
  static String goQuote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  static List<String> list(List<String> values) {
    return values == null ? List.of() : values.stream().filter(Objects::nonNull).toList();
  }
}
