package dev.floatip.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The objects of a multi-document YAML render, looked up by kind and name. */
record Rendered(List<JsonNode> objects) {

  static final ObjectMapper YAML =
      YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  static Rendered parse(String yaml) {
    List<JsonNode> out = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && n.isObject() && n.has("kind")) {
          out.add(n);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("render is not YAML", e);
    }
    return new Rendered(out);
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> o.get("kind").asText().equals(kind)).toList();
  }

  JsonNode one(String kind) {
    List<JsonNode> all = ofKind(kind);
    assertThat(all).as("exactly one %s in the render", kind).hasSize(1);
    return all.get(0);
  }

  JsonNode get(String kind, String name) {
    return ofKind(kind).stream()
        .filter(o -> o.at("/metadata/name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the render"));
  }

  <T> T as(JsonNode node, Class<T> type) {
    try {
      return YAML.treeToValue(node, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
