package dev.floatip.api.v1alpha1.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableSet;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates VirtualIP manifests offline against the committed CRD the way the API server would,
 * because no API server runs in our tests (research/toolchain.md §5.3) and Fabric8's mock server
 * does not enforce a CRD schema. In the API server's order:
 *
 * <ol>
 *   <li>apiVersion, kind and metadata.name;
 *   <li>unknown fields are refused (kubectl's default {@code --validate=strict}: field validation
 *       Strict, instead of silent pruning);
 *   <li>schema defaults are applied;
 *   <li>the OpenAPI v3 schema, converted to JSON Schema (draft 4, which OpenAPI 3.0 schemas
 *       follow), is checked with networknt's json-schema-validator;
 *   <li>every {@code x-kubernetes-validations} rule is compiled with cel-java against a type
 *       declared from the schema (as Kubernetes does: a rule that does not type-check would make
 *       the API server refuse the CRD) and evaluated with {@code self} bound to the defaulted value
 *       at its place. As in the API server, the rules are skipped when the object has type errors.
 * </ol>
 *
 * <p>Limits, stated: cel-java has the CEL standard library and macros, not Kubernetes' extension
 * libraries (ip, cidr, quantity, url, lists, regex), so rules must stay within the standard
 * library; the API server's cost estimation is not reproduced (the schema bounds every list and
 * string a rule iterates over instead). Where cel-java and cel-go differ ({@code
 * duration.getMilliseconds()}: cel-go returns the total, cel-java the component), the rules use
 * only forms on which both agree.
 */
public final class CrdValidator {

  /** One problem, with the field path the API server would name. */
  public record Problem(String path, String message) {
    @Override
    public String toString() {
      return path + ": " + message;
    }
  }

  /** CEL reserved words that Kubernetes escapes in property names ({@code __name__}). */
  private static final Set<String> CEL_RESERVED =
      Set.of(
          "true",
          "false",
          "null",
          "in",
          "as",
          "break",
          "const",
          "continue",
          "else",
          "for",
          "function",
          "if",
          "import",
          "let",
          "loop",
          "package",
          "namespace",
          "return",
          "var",
          "void",
          "while");

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private static final ObjectMapper YAML = new YAMLMapper();

  private final String apiVersion;
  private final String kind;
  private final JsonNode schema;
  private final JsonSchema jsonSchema;
  private final Map<JsonNode, List<CompiledRule>> rules = new IdentityHashMap<>();
  private final List<String> ruleSources = new ArrayList<>();
  private final List<String> ruleMessages = new ArrayList<>();

  private record CompiledRule(
      String rule, String message, String fieldPath, Cel cel, CelAbstractSyntaxTree ast) {}

  private CrdValidator(JsonNode crd) {
    JsonNode version = crd.at("/spec/versions/0");
    this.apiVersion = crd.at("/spec/group").asText() + "/" + version.get("name").asText();
    this.kind = crd.at("/spec/names/kind").asText();
    this.schema = version.at("/schema/openAPIV3Schema");
    ObjectNode json = toJsonSchema(schema);
    ObjectNode props = (ObjectNode) json.withObject("/properties");
    props.putObject("apiVersion").put("type", "string");
    props.putObject("kind").put("type", "string");
    props.putObject("metadata").put("type", "object");
    json.put("additionalProperties", false);
    this.jsonSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(json);
    compileRules(schema, "self");
  }

  /** Loads a CRD file (YAML). */
  public static CrdValidator load(Path crd) {
    try {
      return new CrdValidator(YAML.readTree(Files.readString(crd)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a CRD (YAML text). */
  public static CrdValidator parse(String crdYaml) {
    try {
      return new CrdValidator(YAML.readTree(crdYaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every rule of the CRD, as written, in schema order. */
  public List<String> rules() {
    return List.copyOf(ruleSources);
  }

  /** The message of every rule, in schema order. */
  public List<String> ruleMessages() {
    return List.copyOf(ruleMessages);
  }

  /** The problems of one object (a parsed YAML or JSON document); empty if it would be admitted. */
  public List<Problem> validate(JsonNode object) {
    List<Problem> problems = new ArrayList<>();
    if (!object.isObject()) {
      return List.of(new Problem("", "must be an object"));
    }
    ObjectNode obj = object.deepCopy();
    if (!apiVersion.equals(obj.path("apiVersion").asText())) {
      problems.add(new Problem("apiVersion", "must be " + apiVersion));
    }
    if (!kind.equals(obj.path("kind").asText())) {
      problems.add(new Problem("kind", "must be " + kind));
    }
    String name = obj.path("metadata").path("name").asText("");
    if (name.isEmpty()) {
      problems.add(new Problem("metadata.name", "Required value: name is required"));
    } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      problems.add(new Problem("metadata.name", "must be a lowercase RFC 1123 subdomain"));
    }
    applyDefaults(schema, obj);
    boolean typeErrors = false;
    for (ValidationMessage m : jsonSchema.validate(obj)) {
      String path = jsonPath(m.getInstanceLocation().toString());
      if ("additionalProperties".equals(m.getType())) {
        path = join(path, m.getProperty());
        problems.add(new Problem(path, "unknown field \"" + path + "\""));
        continue;
      }
      typeErrors |= "type".equals(m.getType());
      problems.add(new Problem(path, m.getError()));
    }
    if (!typeErrors) {
      evaluateRules(schema, obj, "", problems);
    }
    problems.sort(Comparator.comparing(Problem::path));
    return problems;
  }

  // --- defaults -----------------------------------------------------------------------------

  private static void applyDefaults(JsonNode schema, JsonNode value) {
    if (value == null || value.isNull()) {
      return;
    }
    if (value.isObject()) {
      ObjectNode obj = (ObjectNode) value;
      JsonNode props = schema.get("properties");
      if (props != null) {
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> p = it.next();
          if (!obj.has(p.getKey()) && p.getValue().has("default")) {
            obj.set(p.getKey(), p.getValue().get("default").deepCopy());
          }
          applyDefaults(p.getValue(), obj.get(p.getKey()));
        }
      }
      JsonNode extra = schema.get("additionalProperties");
      if (extra != null && extra.isObject()) {
        obj.forEach(v -> applyDefaults(extra, v));
      }
    } else if (value.isArray() && schema.has("items")) {
      value.forEach(v -> applyDefaults(schema.get("items"), v));
    }
  }

  // --- OpenAPI v3 (structural) to JSON Schema ------------------------------------------------

  private static ObjectNode toJsonSchema(JsonNode openApi) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    boolean preserveUnknown = openApi.path("x-kubernetes-preserve-unknown-fields").asBoolean();
    for (Iterator<Map.Entry<String, JsonNode>> it = openApi.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode v = e.getValue();
      switch (key) {
        case "properties" -> {
          ObjectNode props = out.putObject("properties");
          v.fields().forEachRemaining(p -> props.set(p.getKey(), toJsonSchema(p.getValue())));
        }
        case "items", "additionalProperties" ->
            out.set(key, v.isObject() ? toJsonSchema(v) : v.deepCopy());
        case "nullable" -> {
          // handled below
        }
        case "x-kubernetes-list-type" -> {
          // a set: the API server refuses a duplicate item (listtype/validation.go)
          if ("set".equals(v.asText())) {
            out.put("uniqueItems", true);
          }
        }
        default -> {
          if (!key.startsWith("x-kubernetes-")) {
            out.set(key, v.deepCopy());
          }
        }
      }
    }
    if (openApi.path("nullable").asBoolean() && out.has("type")) {
      ArrayNode types = JsonNodeFactory.instance.arrayNode();
      types.add(out.get("type").asText()).add("null");
      out.set("type", types);
    }
    if ("object".equals(openApi.path("type").asText())
        && openApi.has("properties")
        && !openApi.has("additionalProperties")
        && !preserveUnknown) {
      out.put("additionalProperties", false);
    }
    return out;
  }

  // --- CEL ----------------------------------------------------------------------------------

  private void compileRules(JsonNode node, String typeName) {
    JsonNode validations = node.get("x-kubernetes-validations");
    if (validations != null) {
      Map<String, CelType> structs = new LinkedHashMap<>();
      CelType selfType = celType(node, typeName, structs);
      CelTypeProvider provider =
          new CelTypeProvider() {
            @Override
            public ImmutableCollection<CelType> types() {
              return ImmutableSet.copyOf(structs.values());
            }

            @Override
            public Optional<CelType> findType(String name) {
              return Optional.ofNullable(structs.get(name));
            }
          };
      Cel cel =
          CelFactory.standardCelBuilder()
              .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
              .setTypeProvider(provider)
              .addVar("self", selfType)
              .setResultType(SimpleType.BOOL)
              .build();
      List<CompiledRule> compiled = new ArrayList<>();
      for (JsonNode v : validations) {
        String rule = v.get("rule").asText();
        ruleSources.add(rule);
        CelAbstractSyntaxTree ast;
        try {
          ast = cel.compile(rule).getAst();
        } catch (CelValidationException e) {
          throw new IllegalStateException(
              "the API server would refuse the CRD: rule at "
                  + typeName
                  + " does not compile: "
                  + e.getMessage(),
              e);
        }
        ruleMessages.add(v.path("message").asText("failed rule: " + rule));
        compiled.add(
            new CompiledRule(
                rule,
                v.path("message").asText("failed rule: " + rule),
                v.path("fieldPath").asText(""),
                cel,
                ast));
      }
      rules.put(node, compiled);
    }
    JsonNode props = node.get("properties");
    if (props != null) {
      props.fields().forEachRemaining(p -> compileRules(p.getValue(), typeName + "." + p.getKey()));
    }
    if (node.has("items")) {
      compileRules(node.get("items"), typeName + ".@items");
    }
    if (node.path("additionalProperties").isObject()) {
      compileRules(node.get("additionalProperties"), typeName + ".@values");
    }
  }

  /** The CEL type Kubernetes declares for a schema (apiserver/pkg/cel/common/schemas.go). */
  private static CelType celType(JsonNode s, String name, Map<String, CelType> structs) {
    if (s.path("x-kubernetes-int-or-string").asBoolean()
        || s.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      return SimpleType.DYN;
    }
    return switch (s.path("type").asText()) {
      case "boolean" -> SimpleType.BOOL;
      case "integer" -> SimpleType.INT;
      case "number" -> SimpleType.DOUBLE;
      case "string" ->
          switch (s.path("format").asText()) {
            case "date-time" -> SimpleType.TIMESTAMP;
            case "duration" -> SimpleType.DURATION;
            case "byte" -> SimpleType.BYTES;
            default -> SimpleType.STRING;
          };
      case "array" -> ListType.create(celType(s.path("items"), name + ".@items", structs));
      case "object" -> {
        if (s.path("additionalProperties").isObject()) {
          yield MapType.create(
              SimpleType.STRING,
              celType(s.get("additionalProperties"), name + ".@values", structs));
        }
        if (!s.has("properties")) {
          yield SimpleType.DYN;
        }
        Map<String, CelType> fields = new LinkedHashMap<>();
        s.get("properties")
            .fields()
            .forEachRemaining(
                p ->
                    fields.put(
                        escape(p.getKey()),
                        celType(p.getValue(), name + "." + p.getKey(), structs)));
        StructType struct =
            StructType.create(
                name,
                ImmutableSet.copyOf(fields.keySet()),
                f -> Optional.ofNullable(fields.get(f)));
        structs.put(name, struct);
        yield struct;
      }
      default -> SimpleType.DYN;
    };
  }

  /** Kubernetes' escaping of property names in CEL (CEL reserved words, '_', '.', '-', '/'). */
  static String escape(String name) {
    if (CEL_RESERVED.contains(name)) {
      return "__" + name + "__";
    }
    return name.replace("__", "__underscores__")
        .replace(".", "__dot__")
        .replace("-", "__dash__")
        .replace("/", "__slash__");
  }

  private void evaluateRules(JsonNode s, JsonNode value, String path, List<Problem> problems) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    for (CompiledRule r : rules.getOrDefault(s, List.of())) {
      Object result;
      try {
        result = r.cel().createProgram(r.ast()).eval(Map.of("self", celValue(s, value)));
      } catch (CelEvaluationException e) {
        problems.add(new Problem(path, "rule " + r.rule() + " failed: " + e.getMessage()));
        continue;
      }
      if (!Boolean.TRUE.equals(result)) {
        problems.add(new Problem(join(path, r.fieldPath().replaceFirst("^\\.", "")), r.message()));
      }
    }
    JsonNode props = s.get("properties");
    if (props != null && value.isObject()) {
      props
          .fields()
          .forEachRemaining(
              p ->
                  evaluateRules(
                      p.getValue(), value.get(p.getKey()), join(path, p.getKey()), problems));
    }
    if (s.has("items") && value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        evaluateRules(s.get("items"), value.get(i), path + "[" + i + "]", problems);
      }
    }
    if (s.path("additionalProperties").isObject() && value.isObject()) {
      value
          .fields()
          .forEachRemaining(
              e ->
                  evaluateRules(
                      s.get("additionalProperties"),
                      e.getValue(),
                      join(path, e.getKey()),
                      problems));
    }
  }

  /** A JSON value as the CEL value of the schema's type (objects with properties: escaped keys). */
  private static Object celValue(JsonNode s, JsonNode v) {
    if (v.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      JsonNode props = s.get("properties");
      JsonNode extra = s.get("additionalProperties");
      v.fields()
          .forEachRemaining(
              e -> {
                if (props != null && props.has(e.getKey())) {
                  map.put(escape(e.getKey()), celValue(props.get(e.getKey()), e.getValue()));
                } else if (extra != null && extra.isObject()) {
                  map.put(e.getKey(), celValue(extra, e.getValue()));
                } else {
                  map.put(
                      e.getKey(), celValue(JsonNodeFactory.instance.objectNode(), e.getValue()));
                }
              });
      return map;
    }
    if (v.isArray()) {
      List<Object> list = new ArrayList<>();
      JsonNode items = s.path("items");
      v.forEach(e -> list.add(celValue(items, e)));
      return list;
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isNull()) {
      return com.google.protobuf.NullValue.NULL_VALUE;
    }
    return v.asText();
  }

  private static String jsonPath(String location) {
    // "$.spec.addresses[0]" -> "spec.addresses[0]"; "$['a.b']" kept as is after the root
    String p = location.startsWith("$") ? location.substring(1) : location;
    return p.startsWith(".") ? p.substring(1) : p;
  }

  private static String join(String path, String field) {
    if (field == null || field.isEmpty()) {
      return path;
    }
    return path.isEmpty() ? field : path + "." + field;
  }
}
