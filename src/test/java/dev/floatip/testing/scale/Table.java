package dev.floatip.testing.scale;

import java.util.Map;

/** The scale benchmark's result as a two-column text table, nested maps flattened with dots. */
final class Table {

  private Table() {}

  static String of(Map<String, Object> result) {
    StringBuilder out = new StringBuilder();
    add(out, "", result);
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static void add(StringBuilder out, String prefix, Map<String, Object> map) {
    map.forEach(
        (k, v) -> {
          String key = prefix.isEmpty() ? k : prefix + "." + k;
          if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            add(out, key, (Map<String, Object>) m);
          } else {
            out.append(String.format("  %-60s %s%n", key, format(v)));
          }
        });
  }

  private static String format(Object v) {
    return v instanceof Double d ? String.format("%.1f", d) : String.valueOf(v);
  }
}
