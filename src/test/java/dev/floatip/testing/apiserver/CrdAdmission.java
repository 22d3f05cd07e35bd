package dev.floatip.testing.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floatip.api.v1alpha1.crd.CrdValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What kube-apiserver does with a custom resource write, for the VirtualIP CRD (cluster-scoped,
 * status subresource), in its order (apiextensions-apiserver registry/customresource strategy.go,
 * status_strategy.go, validator.go; apiserver registry/rest create.go, update.go):
 *
 * <ol>
 *   <li>unknown fields are pruned, or refused (400) with {@code fieldValidation=Strict};
 *   <li>schema defaults;
 *   <li>create: status dropped, generation 1; update of the main resource: the stored status kept,
 *       generation bumped when anything but metadata changed; update of /status: the stored object
 *       with only the sent status (and managedFields);
 *   <li>metadata (name a DNS-1123 subdomain, no namespace, immutable name/uid), the structural
 *       schema, list-type set/map uniqueness, then the CEL rules including transition rules
 *       (through {@link CrdValidator#kubeErrors}); any error: 422 Invalid.
 * </ol>
 */
public final class CrdAdmission {

  /** The fieldValidation query parameter; the server's default is Warn. */
  public enum FieldValidation {
    Ignore,
    Warn,
    Strict;

    /** From a request's query string ({@code a=b&fieldValidation=Strict}); default Warn. */
    public static FieldValidation fromQuery(String query) {
      if (query != null) {
        for (String p : query.split("&")) {
          if (p.startsWith("fieldValidation=")) {
            String v = p.substring("fieldValidation=".length());
            for (FieldValidation f : values()) {
              if (f.name().toLowerCase(Locale.ROOT).equals(v.toLowerCase(Locale.ROOT))) {
                return f;
              }
            }
            throw ApiError.badRequest(
                "fieldValidation parameter unsupported: "
                    + v
                    + ". Supported values are: Ignore, Warn, Strict");
          }
        }
      }
      return Warn;
    }
  }

  /** The object to store and the warnings to send ({@code Warning} headers). */
  public record Admitted(ObjectNode object, List<String> warnings) {}

  private final CrdValidator validator;
  private final String group;
  private final String version;
  private final boolean namespaced;
  private final boolean statusSubresource;

  private CrdAdmission(JsonNode crd, CrdValidator validator) {
    this.validator = validator;
    this.group = crd.at("/spec/group").asText();
    this.version = crd.at("/spec/versions/0/name").asText();
    this.namespaced = "Namespaced".equals(crd.at("/spec/scope").asText());
    this.statusSubresource = crd.at("/spec/versions/0/subresources/status").isObject();
  }

  public static CrdAdmission load(Path crd) {
    try {
      return parse(Files.readString(crd));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** From a CRD's YAML text. */
  public static CrdAdmission parse(String crdYaml) {
    try {
      return new CrdAdmission(
          new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(crdYaml),
          CrdValidator.parse(crdYaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The object to store for a create, update or patch (after the patch is applied to {@code
   * stored}), with the server's default field validation (Warn: unknown fields are dropped).
   *
   * @param request the request (verb create/update/patch, subresource "" or "status", namespace)
   * @param incoming the object as sent, or as the patch made it (not modified)
   * @param stored the stored object, null on create
   * @throws ApiError 422 Invalid naming every field problem, as kube-apiserver would
   */
  public ObjectNode admit(RequestInfo request, ObjectNode incoming, ObjectNode stored) {
    return admit(request, incoming, stored, FieldValidation.Warn).object();
  }

  /**
   * As {@link #admit(RequestInfo, ObjectNode, ObjectNode)}, with the request's field validation.
   *
   * @throws ApiError 400 BadRequest for unknown fields with Strict, 422 Invalid for the rest
   */
  public Admitted admit(
      RequestInfo request, ObjectNode incoming, ObjectNode stored, FieldValidation fields) {
    ObjectNode object = incoming.deepCopy();
    String kind = validator.kind();
    List<String> pruned = validator.prune(object);
    pruned.sort(null); // the strict decoder reports them sorted
    List<String> warnings = new ArrayList<>();
    if (!pruned.isEmpty()) {
      List<String> messages =
          pruned.stream().map(p -> "unknown field \"" + p + "\"").collect(Collectors.toList());
      switch (fields) {
        case Strict ->
            throw ApiError.badRequest(
                kind
                    + " in version \""
                    + version
                    + "\" cannot be handled as a "
                    + kind
                    + ": strict decoding error: "
                    + String.join(", ", messages));
        case Warn -> warnings.addAll(messages);
        case Ignore -> {}
      }
    }
    validator.applyDefaults(object);
    ObjectMetaValidation.ensureNamespace(object, request.namespace(), namespaced);

    List<FieldError> errs = new ArrayList<>();
    boolean status = "status".equals(request.subresource());
    if (stored == null) {
      if (statusSubresource) {
        object.remove("status"); // PrepareForCreate: create cannot set status
      }
      object.withObject("/metadata").put("generation", 1);
    } else if (status) {
      object = statusUpdate(object, stored);
    } else {
      ObjectMetaValidation.beforeUpdate(object, stored);
      if (statusSubresource) {
        if (stored.has("status")) {
          object.set("status", stored.get("status").deepCopy());
        } else {
          object.remove("status");
        }
      }
      if (!withoutMetadata(object).equals(withoutMetadata(stored))) {
        object
            .withObject("/metadata")
            .put("generation", stored.path("metadata").path("generation").asLong() + 1);
      }
    }
    errs.addAll(typeMeta(object));
    if (!errs.isEmpty()) {
      throw invalid(object, errs);
    }
    JsonNode meta = object.path("metadata");
    if (stored == null) {
      errs.addAll(
          ObjectMetaValidation.validate(
              meta, namespaced, ObjectMetaValidation::dnsSubdomain, "metadata"));
    } else {
      errs.addAll(ObjectMetaValidation.validateUpdate(meta, stored.path("metadata"), "metadata"));
      errs.addAll(
          ObjectMetaValidation.validate(
              meta, namespaced, ObjectMetaValidation::dnsSubdomain, "metadata"));
    }
    errs = validator.kubeErrors(object, stored, errs);
    if (!errs.isEmpty()) {
      throw invalid(object, errs);
    }
    return new Admitted(object, List.copyOf(warnings));
  }

  /** statusStrategy.PrepareForUpdate: the stored object, with the sent status and managedFields. */
  private static ObjectNode statusUpdate(ObjectNode sent, ObjectNode stored) {
    ObjectNode object = stored.deepCopy();
    JsonNode managed = sent.path("metadata").get("managedFields");
    if (managed != null) {
      object.withObject("/metadata").set("managedFields", managed.deepCopy());
    } else {
      object.withObject("/metadata").remove("managedFields");
    }
    if (sent.has("status")) {
      object.set("status", sent.get("status").deepCopy());
    } else {
      object.remove("status");
    }
    return object;
  }

  private static JsonNode withoutMetadata(JsonNode object) {
    ObjectNode copy = (ObjectNode) object.deepCopy();
    copy.remove("metadata");
    return copy;
  }

  /** customResourceValidator.ValidateTypeMeta. */
  private List<FieldError> typeMeta(ObjectNode object) {
    List<FieldError> errs = new ArrayList<>();
    String kind = object.path("kind").asText("");
    if (!kind.equals(validator.kind())) {
      errs.add(FieldError.invalid("kind", kind, "must be " + validator.kind()));
    }
    String apiVersion = object.path("apiVersion").asText("");
    if (!apiVersion.equals(group + "/" + version)) {
      errs.add(FieldError.invalid("apiVersion", apiVersion, "must be " + group + "/" + version));
    }
    return errs;
  }

  private ApiError invalid(ObjectNode object, List<FieldError> errs) {
    return ApiError.invalid(
        group, validator.kind(), object.path("metadata").path("name").asText(""), errs);
  }
}
