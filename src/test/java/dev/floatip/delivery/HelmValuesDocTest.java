package dev.floatip.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Helm values table (between the helm-values markers) names every value in
 * helm/floatip/values.yaml, names nothing else, and states the scalar defaults as they are.
 */
class HelmValuesDocTest {

  private static final Pattern CODE = Pattern.compile("`([^`]*)`");

  /** Leaf paths of values.yaml: scalars, lists and empty maps. */
  static Map<String, JsonNode> leaves() throws IOException {
    JsonNode values = Rendered.YAML.readTree(Helm.CHART.resolve("values.yaml").toFile());
    Map<String, JsonNode> out = new LinkedHashMap<>();
    collect("", values, out);
    return out;
  }

  private static void collect(String prefix, JsonNode node, Map<String, JsonNode> out) {
    if (node.isObject() && !node.isEmpty()) {
      node.fields()
          .forEachRemaining(
              e ->
                  collect(
                      prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                      e.getValue(),
                      out));
    } else {
      out.put(prefix, node);
    }
  }

  /** value name → default cell, from the README table. */
  static Map<String, String> documented() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int begin = readme.indexOf("<!-- helm-values:begin -->");
    int end = readme.indexOf("<!-- helm-values:end -->");
    assertThat(begin).as("README.md has the helm-values markers").isGreaterThanOrEqualTo(0);
    assertThat(end).isGreaterThan(begin);
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : readme.substring(begin, end).split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      List<String> names = codes(cells[1]);
      List<String> defaults = codes(cells[2]);
      for (int i = 0; i < names.size(); i++) {
        boolean oneEach = defaults.size() == names.size() && !cells[2].contains("/");
        out.put(names.get(i), oneEach ? defaults.get(i) : null);
      }
    }
    return out;
  }

  private static List<String> codes(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void everyValueIsDocumented() throws IOException {
    Map<String, String> doc = documented();
    for (String leaf : leaves().keySet()) {
      assertThat(doc.keySet().stream().anyMatch(d -> leaf.equals(d) || leaf.startsWith(d + ".")))
          .as("README.md Helm values table documents %s (add a row)", leaf)
          .isTrue();
    }
  }

  @Test
  void everyDocumentedValueExistsWithItsDefault() throws IOException {
    Map<String, JsonNode> leaves = leaves();
    for (Map.Entry<String, String> e : documented().entrySet()) {
      String name = e.getKey();
      assertThat(leaves.keySet().stream().anyMatch(l -> l.equals(name) || l.startsWith(name + ".")))
          .as("README.md documents %s, which is not in helm/floatip/values.yaml", name)
          .isTrue();
      JsonNode value = leaves.get(name);
      if (e.getValue() != null && value != null) {
        assertThat(e.getValue()).as("README.md default of %s", name).isEqualTo(text(value));
      }
    }
  }

  private static String text(JsonNode v) {
    if (v.isArray() && v.isEmpty()) {
      return "[]";
    }
    if (v.isObject() && v.isEmpty()) {
      return "{}";
    }
    if (v.isTextual() && v.asText().isEmpty()) {
      return "\"\"";
    }
    return v.asText();
  }
}
