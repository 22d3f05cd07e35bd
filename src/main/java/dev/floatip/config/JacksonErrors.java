package dev.floatip.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Turns Jackson binding errors into a field path and a short message. */
final class JacksonErrors {

  private JacksonErrors() {}

  static String path(JsonMappingException e) {
    String path = "";
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        path = FieldPath.field(path, r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path = FieldPath.index(path, r.getIndex());
      }
    }
    return path;
  }

  /**
   * Takes the value at the error's path out of a tree, so that binding again goes past it: a field
   * is removed, a list item becomes null (the indexes of the items after it stay right).
   *
   * @return false when there was nothing to take out
   */
  static boolean remove(JsonNode tree, List<JsonMappingException.Reference> path) {
    if (path.isEmpty()) {
      return false;
    }
    JsonNode parent = tree;
    for (JsonMappingException.Reference r : path.subList(0, path.size() - 1)) {
      parent = r.getFieldName() != null ? parent.get(r.getFieldName()) : parent.get(r.getIndex());
      if (parent == null) {
        return false;
      }
    }
    JsonMappingException.Reference last = path.getLast();
    if (last.getFieldName() != null && parent instanceof ObjectNode o) {
      return o.remove(last.getFieldName()) != null;
    }
    if (last.getIndex() >= 0
        && parent instanceof ArrayNode a
        && last.getIndex() < a.size()
        && !a.get(last.getIndex()).isNull()) {
      a.set(last.getIndex(), NullNode.getInstance());
      return true;
    }
    if (last.getIndex() >= 0 && parent instanceof ArrayNode a && last.getIndex() < a.size()) {
      a.remove(last.getIndex()); // null refused too: the indexes after it shift, rarely matters
      return true;
    }
    return false;
  }

  static String message(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      TreeSet<String> known = new TreeSet<>();
      if (u.getKnownPropertyIds() != null) {
        u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      }
      return known.isEmpty()
          ? "unknown field"
          : "unknown field (known: " + String.join(", ", known) + ")";
    }
    if (e instanceof InvalidFormatException f && f.getTargetType() != null) {
      return "expected "
          + describe(f.getTargetType())
          + ", was "
          + excerpt(String.valueOf(f.getValue()));
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "expected " + describe(m.getTargetType());
    }
    return ConfigFile.firstLine(e.getOriginalMessage());
  }

  /** At most 80 characters of a value the user wrote, control characters escaped. */
  static String excerpt(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 80; i++) {
      char ch = s.charAt(i);
      b.append(Character.isISOControl(ch) ? String.format("\\x%02x", (int) ch) : ch);
    }
    return b.length() < s.length() ? b + "... (" + s.length() + " characters)" : b.toString();
  }

  static String describe(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type.isEnum()) {
      return "one of "
          + Stream.of(type.getEnumConstants())
              .map(String::valueOf)
              .collect(Collectors.joining(", "));
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a mapping";
    }
    return "a mapping";
  }
}
