package dev.floatip.config;

import dev.floatip.api.v1alpha1.VirtualIPSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of Kubernetes-shaped fields: label selectors, tolerations, interface names. Fabric8's
 * model types keep unknown fields in {@code additionalProperties} instead of failing, so a typo
 * such as {@code matchLabel} is caught here.
 */
final class SelectorChecks {

  /** Label name part: at most 63 characters (Kubernetes apimachinery validation). */
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]");

  private static final Set<String> SELECTOR_OPERATORS =
      Set.of("In", "NotIn", "Exists", "DoesNotExist");
  private static final Set<String> TAINT_EFFECTS =
      Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  private SelectorChecks() {}

  static void nodeSelection(Violations v, VirtualIPSpec spec, Mode mode) {
    if (mode == Mode.STANDALONE) {
      if (spec.nodeSelector() != null) {
        v.add("spec.nodeSelector", "not used in a standalone file (there are no Nodes)");
      }
      if (spec.tolerations() != null) {
        v.add("spec.tolerations", "not used in a standalone file (there are no Nodes)");
      }
      return;
    }
    if (spec.nodeSelector() != null) {
      labelSelector(v, "spec.nodeSelector", spec.nodeSelector());
    }
    List<Toleration> tolerations = spec.tolerations();
    if (tolerations != null) {
      for (int i = 0; i < tolerations.size(); i++) {
        String path = FieldPath.index("spec.tolerations", i);
        if (v.required(path, tolerations.get(i))) {
          toleration(v, path, tolerations.get(i));
        }
      }
    }
  }

  static void labelSelector(Violations v, String path, LabelSelector s) {
    unknownFields(v, path, s.getAdditionalProperties());
    Map<String, String> labels = s.getMatchLabels();
    if (labels != null) {
      labels.forEach(
          (key, value) -> {
            String item = FieldPath.field(path + ".matchLabels", key);
            labelKey(v, item, key);
            if (value != null && !value.isEmpty() && !LABEL_NAME.matcher(value).matches()) {
              v.add(item, "label value must be at most 63 letters, digits, '-', '_' or '.'");
            }
          });
    }
    List<LabelSelectorRequirement> exprs = s.getMatchExpressions();
    if (exprs == null) {
      return;
    }
    for (int i = 0; i < exprs.size(); i++) {
      String item = FieldPath.index(path + ".matchExpressions", i);
      LabelSelectorRequirement r = exprs.get(i);
      if (!v.required(item, r)) {
        continue;
      }
      unknownFields(v, item, r.getAdditionalProperties());
      if (v.requiredText(item + ".key", r.getKey())) {
        labelKey(v, item + ".key", r.getKey());
      }
      String op = r.getOperator();
      boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
      if (!v.requiredText(item + ".operator", op)) {
        continue;
      }
      if (!SELECTOR_OPERATORS.contains(op)) {
        v.add(item + ".operator", "must be In, NotIn, Exists or DoesNotExist, was " + op);
      } else if ((op.equals("In") || op.equals("NotIn")) && !hasValues) {
        v.add(item + ".values", "required with operator " + op);
      } else if ((op.equals("Exists") || op.equals("DoesNotExist")) && hasValues) {
        v.add(item + ".values", "must be empty with operator " + op);
      }
    }
  }

  private static void toleration(Violations v, String path, Toleration t) {
    unknownFields(v, path, t.getAdditionalProperties());
    String op = t.getOperator();
    if (op != null && !op.equals("Equal") && !op.equals("Exists")) {
      v.add(path + ".operator", "must be Equal or Exists, was " + op);
    }
    boolean exists = "Exists".equals(op);
    if (exists && t.getValue() != null && !t.getValue().isEmpty()) {
      v.add(path + ".value", "must be empty with operator Exists");
    }
    if ((t.getKey() == null || t.getKey().isEmpty()) && !exists) {
      v.add(path + ".operator", "must be Exists when key is empty");
    }
    String effect = t.getEffect();
    if (effect != null && !effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
      v.add(path + ".effect", "must be NoSchedule, PreferNoSchedule or NoExecute, was " + effect);
    }
    if (t.getTolerationSeconds() != null && !"NoExecute".equals(effect)) {
      v.add(path + ".tolerationSeconds", "only with effect NoExecute");
    }
  }

  /** Linux interface names: 1..15 bytes (IFNAMSIZ 16), no '/', ':' or whitespace. */
  static void interfaceName(Violations v, String path, String name) {
    if (name.isEmpty()
        || name.length() > 15
        || name.equals(".")
        || name.equals("..")
        || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/' && c != ':')) {
      v.add(path, "must be an interface name: 1..15 characters, no '/', ':' or spaces");
    }
  }

  private static void labelKey(Violations v, String path, String key) {
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? null : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    boolean prefixOk =
        prefix == null
            || (prefix.length() <= 253
                && VirtualIPValidator.DNS_SUBDOMAIN.matcher(prefix).matches());
    if (!prefixOk || !LABEL_NAME.matcher(name).matches()) {
      v.add(path, "\"" + key + "\" is not a label key ([prefix/]name, name at most 63 characters)");
    }
  }

  static void unknownFields(Violations v, String path, Map<String, Object> extra) {
    if (extra != null) {
      extra.keySet().forEach(k -> v.add(FieldPath.field(path, k), "unknown field"));
    }
  }
}
