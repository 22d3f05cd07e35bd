package dev.floatip.convert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link Converter} made of a keepalived config.
 *
 * @param documents VirtualIPs in instance order, then Secrets ({@code --cluster})
 * @param warnings every warning once, by file and line
 * @param passwordFiles files to write (standalone with a password directory): path → password
 */
public record Conversion(
    List<Document> documents, List<ConvertWarning> warnings, Map<Path, String> passwordFiles) {

  /**
   * The annotation listing a resource's warnings, one {@code file:line: keyword: message} a line.
   */
  public static final String WARNINGS_ANNOTATION = "floatip.dev/convert-warnings";

  /** The annotation naming the keepalived instance a VirtualIP came from. */
  public static final String SOURCE_ANNOTATION = "floatip.dev/converted-from";

  /** The key of the password in the Secret. */
  public static final String SECRET_KEY = "password";

  public Conversion {
    documents = List.copyOf(documents);
    warnings = List.copyOf(warnings);
    passwordFiles = Map.copyOf(passwordFiles);
  }

  /**
   * One output document.
   *
   * @param source the {@code vrrp_instance} a VirtualIP came from; null for a Secret
   * @param comments script check name → a comment to print above it
   */
  public record Document(ObjectNode tree, Location source, Map<String, String> comments) {
    public Document {
      comments = Map.copyOf(comments);
    }
  }

  /** The documents as YAML, separated by {@code ---}. */
  public String yaml() {
    return YamlOutput.render(documents);
  }
}
