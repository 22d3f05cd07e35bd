package dev.floatip.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Collection;
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
      return "expected " + describe(f.getTargetType()) + ", was " + f.getValue();
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "expected " + describe(m.getTargetType());
    }
    return ConfigFile.firstLine(e.getOriginalMessage());
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
