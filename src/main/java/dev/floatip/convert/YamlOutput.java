package dev.floatip.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Clean multi-document YAML: no nulls, quotes only where a plain string would read back as another
 * type ({@link TypedLookingQuotes}), comments above the scripts they explain.
 */
final class YamlOutput {

  private static final YAMLMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder().stringQuotingChecker(TypedLookingQuotes.INSTANCE).build())
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .build();

  private YamlOutput() {}

  /** The YAML of one tree, as {@link #render} writes it. */
  static String write(JsonNode tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  static String render(List<Conversion.Document> docs) {
    List<String> out = new ArrayList<>();
    for (Conversion.Document d : docs) {
      out.add(comment(write(d.tree()), d.comments()));
    }
    return String.join("---\n", out);
  }

  /** Puts each comment above the {@code - name: NAME} entry of {@code track.scripts}. */
  private static String comment(String yaml, Map<String, String> comments) {
    if (comments.isEmpty()) {
      return yaml;
    }
    List<String> lines = new ArrayList<>(Arrays.asList(yaml.split("\n", -1)));
    int scripts = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches("\\s+scripts:")) {
        scripts = i;
        break;
      }
    }
    if (scripts < 0) {
      return yaml;
    }
    for (var e : comments.entrySet()) {
      Pattern entry =
          Pattern.compile("(\\s*)- name: ['\"]?" + Pattern.quote(e.getKey()) + "['\"]?");
      for (int i = scripts + 1; i < lines.size(); i++) {
        var m = entry.matcher(lines.get(i));
        if (m.matches()) {
          lines.add(i, m.group(1) + "# " + e.getValue());
          break;
        }
      }
    }
    return String.join("\n", lines);
  }
}
