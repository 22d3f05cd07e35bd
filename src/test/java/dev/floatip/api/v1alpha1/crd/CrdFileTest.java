package dev.floatip.api.v1alpha1.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD is what the API types generate. With {@code -Dfloatip.update=true} (what {@code
 * hack/update-crds.sh} passes) the test rewrites the file instead of failing.
 */
public class CrdFileTest {

  static final boolean UPDATE = Boolean.getBoolean("floatip.update");

  @Test
  void committedCrdIsUpToDate() throws IOException {
    String generated = CrdFile.generate();
    if (UPDATE) {
      CrdFile.write(CrdFile.COMMITTED, generated);
      return;
    }
    if (!Files.exists(CrdFile.COMMITTED)) {
      fail(CrdFile.COMMITTED + " is missing: run " + CrdFile.UPDATE_COMMAND);
    }
    String committed = Files.readString(CrdFile.COMMITTED, StandardCharsets.UTF_8);
    if (!committed.equals(generated)) {
      fail(
          "crds/ is stale: run "
              + CrdFile.UPDATE_COMMAND
              + " (it must equal what the API types in src/main/java/dev/floatip/api/v1alpha1 generate)\n"
              + firstDifference(committed, generated));
    }
  }

  @Test
  void shapeIsDesignSection4() throws IOException {
    JsonNode crd = new YAMLMapper().readTree(CrdFile.generate());
    JsonNode spec = crd.get("spec");
    assertThat(spec.get("group").asText()).isEqualTo("floatip.dev");
    assertThat(spec.get("scope").asText()).isEqualTo("Cluster");
    assertThat(spec.at("/names/kind").asText()).isEqualTo("VirtualIP");
    assertThat(spec.at("/names/shortNames/0").asText()).isEqualTo("vip");
    assertThat(spec.get("versions")).hasSize(1);
    JsonNode version = spec.at("/versions/0");
    assertThat(version.get("name").asText()).isEqualTo("v1alpha1");
    assertThat(version.at("/subresources/status").isObject()).isTrue();
    List<String> columns = new ArrayList<>();
    for (JsonNode c : version.get("additionalPrinterColumns")) {
      columns.add(c.get("name").asText().toUpperCase() + "=" + c.get("jsonPath").asText());
    }
    assertThat(columns)
        .containsExactly(
            "ADDRESSES=.status.addressList",
            "VRID=.status.virtualRouterId",
            "MASTER=.status.master",
            "STATE=.status.phase",
            "NODES=.status.nodesReady",
            "AGE=.metadata.creationTimestamp");
    // issue 11, defect 8: no column is list-valued (kube-apiserver would print a JSON array)
    JsonNode props = version.at("/schema/openAPIV3Schema/properties");
    for (JsonNode c : version.get("additionalPrinterColumns")) {
      JsonNode field = props;
      String[] parts = c.get("jsonPath").asText().substring(1).split("\\.");
      for (int i = 0; i < parts.length && field != null; i++) {
        field = field.path(parts[i]);
        field = i < parts.length - 1 ? field.path("properties") : field;
      }
      if (!c.get("jsonPath").asText().startsWith(".metadata.")) {
        assertThat(field.path("type").asText())
            .as(c.get("jsonPath").asText())
            .isNotEqualTo("array");
      }
    }
    // every status column points at a field of the status schema
    JsonNode status = version.at("/schema/openAPIV3Schema/properties/status/properties");
    for (JsonNode c : version.get("additionalPrinterColumns")) {
      String path = c.get("jsonPath").asText();
      if (path.startsWith(".status.")) {
        assertThat(status.has(path.substring(".status.".length()))).as(path).isTrue();
      }
    }
  }

  /** Issue 11, defect 8: duplicates are refused by list type, not by an O(n²) CEL rule. */
  @Test
  void uniqueListsAreSetsWithoutExistsOneRules() throws IOException {
    String text = CrdFile.generate();
    assertThat(text).doesNotContain("exists_one");
    JsonNode schema = new YAMLMapper().readTree(text).at("/spec/versions/0/schema/openAPIV3Schema");
    for (String path :
        List.of(
            "/properties/spec/properties/addresses",
            "/properties/spec/properties/priority/properties/order",
            "/properties/status/properties/nodes/additionalProperties/properties/foreignVrids")) {
      assertThat(schema.at(path + "/x-kubernetes-list-type").asText()).as(path).isEqualTo("set");
    }
    JsonNode foreign =
        schema.at(
            "/properties/status/properties/nodes/additionalProperties/properties/foreignVrids");
    assertThat(foreign.get("maxItems").asInt()).isEqualTo(255);
    assertThat(foreign.at("/items/minimum").asInt()).isEqualTo(1);
    assertThat(foreign.at("/items/maximum").asInt()).isEqualTo(255);
  }

  static String firstDifference(String a, String b) {
    return firstDifference(a, b, "generated");
  }

  /** Where a committed file and a fresh {@code label} (generated, rendered…) first differ. */
  public static String firstDifference(String a, String b, String label) {
    String[] x = a.split("\n", -1);
    String[] y = b.split("\n", -1);
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String l = i < x.length ? x[i] : "<end of file>";
      String r = i < y.length ? y[i] : "<end of file>";
      if (!l.equals(r)) {
        return "first difference at line "
            + (i + 1)
            + ":\n  committed: "
            + l
            + "\n  "
            + (label + ":          ").substring(0, 11)
            + r;
      }
    }
    return "";
  }
}
