package dev.floatip.testing.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One field problem, as apimachinery's {@code field.Error} (util/validation/field/errors.go):
 * {@code type} is the cause type (FieldValueInvalid, FieldValueRequired…), {@code field} the path
 * ({@code spec.addresses[0]}), {@code badValue} the offending value (or {@link #OMIT}), {@code
 * detail} the explanation. {@link #body()} is kube's {@code ErrorBody}, {@link #toString()} its
 * {@code Error}.
 */
public record FieldError(String type, String field, Object badValue, String detail) {

  /** The value is not printed (kube's omitValue). */
  public static final Object OMIT = new Object();

  /** A nil value ({@code "null"} in messages). */
  public static final Object NULL = new Object();

  public static FieldError required(String field, String detail) {
    return new FieldError("FieldValueRequired", field, "", detail);
  }

  public static FieldError invalid(String field, Object value, String detail) {
    return new FieldError("FieldValueInvalid", field, value, detail);
  }

  public static FieldError typeInvalid(String field, Object value, String detail) {
    return new FieldError("FieldValueTypeInvalid", field, value, detail);
  }

  public static FieldError duplicate(String field, Object value) {
    return new FieldError("FieldValueDuplicate", field, value, "");
  }

  public static FieldError notFound(String field, Object value) {
    return new FieldError("FieldValueNotFound", field, value, "");
  }

  public static FieldError forbidden(String field, String detail) {
    return new FieldError("FieldValueForbidden", field, "", detail);
  }

  /** field.NotSupported: the supported values, quoted, in the given order. */
  public static FieldError notSupported(String field, Object value, List<String> supported) {
    String detail =
        supported.isEmpty()
            ? ""
            : "supported values: "
                + supported.stream().map(FieldError::quote).collect(Collectors.joining(", "));
    return new FieldError("FieldValueNotSupported", field, value, detail);
  }

  /** field.TooLong (Kubernetes ≥ 1.32 wording). */
  public static FieldError tooLong(String field, Object value, int max) {
    return new FieldError(
        "FieldValueTooLong", field, value, "may not be more than " + max + " bytes");
  }

  public static FieldError tooMany(String field, int actual, int max) {
    return new FieldError(
        "FieldValueTooMany", field, actual, "must have at most " + max + " items");
  }

  /** A value printed as is (Go's %#v of a typed value). */
  public record GoValue(String text) {}

  /** A JSON object as Go prints a {@code map[string]T} with %#v (keys sorted). */
  public static GoValue goMap(JsonNode object, String valueType) {
    Map<String, JsonNode> sorted = new TreeMap<>();
    object.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
    return new GoValue(
        "map[string]"
            + valueType
            + "{"
            + sorted.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + render(e.getValue()))
                .collect(Collectors.joining(", "))
            + "}");
  }

  /** The message without the field, as kube's {@code ErrorBody}. */
  public String body() {
    String s = label();
    boolean noValue =
        switch (type) {
          case "FieldValueRequired", "FieldValueForbidden", "FieldValueTooLong" -> true;
          default -> badValue == OMIT;
        };
    if (!noValue) {
      s += ": " + render(badValue);
    }
    if (detail != null && !detail.isEmpty()) {
      s += ": " + detail;
    }
    return s;
  }

  @Override
  public String toString() {
    return field + ": " + body();
  }

  private String label() {
    return switch (type) {
      case "FieldValueNotFound" -> "Not found";
      case "FieldValueRequired" -> "Required value";
      case "FieldValueDuplicate" -> "Duplicate value";
      case "FieldValueInvalid", "FieldValueTypeInvalid" -> "Invalid value";
      case "FieldValueNotSupported" -> "Unsupported value";
      case "FieldValueForbidden" -> "Forbidden";
      case "FieldValueTooLong" -> "Too long";
      case "FieldValueTooMany" -> "Too many";
      default -> "Internal error";
    };
  }

  /** Go's rendering in ErrorBody: %q for strings, %v for numbers and booleans, %#v otherwise. */
  static String render(Object v) {
    if (v == null || v == NULL) {
      return "\"null\"";
    }
    if (v instanceof JsonNode n) {
      if (n.isNull() || n.isMissingNode()) {
        return "\"null\"";
      }
      if (n.isTextual()) {
        return quote(n.asText());
      }
      if (n.isNumber() || n.isBoolean()) {
        return n.asText();
      }
      if (n.isObject()) {
        Map<String, JsonNode> sorted = new TreeMap<>();
        n.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
        boolean strings = sorted.values().stream().allMatch(JsonNode::isTextual);
        return (strings ? "map[string]string{" : "map[string]interface {}{")
            + sorted.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + render(e.getValue()))
                .collect(Collectors.joining(", "))
            + "}";
      }
      return n.toString();
    }
    if (v instanceof GoValue g) {
      return g.text();
    }
    if (v instanceof String s) {
      return quote(s);
    }
    return String.valueOf(v);
  }

  /** Go's strconv.Quote for the characters our values contain. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
