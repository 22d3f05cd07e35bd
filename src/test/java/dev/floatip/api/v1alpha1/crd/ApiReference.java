package dev.floatip.api.v1alpha1.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The README's "API reference" block, generated from the CRD: a table of the spec fields (two
 * levels deep; list items of checks are described by their own types' fields in the CRD) and the
 * CEL rules. {@code ApiReferenceTest} keeps README.md equal to it.
 */
public final class ApiReference {

  static final String BEGIN =
      "<!-- api-reference:begin (generated from crds/virtualips.floatip.dev.yaml by "
          + CrdFile.UPDATE_COMMAND
          + "; do not edit) -->";
  static final String END = "<!-- api-reference:end -->";

  /** Kubernetes types whose fields are documented upstream. */
  private static final List<String> UPSTREAM = List.of("nodeSelector", "tolerations");

  private ApiReference() {}

  /** The block between (and including) the markers. */
  public static String render(String crdYaml) throws IOException {
    JsonNode crd = new YAMLMapper().readTree(crdYaml);
    JsonNode spec = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    StringBuilder out = new StringBuilder();
    out.append(BEGIN).append('\n');
    out.append("| field | type | default | allowed | description |\n");
    out.append("|---|---|---|---|---|\n");
    List<String> rules = new ArrayList<>();
    rows(spec, "", 0, out, rules);
    rules(spec, "spec", rules);
    out.append('\n').append("Rules the API server checks (CEL, `x-kubernetes-validations`):\n\n");
    rules.stream().distinct().forEach(r -> out.append("- ").append(r).append('\n'));
    out.append(END).append('\n');
    return out.toString();
  }

  private static void rows(
      JsonNode schema, String prefix, int depth, StringBuilder out, List<String> rules) {
    JsonNode props = schema.get("properties");
    if (props == null) {
      return;
    }
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    for (Map.Entry<String, JsonNode> p : props.properties()) {
      String name = prefix + p.getKey();
      JsonNode s = p.getValue();
      out.append("| `")
          .append(name)
          .append("`")
          .append(required.contains(p.getKey()) ? " (required)" : "")
          .append(" | ")
          .append(type(s))
          .append(" | ")
          .append(s.has("default") ? "`" + s.get("default").asText() + "`" : "")
          .append(" | ")
          .append(allowed(s))
          .append(" | ")
          .append(cell(s.path("description").asText()))
          .append(" |\n");
      if (depth == 0 && !UPSTREAM.contains(p.getKey()) && "object".equals(type(s))) {
        rows(s, name + ".", depth + 1, out, rules);
      }
    }
  }

  private static void rules(JsonNode schema, String path, List<String> out) {
    for (JsonNode r : schema.path("x-kubernetes-validations")) {
      String field = path + r.path("fieldPath").asText("");
      out.add("`" + field + "`: " + r.path("message").asText());
    }
    for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
      rules(p.getValue(), path + "." + p.getKey(), out);
    }
    if (schema.has("items")) {
      rules(schema.get("items"), path + "[]", out);
    }
  }

  private static String type(JsonNode s) {
    String t = s.path("type").asText();
    if (t.equals("array")) {
      return "[]" + type(s.path("items"));
    }
    if (t.equals("object") && s.path("additionalProperties").isObject()) {
      return "map[string]" + type(s.get("additionalProperties"));
    }
    return t;
  }

  private static String allowed(JsonNode s) {
    JsonNode v = s.path("type").asText().equals("array") ? s.path("items") : s;
    if (s.path("additionalProperties").isObject()) {
      v = s.get("additionalProperties");
    }
    List<String> parts = new ArrayList<>();
    if (v.has("enum")) {
      List<String> values = new ArrayList<>();
      v.get("enum").forEach(e -> values.add(e.asText()));
      parts.add(String.join(", ", values));
    }
    if (v.has("minimum") || v.has("maximum")) {
      parts.add(number(v.get("minimum")) + ".." + number(v.get("maximum")));
    }
    if (s.has("minItems") || s.has("maxItems")) {
      parts.add(number(s.get("minItems")) + ".." + number(s.get("maxItems")) + " items");
    }
    if (v.has("minLength") || v.has("maxLength")) {
      parts.add(number(v.get("minLength")) + ".." + number(v.get("maxLength")) + " chars");
    }
    if (v.has("pattern")) {
      String pattern = v.get("pattern").asText();
      parts.add(pattern.length() <= 40 ? "`" + pattern.replace("|", "\\|") + "`" : "pattern");
    }
    return String.join("; ", parts);
  }

  private static String number(JsonNode n) {
    return n == null ? "" : Long.toString(n.asLong());
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
