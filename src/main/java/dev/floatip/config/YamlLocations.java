package dev.floatip.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each field of each YAML document starts, keyed by {@link FieldPath}. Built by one streaming
 * pass over the file, so that violations found after binding can still be reported with a line and
 * column.
 */
final class YamlLocations {

  /** One document: its start and the location and scalar text of every value in it. */
  record Document(
      JsonLocation start, boolean empty, Map<String, JsonLocation> at, Map<String, String> text) {

    /** The location of a path, or of its nearest ancestor present in the file. */
    JsonLocation locate(String path) {
      for (String p = path; ; p = FieldPath.parent(p)) {
        JsonLocation loc = at.get(p);
        if (loc != null) {
          return loc;
        }
        if (p.isEmpty()) {
          return start;
        }
      }
    }

    /** The scalar text at a path, or null. */
    String scalar(String path) {
      return text.get(path);
    }
  }

  private record Frame(String path, boolean array, int[] nextIndex) {}

  private YamlLocations() {}

  /**
   * Indexes every document (empty ones included, in order).
   *
   * @throws IOException on a YAML syntax error, with its location
   */
  static List<Document> index(ObjectMapper yaml, String content) throws IOException {
    List<Document> docs = new ArrayList<>();
    try (JsonParser p = yaml.createParser(content)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        docs.add(document(p, t));
      }
    }
    return docs;
  }

  private static Document document(JsonParser p, JsonToken first) throws IOException {
    JsonLocation start = p.currentTokenLocation();
    Map<String, JsonLocation> at = new LinkedHashMap<>();
    Map<String, String> text = new HashMap<>();
    Deque<Frame> stack = new ArrayDeque<>();
    String field = null;
    JsonToken t = first;
    while (true) {
      if (t == JsonToken.FIELD_NAME) {
        field = p.currentName();
      } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        stack.pop();
      } else {
        String path = childPath(stack.peek(), field);
        at.put(path, p.currentTokenLocation());
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          stack.push(new Frame(path, t == JsonToken.START_ARRAY, new int[1]));
        } else if (t != JsonToken.VALUE_NULL) {
          text.put(path, p.getText());
        }
      }
      if (stack.isEmpty()) {
        return new Document(start, first == JsonToken.VALUE_NULL, at, text);
      }
      t = p.nextToken();
    }
  }

  private static String childPath(Frame parent, String field) {
    if (parent == null) {
      return "";
    }
    if (parent.array()) {
      return FieldPath.index(parent.path(), parent.nextIndex()[0]++);
    }
    return FieldPath.field(parent.path(), field);
  }
}
