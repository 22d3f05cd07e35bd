package dev.floatip.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.floatip.api.v1alpha1.VirtualIPSpec;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.api.v1alpha1.crd.CrdFile;
import dev.floatip.api.v1alpha1.crd.CrdValidator;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Every string of the API survives convert's YAML printer as a string: for each string-typed place
 * of the committed CRD (walked from its schema, so every field the records declare, map keys
 * included) and each value of a generated corpus of number-, boolean-, null-, date-looking and
 * special-character strings, the printed YAML reads back to the same tree with three readers
 * (SnakeYAML's YAML 1.1 resolver as in go-yaml/kubectl, snakeyaml-engine's YAML 1.2 core schema,
 * Jackson's reader), and the CRD validator finds exactly the problems it finds in the tree itself
 * (so never "must be of type string").
 */
class YamlQuotingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper JACKSON_YAML = new YAMLMapper();

  /** Typed-looking seeds; {@link #corpus} adds case and sign variants. */
  private static final List<String> SEEDS =
      List.of(
          "0",
          "1",
          "08",
          "0777",
          "1234",
          "1e3",
          "1E+3",
          "2e-5",
          "0x1F",
          "0o17",
          "0b101",
          "1_000",
          "1:20",
          "190:20:30",
          "1:20.5",
          "1.",
          ".5",
          "1.5",
          "0.0",
          "yes",
          "no",
          "on",
          "off",
          "y",
          "n",
          "true",
          "false",
          "null",
          "~",
          "",
          ".inf",
          "inf",
          "infinity",
          ".nan",
          "nan",
          "2001-12-14",
          "2001-12-14t21:59:43.10-05:00",
          "2001-12-14 21:59:43.10 -5",
          "<<",
          "=",
          "- a",
          "a: b",
          "#x",
          "*a",
          "&a",
          "!t",
          "%x",
          "@x",
          "`x",
          "{a}",
          "[a]",
          "'q'",
          "\"q\"",
          " lead",
          "trail ",
          "tab\tin",
          "two\nlines",
          "1 2",
          "0.0.0.0",
          "192.0.2.1/24",
          "1s",
          "eth0:10",
          "s3cret",
          "---",
          "...",
          "?",
          "-",
          ":",
          "|",
          ">");

  /** The values also run through the CRD validator at every place: the issue's, and more. */
  private static final Set<String> CRD_SAMPLE =
      Set.of("0", "yes", "null", "1e3", "0x1F", "08", "~", "on", ".inf", "1:20", "2001-12-14", "");

  static List<String> corpus() {
    Set<String> out = new LinkedHashSet<>();
    for (String s : SEEDS) {
      out.add(s);
      out.add(s.toUpperCase(Locale.ROOT));
      if (!s.isEmpty()) {
        out.add(Character.toUpperCase(s.charAt(0)) + s.substring(1));
      }
      if (!s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '.')) {
        out.add("-" + s);
        out.add("+" + s);
      }
    }
    return List.copyOf(out);
  }

  /** One step to a string: a field, the first item of a list, or a map entry's key or value. */
  sealed interface Step permits Field, Item, Key, Value {}

  record Field(String name) implements Step {}

  record Item() implements Step {}

  record Key() implements Step {}

  record Value() implements Step {}

  static List<List<Step>> stringPlaces(JsonNode schema) {
    List<List<Step>> out = new ArrayList<>();
    walk(schema, new ArrayList<>(), out);
    return out;
  }

  private static void walk(JsonNode s, List<Step> at, List<List<Step>> out) {
    switch (s.path("type").asText()) {
      case "string" -> out.add(List.copyOf(at));
      case "array" -> descend(s.path("items"), at, new Item(), out);
      case "object" -> {
        s.path("properties")
            .properties()
            .forEach(e -> descend(e.getValue(), at, new Field(e.getKey()), out));
        if (s.path("additionalProperties").isObject()) {
          List<Step> key = new ArrayList<>(at);
          key.add(new Key());
          out.add(key);
          descend(s.path("additionalProperties"), at, new Value(), out);
        }
      }
      default -> {}
    }
  }

  private static void descend(JsonNode s, List<Step> at, Step step, List<List<Step>> out) {
    List<Step> next = new ArrayList<>(at);
    next.add(step);
    walk(s, next, out);
  }

  /** A minimal valid VirtualIP with {@code value} at {@code place}. */
  static ObjectNode withValue(List<Step> place, String value) {
    ObjectNode vip = JSON.createObjectNode();
    vip.put("apiVersion", "floatip.dev/v1alpha1").put("kind", "VirtualIP");
    vip.putObject("metadata").put("name", "web");
    vip.putObject("spec").putArray("addresses").add("192.0.2.10/24");
    JsonNode at = vip;
    for (int i = 0; i < place.size(); i++) {
      Step step = place.get(i);
      boolean last = i == place.size() - 1;
      Step next = last ? null : place.get(i + 1);
      at =
          switch (step) {
            case Field f when last -> ((ObjectNode) at).put(f.name(), value);
            case Field f -> child((ObjectNode) at, f.name(), next);
            case Item ignored when last -> ((ArrayNode) at).removeAll().add(value);
            case Item ignored -> container(((ArrayNode) at).removeAll(), next);
            case Key ignored -> ((ObjectNode) at).put(value, "x");
            case Value ignored when last -> ((ObjectNode) at).put("k", value);
            case Value ignored -> containerIn((ObjectNode) at, "k", next);
          };
    }
    return vip;
  }

  private static JsonNode child(ObjectNode parent, String name, Step next) {
    JsonNode existing = parent.get(name);
    if (existing != null && existing.isContainerNode()) {
      return existing;
    }
    return containerIn(parent, name, next);
  }

  private static JsonNode containerIn(ObjectNode parent, String name, Step next) {
    return next instanceof Item ? parent.putArray(name) : parent.putObject(name);
  }

  private static JsonNode container(ArrayNode parent, Step next) {
    return next instanceof Item ? parent.addArray() : parent.addObject();
  }

  private static final List<Function<String, JsonNode>> READERS =
      List.of(
          y -> JSON.valueToTree(new Yaml(new LoaderOptions()).load(y)),
          y -> JSON.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(y)),
          y -> {
            try {
              return JACKSON_YAML.readTree(y);
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });

  @Test
  void everyStringOfTheApiRoundTripsThroughTheYamlPrinterAndTheCrd() throws Exception {
    JsonNode crd = JACKSON_YAML.readTree(Files.readString(CrdFile.COMMITTED));
    JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    CrdValidator validator = CrdValidator.load(CrdFile.COMMITTED);
    List<List<Step>> places = stringPlaces(schema);
    List<String> corpus = corpus();
    // the walk reaches the fields this issue is about
    assertThat(places.toString())
        .contains("Field[name=password]", "Field[name=command], Item[]", "Key[]");
    assertThat(places).hasSizeGreaterThan(50);
    assertThat(corpus).hasSizeGreaterThan(150);

    int checked = 0;
    for (List<Step> place : places) {
      for (String value : corpus) {
        ObjectNode tree = withValue(place, value);
        String yaml = YamlOutput.write(tree);
        for (Function<String, JsonNode> reader : READERS) {
          assertThat(reader.apply(yaml))
              .as("%s = %s printed as%n%s", place, value, yaml)
              .isEqualTo(tree);
        }
        if (!CRD_SAMPLE.contains(value)) {
          continue; // the CRD run (slow: CEL) over a sample; the readers above over all
        }
        assertThat(validator.validate(JACKSON_YAML.readTree(yaml)))
            .as("%s = %s printed as%n%s", place, value, yaml)
            .isEqualTo(validator.validate(tree));
      }
      checked++;
    }
    assertThat(checked).isEqualTo(places.size());
  }

  /**
   * The string fields of the api.v1alpha1 records, found reflectively from VirtualIPSpec and
   * VirtualIPStatus: {@code Record.jsonName} for String, List of String and Map to String.
   */
  static Set<String> recordStringFields() {
    Set<String> out = new TreeSet<>();
    recordStringFields(VirtualIPSpec.class, out, new HashSet<>());
    recordStringFields(VirtualIPStatus.class, out, new HashSet<>());
    return out;
  }

  private static void recordStringFields(Class<?> record, Set<String> out, Set<Class<?>> seen) {
    if (!seen.add(record)) {
      return;
    }
    for (RecordComponent c : record.getRecordComponents()) {
      JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
      if (renamed == null) {
        renamed = c.getAnnotation(JsonProperty.class);
      }
      String name = renamed != null ? renamed.value() : c.getName();
      Type t = c.getGenericType();
      if (t instanceof ParameterizedType p) {
        Type[] args = p.getActualTypeArguments();
        t = args[args.length - 1]; // List<X> or Map<String, X>: X
      }
      if (t == String.class) {
        out.add(record.getSimpleName() + "." + name);
      } else if (t instanceof Class<?> k && k.isRecord() && k.getPackage() == record.getPackage()) {
        recordStringFields(k, out, seen);
      }
    }
  }

  @Test
  void theSchemaWalkReachesEveryStringFieldOfTheRecords() throws Exception {
    JsonNode crd = JACKSON_YAML.readTree(Files.readString(CrdFile.COMMITTED));
    Set<String> walked = new HashSet<>();
    for (List<Step> place : stringPlaces(crd.at("/spec/versions/0/schema/openAPIV3Schema"))) {
      place.stream()
          .filter(Field.class::isInstance)
          .reduce((a, b) -> b)
          .ifPresent(f -> walked.add(((Field) f).name()));
    }
    Set<String> fields = recordStringFields();
    assertThat(fields).contains("VirtualIPSpec.interface", "AuthenticationSpec.password");
    assertThat(fields).hasSizeGreaterThan(30);
    for (String f : fields) {
      assertThat(walked).as(f).contains(f.substring(f.indexOf('.') + 1));
    }
  }

  @Test
  void theIssuesValuesComeOutQuotedAndPlainStringsStayPlain() {
    for (String s : List.of("0", "yes", "null", "1e3", "0x1F", "08", "~", "on", ".inf", "1:20")) {
      assertThat(TypedLookingQuotes.looksTyped(s)).as(s).isTrue();
      assertThat(YamlOutput.write(JSON.createObjectNode().put("k", s)))
          .as(s)
          .isNotEqualTo("k: " + s + "\n");
    }
    for (String s : List.of("1s", "eth0", "192.0.2.1/24", "chk_nginx", "1e", "0xG")) {
      assertThat(YamlOutput.write(JSON.createObjectNode().put("k", s))).isEqualTo("k: " + s + "\n");
    }
  }

  @Test
  void jacksonsMinimizeQuotesAloneLeavesNumbersPlain() throws Exception {
    // why TypedLookingQuotes exists: Jackson's default checker
    YAMLMapper plain =
        YAMLMapper.builder()
            .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();
    for (String s : List.of("0", "1e3", "0x1F", ".inf", "2001-12-14")) {
      assertThat(plain.writeValueAsString(JSON.createObjectNode().put("k", s))).contains("k: " + s);
    }
  }
}
