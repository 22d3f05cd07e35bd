package dev.floatip.api.v1alpha1.crd;

import dev.floatip.api.v1alpha1.VirtualIP;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The committed CRD, {@code crds/virtualips.floatip.dev.yaml}: generated from the API types with
 * Fabric8's CRD generator (the one the Quarkus Operator SDK runs at build time) and post-processed
 * here. Deterministic: the same classes give the same bytes.
 *
 * <p>Post-processing: Fabric8 sorts the printer columns by JSON path; they are put back in the
 * order they are declared on {@link VirtualIP} (DESIGN §4: ADDRESSES, VRID, MASTER, STATE, NODES,
 * AGE). Fabric8 repeats a rule declared on a record component; duplicates are dropped. The lists in
 * {@link #SET_LISTS} get {@code x-kubernetes-list-type: set} (Fabric8 has no annotation for it):
 * the API server refuses a duplicate item in O(n), where a CEL {@code exists_one} rule costs O(n²)
 * (apiextensions-apiserver pkg/apiserver/schema/listtype/validation.go). The generator's "manual
 * edits might get overwritten" banner is replaced by one naming the command that regenerates the
 * file.
 */
public final class CrdFile {

  /** The committed file, relative to the project root (the tests' working directory). */
  public static final Path COMMITTED = Path.of("crds", "virtualips.floatip.dev.yaml");

  /** The command that rewrites the committed files. */
  public static final String UPDATE_COMMAND = "hack/update-crds.sh";

  static final String HEADER =
      "# Generated from src/main/java/dev/floatip/api/v1alpha1 by "
          + UPDATE_COMMAND
          + "; do not edit.\n"
          + "# Fabric8 CRDGenerator v2, post-processed by dev.floatip.api.v1alpha1.crd.CrdFile"
          + " (test sources).\n";

  /**
   * Lists whose items are unique ({@code x-kubernetes-list-type: set}), as property paths in the
   * schema; {@code *} is a map's values.
   */
  static final List<String> SET_LISTS =
      List.of(
          "spec.addresses",
          "spec.excludedAddresses",
          "spec.priority.order",
          "status.nodes.*.foreignVrids");

  private CrdFile() {}

  /** Generates the CRD text. */
  public static String generate() {
    Path dir;
    try {
      dir = Files.createTempDirectory("floatip-crd");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      new CRDGenerator()
          .customResourceClasses(VirtualIP.class)
          .forCRDVersions("v1")
          .withMinQuotes(true)
          .withParallelGenerationEnabled(false)
          .withPostProcessor(
              new CRDPostProcessor() {
                @Override
                public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                  return postProcess(crd);
                }
              })
          .inOutputDir(dir.toFile())
          .generate();
      Path out = dir.resolve("virtualips.floatip.dev-v1.yml");
      String text = Files.readString(out, StandardCharsets.UTF_8);
      Files.delete(out);
      return HEADER + stripGeneratorBanner(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        // a leftover empty temp directory is harmless
      }
    }
  }

  /** Rewrites the committed file; returns true if it changed. */
  public static boolean write(Path file, String text) throws IOException {
    if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
      return false;
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return true;
  }

  private static HasMetadata postProcess(HasMetadata crd) {
    List<String> declared =
        Arrays.stream(VirtualIP.class.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    for (CustomResourceDefinitionVersion v :
        ((CustomResourceDefinition) crd).getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns = v.getAdditionalPrinterColumns();
      if (columns != null) {
        columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
      }
      if (v.getSchema() != null) {
        dedupeRules(v.getSchema().getOpenAPIV3Schema());
        SET_LISTS.forEach(
            path -> at(v.getSchema().getOpenAPIV3Schema(), path).setXKubernetesListType("set"));
      }
    }
    return crd;
  }

  /** The schema at a property path; fails when the types have no such list. */
  static JSONSchemaProps at(JSONSchemaProps root, String path) {
    JSONSchemaProps s = root;
    for (String part : path.split("\\.")) {
      s =
          part.equals("*")
              ? s.getAdditionalProperties() == null ? null : s.getAdditionalProperties().getSchema()
              : s.getProperties() == null ? null : s.getProperties().get(part);
      if (s == null) {
        throw new IllegalStateException("no property " + path + " in the VirtualIP schema");
      }
    }
    if (!"array".equals(s.getType())) {
      throw new IllegalStateException(path + " is not a list");
    }
    return s;
  }

  /**
   * Fabric8 emits a {@code @ValidationRule} on a record component twice (from the field and from
   * the accessor); the API server would evaluate it twice and report it twice.
   */
  private static void dedupeRules(JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    List<ValidationRule> rules = schema.getXKubernetesValidations();
    if (rules != null && !rules.isEmpty()) {
      schema.setXKubernetesValidations(new ArrayList<>(new LinkedHashSet<>(rules)));
    }
    if (schema.getProperties() != null) {
      schema.getProperties().values().forEach(CrdFile::dedupeRules);
    }
    if (schema.getItems() != null) {
      dedupeRules(schema.getItems().getSchema());
    }
    if (schema.getAdditionalProperties() != null) {
      dedupeRules(schema.getAdditionalProperties().getSchema());
    }
  }

  private static String stripGeneratorBanner(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (!(out.isEmpty() && line.startsWith("#"))) {
        out.append(line).append('\n');
      }
    }
    String s = out.toString();
    while (s.endsWith("\n\n")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
