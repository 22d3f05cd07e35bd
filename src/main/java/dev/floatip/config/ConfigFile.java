package dev.floatip.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.floatip.api.v1alpha1.AuthenticationSpec;
import dev.floatip.api.v1alpha1.MailSpec;
import dev.floatip.api.v1alpha1.NotifySpec;
import dev.floatip.api.v1alpha1.VirtualIP;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Loads a standalone config file ({@code floatip agent --config vip.yaml}): one or more {@code
 * VirtualIP} documents separated by {@code ---}, in the same schema as the custom resource (DESIGN
 * §1). Strict: unknown fields, duplicate keys and wrongly typed values (a number where the schema
 * has a string, or the reverse) are errors, as the API server would refuse them. Every problem is
 * reported as {@code file:line:column: field: message}. The result holds either every document or
 * the errors, never a part.
 */
public final class ConfigFile {

  /** What {@link #load} returns. */
  public sealed interface Result permits Loaded, Invalid {}

  /**
   * A valid file.
   *
   * @param virtualIPs the documents, in file order
   * @param passwords VirtualIP name → the password read from its {@code passwordFile}
   */
  public record Loaded(List<VirtualIP> virtualIPs, Map<String, String> passwords)
      implements Result {
    public Loaded {
      virtualIPs = List.copyOf(virtualIPs);
      passwords = Map.copyOf(passwords);
    }
  }

  /** An invalid file: at least one error, sorted by position. */
  public record Invalid(List<ConfigError> errors) implements Result {
    public Invalid {
      errors = List.copyOf(errors);
    }
  }

  private static final Set<String> METADATA = Set.of("name", "labels", "annotations");

  /** A VRRPv2 password is at most 8 bytes; the file may hold a line end and a comment. */
  private static final int MAX_PASSWORD_FILE_BYTES = 4096;

  /** Deeper than any VirtualIP (6 levels); SnakeYAML's own default is 50. */
  static final int MAX_NESTING = 32;

  /** Type errors reported per document before giving up on it. */
  private static final int MAX_ERRORS_PER_DOCUMENT = 50;

  private static final ObjectMapper YAML = strictMapper();
  private static final ObjectReader READER = YAML.readerFor(VirtualIP.class);
  private static final ObjectReader TREE = YAML.readerFor(ObjectNode.class);

  private final String file;
  private final List<ConfigError> errors = new ArrayList<>();

  private ConfigFile(String file) {
    this.file = file;
  }

  /** Reads and checks a file. Never throws for a bad or unreadable file: see {@link Invalid}. */
  public static Result load(Path path) {
    String content;
    try {
      content = InputFile.read(path, InputFile.MAX_CONFIG_BYTES);
    } catch (InputFile.Refused e) {
      return new Invalid(
          List.of(new ConfigError(path.toString(), 0, 0, "", "cannot read: " + e.getMessage())));
    }
    return parse(path.toString(), content);
  }

  /**
   * Checks file content; {@code file} only names it in errors. {@code passwordFile}s are read from
   * disk.
   */
  public static Result parse(String file, String content) {
    if (content.length() > InputFile.MAX_CONFIG_BYTES) {
      return new Invalid(
          List.of(
              new ConfigError(
                  file,
                  0,
                  0,
                  "",
                  "larger than the limit of " + InputFile.size(InputFile.MAX_CONFIG_BYTES))));
    }
    return new ConfigFile(file).run(content);
  }

  private Result run(String content) {
    List<YamlLocations.Document> docs;
    try {
      docs = YamlLocations.index(YAML, content);
    } catch (YamlLocations.SyntaxError e) {
      error(e.location, e.field, e.getMessage());
      return new Invalid(errors);
    }
    List<VirtualIP> bound = bind(content, docs);
    List<VirtualIP> vips = new ArrayList<>();
    List<YamlLocations.Document> vipDocs = new ArrayList<>();
    Map<String, String> passwords = new HashMap<>();
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < docs.size(); i++) {
      YamlLocations.Document doc = docs.get(i);
      VirtualIP vip = bound.get(i);
      if (doc.empty() || vip == null) {
        continue;
      }
      int before = errors.size();
      for (Violation v : VirtualIPValidator.validate(vip, Mode.STANDALONE)) {
        error(doc.locate(v.path()), v.path(), v.message());
      }
      // `metadata:` with no value binds to null; the validator has reported the missing name
      String name = vip.getMetadata() == null ? null : vip.getMetadata().getName();
      Integer first =
          name == null ? null : names.putIfAbsent(name, doc.locate("metadata.name").getLineNr());
      if (first != null) {
        error(
            doc.locate("metadata.name"),
            "metadata.name",
            "duplicate VirtualIP name \"" + name + "\" (first at line " + first + ")");
      }
      if (errors.size() == before) {
        readPassword(vip, doc, passwords);
        checkMailFiles(vip, doc);
        vips.add(vip);
        vipDocs.add(doc);
      }
    }
    if (errors.isEmpty() && vips.isEmpty()) {
      error(null, "", "no VirtualIP documents");
    }
    if (errors.isEmpty()) {
      String vrid = "spec.virtualRouterId";
      for (VridConflicts.Conflict c : VridConflicts.check(vips)) {
        error(vipDocs.get(c.index()).locate(vrid), vrid, c.message());
      }
      for (AddressConflicts.Conflict c : AddressConflicts.check(vips)) {
        error(vipDocs.get(c.index()).locate(c.path()), c.path(), c.message());
      }
    }
    if (!errors.isEmpty()) {
      errors.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
      return new Invalid(errors);
    }
    return new Loaded(vips, passwords);
  }

  /** Binds each non-empty document; null where it failed (the error is recorded). */
  private List<VirtualIP> bind(String content, List<YamlLocations.Document> docs) {
    List<VirtualIP> out = new ArrayList<>();
    try (JsonParser p = YAML.createParser(content)) {
      for (YamlLocations.Document doc : docs) {
        JsonToken t = p.nextToken();
        out.add(t == JsonToken.VALUE_NULL || t == null ? null : bindOne(p, doc));
      }
    } catch (IOException e) {
      // not expected: the first pass read the whole file without a syntax error
      error(null, "", describe(e));
    }
    while (out.size() < docs.size()) {
      out.add(null);
    }
    return out;
  }

  private VirtualIP bindOne(JsonParser p, YamlLocations.Document doc) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      error(doc.start(), "", "a document must be a VirtualIP mapping");
      p.skipChildren();
      return null;
    }
    int before = errors.size();
    envelope(doc);
    ObjectNode tree = TREE.readValue(p);
    VirtualIP vip = null;
    // Jackson stops at the first error: report it, take the value out and bind again, so that
    // every wrongly typed field of the document is reported at once
    Set<String> reported = new HashSet<>();
    for (int attempt = 0; attempt < MAX_ERRORS_PER_DOCUMENT; attempt++) {
      try {
        vip = READER.readValue(tree);
        break;
      } catch (JsonMappingException e) {
        String path = JacksonErrors.path(e);
        JsonLocation at =
            e instanceof UnrecognizedPropertyException ? doc.locateKey(path) : doc.locate(path);
        if (reported.add(path)) {
          error(at, path, JacksonErrors.message(e));
        }
        if (path.isEmpty() || !JacksonErrors.remove(tree, e.getPath())) {
          break;
        }
      }
    }
    return errors.size() == before ? vip : null;
  }

  /** apiVersion, kind and metadata: checked on the text, as VirtualIP ignores the first two. */
  private void envelope(YamlLocations.Document doc) {
    expect(doc, "apiVersion", VirtualIP.API_VERSION);
    expect(doc, "kind", VirtualIP.KIND);
    for (String path : doc.entries().keySet()) {
      String parent = FieldPath.parent(path);
      // other unknown top-level fields fail the binding; ObjectMeta accepts any field
      if (path.equals("status")) {
        error(doc.locateKey(path), path, "not allowed in a config file (the agent writes status)");
      } else if (parent.equals("metadata") && !METADATA.contains(path.substring(9))) {
        error(
            doc.locateKey(path),
            path,
            "not used in a config file (known: annotations, labels, name)");
      }
    }
  }

  private void expect(YamlLocations.Document doc, String field, String value) {
    String actual = doc.scalar(field);
    if (actual == null) {
      error(doc.locate(field), field, "required: " + value);
    } else if (!actual.equals(value)) {
      error(doc.locate(field), field, "must be " + value + ", was " + actual);
    }
  }

  private void readPassword(VirtualIP vip, YamlLocations.Document doc, Map<String, String> out) {
    AuthenticationSpec auth = vip.getSpec().authentication();
    if (auth == null || auth.passwordFile() == null) {
      return;
    }
    String path = "spec.authentication.passwordFile";
    String password;
    try {
      password =
          InputFile.read(Path.of(auth.passwordFile()), MAX_PASSWORD_FILE_BYTES)
              .replaceFirst("\r?\n$", "");
    } catch (InputFile.Refused | InvalidPathException e) { // a NUL in the path
      error(doc.locate(path), path, "cannot read " + auth.passwordFile() + ": " + e.getMessage());
      return;
    }
    VirtualIPValidator.passwordProblem(password)
        .ifPresentOrElse(
            problem ->
                error(
                    doc.locate(path), path, "password in " + auth.passwordFile() + ": " + problem),
            () -> out.put(vip.getMetadata().getName(), password));
  }

  /**
   * The mail's password and CA files are read at each mail (a rotated password is used from the
   * next one); unreadable ones are reported now, with the file's position, rather than at the first
   * transition.
   */
  private void checkMailFiles(VirtualIP vip, YamlLocations.Document doc) {
    NotifySpec n = vip.getSpec().notifications();
    MailSpec mail = n == null ? null : n.mail();
    if (mail == null) {
      return;
    }
    if (mail.auth() != null && mail.auth().passwordFile() != null) {
      readable(doc, "spec.notify.mail.auth.passwordFile", mail.auth().passwordFile());
    }
    if (mail.caFile() != null) {
      readable(doc, "spec.notify.mail.caFile", mail.caFile());
    }
  }

  private void readable(YamlLocations.Document doc, String path, String file) {
    try {
      InputFile.read(Path.of(file), InputFile.MAX_CONFIG_BYTES);
    } catch (InputFile.Refused | InvalidPathException e) { // a NUL in the path
      error(doc.locate(path), path, "cannot read " + file + ": " + e.getMessage());
    }
  }

  private void error(JsonLocation at, String field, String message) {
    int line = at == null ? 0 : Math.max(at.getLineNr(), 0);
    int column = at == null ? 0 : Math.max(at.getColumnNr(), 0);
    errors.add(new ConfigError(file, line, column, field, message));
  }

  private static String describe(IOException e) {
    return InputFile.describe(e);
  }

  static String firstLine(String s) {
    if (s == null) {
      return "syntax error";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  /**
   * Jackson YAML, strict: no unknown fields, no duplicate keys, no scalar coercion (a YAML number
   * does not become a string or the reverse; the API server refuses those too).
   */
  private static ObjectMapper strictMapper() {
    LoaderOptions loader = new LoaderOptions();
    loader.setCodePointLimit(InputFile.MAX_CONFIG_BYTES);
    loader.setNestingDepthLimit(MAX_NESTING);
    loader.setMaxAliasesForCollections(10);
    YAMLFactory factory =
        YAMLFactory.builder()
            .loaderOptions(loader)
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL) // the builder starts without it
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxStringLength(InputFile.MAX_CONFIG_BYTES)
                    .maxNameLength(1024)
                    .maxNumberLength(64)
                    .build())
            .build();
    YAMLMapper m =
        YAMLMapper.builder(factory)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    fail(m, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Float);
    fail(m, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer);
    fail(m, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float);
    fail(m, LogicalType.Textual, CoercionInputShape.Boolean);
    fail(m, LogicalType.Enum, CoercionInputShape.Integer);
    for (LogicalType t : List.of(LogicalType.Integer, LogicalType.Boolean, LogicalType.Enum)) {
      fail(m, t, CoercionInputShape.EmptyString);
    }
    for (LogicalType t : List.of(LogicalType.POJO, LogicalType.Collection, LogicalType.Map)) {
      fail(m, t, CoercionInputShape.EmptyString, CoercionInputShape.String);
    }
    return m;
  }

  private static void fail(ObjectMapper m, LogicalType type, CoercionInputShape... shapes) {
    for (CoercionInputShape shape : shapes) {
      m.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
    }
  }
}
