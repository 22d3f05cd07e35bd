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
import dev.floatip.testing.apiserver.FieldError;
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
 * <p>{@link #validate} answers with problems for the CRD tests (networknt's messages, unknown
 * fields refused, x-kubernetes-list-type duplicates). The test API server's admission uses the
 * kube-apiserver path instead: {@link #prune}, {@link #applyDefaults(ObjectNode)} and {@link
 * #kubeErrors}, which reports kube-openapi's messages as apimachinery field errors, list-type
 * set/map duplicates, and the CEL rules with {@code oldSelf} (transition rules only on update),
 * messageExpression, reason and fieldPath, ratcheting unchanged values on update.
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
      String rule,
      String message,
      String fieldPath,
      String reason,
      boolean transition,
      Cel cel,
      CelAbstractSyntaxTree ast,
      CelAbstractSyntaxTree messageExpression) {}

  /** A rule that uses {@code oldSelf} is a transition rule (apiextensions cel/compilation.go). */
  private static final Pattern OLD_SELF = Pattern.compile("(?<![\\w.])oldSelf\\b");

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
    for (FieldError e : listTypeErrors(schema, obj, null, "")) {
      problems.add(new Problem(e.field(), e.body()));
    }
    if (!typeErrors) {
      evaluateRules(schema, obj, "", problems);
    }
    problems.sort(Comparator.comparing(Problem::path));
    return problems;
  }

  // --- as kube-apiserver answers a write (used by the test API server's CrdAdmission) ---------

  /** The ObjectMeta fields kube keeps; others are pruned (apiextensions schema/objectmeta). */
  private static final Set<String> OBJECT_META =
      Set.of(
          "name",
          "generateName",
          "namespace",
          "selfLink",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "labels",
          "annotations",
          "ownerReferences",
          "finalizers",
          "managedFields");

  /** The kind's apiVersion ({@code floatip.dev/v1alpha1}). */
  public String apiVersion() {
    return apiVersion;
  }

  /** The kind ({@code VirtualIP}). */
  public String kind() {
    return kind;
  }

  /**
   * Prunes unknown fields in place (apiextensions schema/pruning, objectmeta coercion) and returns
   * their paths ({@code spec.vrid}, {@code spec.track.scripts[0].x}) in document order.
   */
  public List<String> prune(ObjectNode object) {
    List<String> pruned = new ArrayList<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!schema.path("properties").has(f)
          && !Set.of("apiVersion", "kind", "metadata").contains(f)) {
        pruned.add(f);
        it.remove();
      }
    }
    if (object.get("metadata") instanceof ObjectNode meta) {
      for (Iterator<String> it = meta.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!OBJECT_META.contains(f)) {
          pruned.add("metadata." + f);
          it.remove();
        }
      }
    }
    schema
        .path("properties")
        .fields()
        .forEachRemaining(p -> prune(p.getValue(), object.get(p.getKey()), p.getKey(), pruned));
    return pruned;
  }

  private static void prune(JsonNode s, JsonNode v, String path, List<String> pruned) {
    if (v == null || s.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      return;
    }
    if (v instanceof ObjectNode obj) {
      JsonNode props = s.get("properties");
      JsonNode extra = s.get("additionalProperties");
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = join(path, e.getKey());
        if (props != null && props.has(e.getKey())) {
          prune(props.get(e.getKey()), e.getValue(), child, pruned);
        } else if (extra != null && extra.isObject()) {
          prune(extra, e.getValue(), child, pruned);
        } else if (extra == null || !extra.asBoolean(false)) {
          pruned.add(child);
          it.remove();
        }
      }
    } else if (v.isArray() && s.has("items")) {
      for (int i = 0; i < v.size(); i++) {
        prune(s.get("items"), v.get(i), path + "[" + i + "]", pruned);
      }
    }
  }

  /**
   * Structural defaulting as on decoding (apiextensions schema/defaulting): a null of a
   * non-nullable field gets its default or is dropped, then absent fields get their defaults.
   */
  public void applyDefaults(ObjectNode object) {
    dropNulls(schema, object);
    applyDefaults(schema, object);
  }

  private static void dropNulls(JsonNode s, JsonNode v) {
    if (v instanceof ObjectNode obj) {
      JsonNode props = s.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode ps =
            props.has(e.getKey()) ? props.get(e.getKey()) : s.path("additionalProperties");
        if (e.getValue().isNull() && !ps.path("nullable").asBoolean()) {
          if (ps.has("default")) {
            e.setValue(ps.get("default").deepCopy());
          } else {
            it.remove();
          }
        } else {
          dropNulls(ps, e.getValue());
        }
      }
    } else if (v != null && v.isArray()) {
      v.forEach(item -> dropNulls(s.path("items"), item));
    }
  }

  /**
   * The errors kube-apiserver reports for a custom resource's content (after pruning and
   * defaulting), in its order (registry/customresource strategy.go, validator.go): the structural
   * schema (kube-openapi's messages via apiserver/validation.go), the x-kubernetes-list-type
   * set/map invariants, then, unless a blocking error was found, the x-kubernetes-validations rules
   * (transition rules only where the old value exists). With {@code old} (an update), validation
   * ratchets as with CRDValidationRatcheting (on by default since 1.30): a value equal to its
   * correlated old value is not validated again; list-type errors count only if the old object had
   * none.
   *
   * @param old the stored object on update, null on create
   * @param extra errors found before (metadata), counted for the blocking-error rule
   */
  public List<FieldError> kubeErrors(ObjectNode object, JsonNode old, List<FieldError> extra) {
    List<FieldError> errs = new ArrayList<>(extra);
    ObjectNode content = object.deepCopy();
    content.remove(List.of("apiVersion", "kind", "metadata"));
    JsonNode oldContent = null;
    if (old != null) {
      ObjectNode o = (ObjectNode) old.deepCopy();
      o.remove(List.of("apiVersion", "kind", "metadata"));
      oldContent = o;
    }
    List<FieldError> schemaErrs = new ArrayList<>();
    walk(schema, content, oldContent, "", schemaErrs);
    // kube-openapi walks properties in Go map order (random); sorted here to be deterministic
    schemaErrs.sort(Comparator.comparing(FieldError::field));
    errs.addAll(schemaErrs);
    List<FieldError> listErrs = listTypeErrors(schema, content, null, "");
    if (old == null || listTypeErrors(schema, oldContent, null, "").isEmpty()) {
      errs.addAll(listErrs);
    }
    boolean blocking =
        errs.stream()
            .anyMatch(
                e ->
                    Set.of(
                            "FieldValueNotSupported",
                            "FieldValueRequired",
                            "FieldValueTooLong",
                            "FieldValueTooMany",
                            "FieldValueTypeInvalid")
                        .contains(e.type()));
    if (blocking) {
      errs.add(
          FieldError.invalid(
              "<nil>",
              FieldError.NULL,
              "some validation rules were not checked because the object was invalid; correct"
                  + " the existing errors to complete validation"));
    } else {
      celErrors(schema, content, oldContent, "", errs);
    }
    return errs;
  }

  private static final Pattern TRAILING_ZERO = Pattern.compile("\\.0$");

  private static String number(JsonNode n) {
    return TRAILING_ZERO.matcher(n.asText()).replaceFirst("");
  }

  private static String jsonType(JsonNode v) {
    if (v.isObject()) {
      return "object";
    }
    if (v.isArray()) {
      return "array";
    }
    if (v.isTextual()) {
      return "string";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    if (v.isNumber()) {
      return "number";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    return "null";
  }

  private static boolean hasType(JsonNode v, String type) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "integer" ->
          v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      default -> true;
    };
  }

  /** kube-openapi's SchemaValidator, with kube's mapping to field errors. */
  private static void walk(
      JsonNode s, JsonNode v, JsonNode old, String path, List<FieldError> errs) {
    if (v == null || (old != null && old.equals(v))) {
      return; // absent, or unchanged (ratcheting)
    }
    String name = path.isEmpty() ? "." : path;
    String type = s.path("type").asText("");
    if (v.isNull()) {
      if (!s.path("nullable").asBoolean() && !type.isEmpty()) {
        errs.add(
            FieldError.typeInvalid(
                path, "null", name + " in body must be of type " + type + ": \"null\""));
      }
      return;
    }
    if (s.path("x-kubernetes-int-or-string").asBoolean()) {
      if (!v.isTextual() && !v.isIntegralNumber()) {
        errs.add(
            FieldError.typeInvalid(
                path,
                jsonType(v),
                name + " in body must be of type integer,string: \"" + jsonType(v) + "\""));
        return;
      }
    } else if (!type.isEmpty() && !hasType(v, type)) {
      errs.add(
          FieldError.typeInvalid(
              path,
              jsonType(v),
              name + " in body must be of type " + type + ": \"" + jsonType(v) + "\""));
      return;
    }
    if (s.has("enum")) {
      boolean found = false;
      List<String> values = new ArrayList<>();
      for (JsonNode e : s.get("enum")) {
        found |= e.equals(v) || (e.isNumber() && v.isNumber() && e.asDouble() == v.asDouble());
        values.add(e.isTextual() ? e.asText() : e.toString());
      }
      if (!found) {
        errs.add(FieldError.notSupported(path, v, values));
      }
    }
    if (v.isTextual()) {
      String text = v.asText();
      int length = text.codePointCount(0, text.length());
      if (s.has("maxLength") && length > s.get("maxLength").asInt()) {
        errs.add(FieldError.tooLong(path, v, s.get("maxLength").asInt()));
      }
      if (s.has("minLength") && length < s.get("minLength").asInt()) {
        errs.add(
            FieldError.invalid(
                path,
                v,
                name
                    + " in body should be at least "
                    + s.get("minLength").asInt()
                    + " chars long"));
      }
      if (s.has("pattern") && !Pattern.compile(s.get("pattern").asText()).matcher(text).find()) {
        errs.add(
            FieldError.invalid(
                path, v, name + " in body should match '" + s.get("pattern").asText() + "'"));
      }
    }
    if (v.isNumber()) {
      double d = v.asDouble();
      if (s.has("maximum") && d > s.get("maximum").asDouble()) {
        errs.add(
            FieldError.invalid(
                path,
                v,
                name + " in body should be less than or equal to " + number(s.get("maximum"))));
      }
      if (s.has("minimum") && d < s.get("minimum").asDouble()) {
        errs.add(
            FieldError.invalid(
                path,
                v,
                name + " in body should be greater than or equal to " + number(s.get("minimum"))));
      }
    }
    if (v.isArray()) {
      if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
        errs.add(FieldError.tooMany(path, v.size(), s.get("maxItems").asInt()));
      }
      if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
        errs.add(
            FieldError.invalid(
                path,
                v.size(),
                name + " in body should have at least " + s.get("minItems").asInt() + " items"));
      }
      if (s.has("items")) {
        for (int i = 0; i < v.size(); i++) {
          walk(s.get("items"), v.get(i), correlate(s, old, v.get(i)), path + "[" + i + "]", errs);
        }
      }
    }
    if (v.isObject()) {
      for (JsonNode r : s.path("required")) {
        if (!v.has(r.asText())) {
          errs.add(FieldError.required(join(path, r.asText()), ""));
        }
      }
      if (s.has("maxProperties") && v.size() > s.get("maxProperties").asInt()) {
        errs.add(FieldError.tooMany(path, v.size(), s.get("maxProperties").asInt()));
      }
      JsonNode props = s.path("properties");
      JsonNode extra = s.get("additionalProperties");
      v.fields()
          .forEachRemaining(
              e -> {
                JsonNode child =
                    props.has(e.getKey())
                        ? props.get(e.getKey())
                        : (extra != null && extra.isObject() ? extra : null);
                if (child != null) {
                  JsonNode o = old != null && old.isObject() ? old.get(e.getKey()) : null;
                  walk(child, e.getValue(), o, join(path, e.getKey()), errs);
                }
              });
    }
  }

  /**
   * The old item an array item correlates with (apiserver/pkg/cel/common/equality.go): by keys in a
   * list-type map, by value in a set; none in an atomic list.
   */
  private static JsonNode correlate(JsonNode arraySchema, JsonNode oldArray, JsonNode item) {
    if (oldArray == null || !oldArray.isArray()) {
      return null;
    }
    String listType = arraySchema.path("x-kubernetes-list-type").asText("atomic");
    if (listType.equals("set")) {
      for (JsonNode o : oldArray) {
        if (o.equals(item)) {
          return o;
        }
      }
    } else if (listType.equals("map")) {
      JsonNode keys = mapKeys(arraySchema, item);
      for (JsonNode o : oldArray) {
        if (mapKeys(arraySchema, o).equals(keys)) {
          return o;
        }
      }
    }
    return null;
  }

  private static ObjectNode mapKeys(JsonNode arraySchema, JsonNode item) {
    ObjectNode keys = JsonNodeFactory.instance.objectNode();
    for (JsonNode k : arraySchema.path("x-kubernetes-list-map-keys")) {
      JsonNode value = item.get(k.asText());
      if (value == null
          && arraySchema.path("items").path("properties").path(k.asText()).has("default")) {
        value = arraySchema.path("items").path("properties").path(k.asText()).get("default");
      }
      if (value != null) {
        keys.set(k.asText(), value);
      }
    }
    return keys;
  }

  /**
   * x-kubernetes-list-type invariants (apiextensions schema/listtype/validation.go): a set holds no
   * value twice, a map no key tuple twice; each repetition is a Duplicate at its index.
   */
  static List<FieldError> listTypeErrors(
      JsonNode s, JsonNode v, List<FieldError> into, String path) {
    List<FieldError> errs = into == null ? new ArrayList<>() : into;
    if (v == null) {
      return errs;
    }
    if (v.isArray()) {
      String listType = s.path("x-kubernetes-list-type").asText("atomic");
      List<JsonNode> seen = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = v.get(i);
        JsonNode key =
            switch (listType) {
              case "set" -> item;
              case "map" -> mapKeys(s, item);
              default -> null;
            };
        if (key != null) {
          if (seen.contains(key)) {
            errs.add(
                FieldError.duplicate(
                    path + "[" + i + "]",
                    listType.equals("map") ? FieldError.goMap(key, "interface {}") : key));
          } else {
            seen.add(key);
          }
        }
        listTypeErrors(s.path("items"), item, errs, path + "[" + i + "]");
      }
    } else if (v.isObject()) {
      JsonNode props = s.path("properties");
      JsonNode extra = s.path("additionalProperties");
      v.fields()
          .forEachRemaining(
              e -> {
                JsonNode child = props.has(e.getKey()) ? props.get(e.getKey()) : extra;
                if (child.isObject()) {
                  listTypeErrors(child, e.getValue(), errs, join(path, e.getKey()));
                }
              });
    }
    return errs;
  }

  /**
   * x-kubernetes-validations as apiextensions schema/cel/validation.go evaluates them: each rule
   * with {@code self} (and {@code oldSelf} where an old value correlates); a transition rule only
   * then; a failure is a field error of the rule's reason (Invalid by default, the schema type as
   * the value) at the rule's fieldPath, with the messageExpression's result, else the message, else
   * {@code failed rule: RULE}.
   */
  private void celErrors(JsonNode s, JsonNode v, JsonNode old, String path, List<FieldError> errs) {
    if (v == null || v.isNull() || (old != null && old.equals(v))) {
      return;
    }
    for (CompiledRule r : rules.getOrDefault(s, List.of())) {
      if (r.transition() && old == null) {
        continue;
      }
      Map<String, Object> vars = new LinkedHashMap<>();
      vars.put("self", celValue(s, v));
      if (old != null) {
        vars.put("oldSelf", celValue(s, old));
      }
      String at = join(path, r.fieldPath().replaceFirst("^\\.", ""));
      String type = s.path("type").asText("");
      Object result;
      try {
        result = r.cel().createProgram(r.ast()).eval(vars);
      } catch (CelEvaluationException e) {
        errs.add(FieldError.invalid(path, type, "rule evaluation error: " + e.getMessage()));
        continue;
      }
      if (Boolean.TRUE.equals(result)) {
        continue;
      }
      String message = r.message();
      if (r.messageExpression() != null) {
        try {
          Object m = r.cel().createProgram(r.messageExpression()).eval(vars);
          if (m instanceof String text && !text.isBlank() && !text.contains("\n")) {
            message = text;
          }
        } catch (CelEvaluationException e) {
          // kube falls back to the message
        }
      }
      errs.add(
          switch (r.reason()) {
            case "FieldValueForbidden" -> FieldError.forbidden(at, message);
            case "FieldValueRequired" -> FieldError.required(at, message);
            case "FieldValueDuplicate" -> FieldError.duplicate(at, type);
            default -> FieldError.invalid(at, type, message);
          });
    }
    JsonNode props = s.get("properties");
    if (props != null && v.isObject()) {
      props
          .fields()
          .forEachRemaining(
              p ->
                  celErrors(
                      p.getValue(),
                      v.get(p.getKey()),
                      old != null && old.isObject() ? old.get(p.getKey()) : null,
                      join(path, p.getKey()),
                      errs));
    }
    if (s.has("items") && v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        celErrors(
            s.get("items"), v.get(i), correlate(s, old, v.get(i)), path + "[" + i + "]", errs);
      }
    }
    if (s.path("additionalProperties").isObject() && v.isObject()) {
      v.fields()
          .forEachRemaining(
              e ->
                  celErrors(
                      s.get("additionalProperties"),
                      e.getValue(),
                      old != null && old.isObject() ? old.get(e.getKey()) : null,
                      join(path, e.getKey()),
                      errs));
    }
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
              .addVar("oldSelf", selfType)
              .setResultType(SimpleType.BOOL)
              .build();
      Cel messageCel =
          CelFactory.standardCelBuilder()
              .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
              .setTypeProvider(provider)
              .addVar("self", selfType)
              .addVar("oldSelf", selfType)
              .setResultType(SimpleType.STRING)
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
        String message = v.path("message").asText("");
        if (message.isBlank()) {
          message = "failed rule: " + rule.strip();
        }
        ruleMessages.add(message);
        CelAbstractSyntaxTree messageAst = null;
        if (v.hasNonNull("messageExpression")) {
          try {
            messageAst = messageCel.compile(v.get("messageExpression").asText()).getAst();
          } catch (CelValidationException e) {
            throw new IllegalStateException(
                "the API server would refuse the CRD: messageExpression at "
                    + typeName
                    + " does not compile: "
                    + e.getMessage(),
                e);
          }
        }
        compiled.add(
            new CompiledRule(
                rule,
                message,
                v.path("fieldPath").asText(""),
                v.path("reason").asText(""),
                OLD_SELF.matcher(rule).find(),
                cel,
                ast,
                messageAst));
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
      if (r.transition()) {
        continue; // evaluated only on update (kubeErrors)
      }
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
