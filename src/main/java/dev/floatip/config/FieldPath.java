package dev.floatip.config;

import java.util.regex.Pattern;

/**
 * Field paths as config errors print them: {@code spec.track.scripts[0].fall}, {@code
 * spec.priority.nodes.node-a}; a map key that is not a plain word is quoted: {@code
 * spec.priority.nodes["a.example.com"]}. The validator and the YAML location index build paths with
 * these helpers, so they match exactly.
 */
public final class FieldPath {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]+");

  private FieldPath() {}

  public static String field(String parent, String name) {
    if (!PLAIN.matcher(name).matches()) {
      return parent + "[\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }
    return parent.isEmpty() ? name : parent + "." + name;
  }

  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /** The enclosing path, or "" at the top. */
  public static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    // a quoted key may itself contain '.' or '[': step over it as a whole
    if (path.endsWith("\"]")) {
      cut = path.lastIndexOf("[\"");
    }
    return cut <= 0 ? "" : path.substring(0, cut);
  }
}
