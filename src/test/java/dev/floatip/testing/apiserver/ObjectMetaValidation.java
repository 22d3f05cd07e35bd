package dev.floatip.testing.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * apimachinery's object-metadata and name rules (pkg/api/validation/objectmeta.go, generic.go,
 * pkg/util/validation/validation.go, apiserver/pkg/registry/rest/create.go), with their messages.
 */
public final class ObjectMetaValidation {

  private ObjectMetaValidation() {}

  private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_SUBDOMAIN = DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*";
  private static final Pattern LABEL = Pattern.compile(DNS1123_LABEL);
  private static final Pattern SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN);
  private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
  private static final Pattern LABEL_VALUE = Pattern.compile("(" + QUALIFIED_NAME_FMT + ")?");

  /** A name rule: the messages for one name (empty when valid). */
  public interface NameRule extends Function<String, List<String>> {}

  /** IsDNS1123Subdomain (NameIsDNSSubdomain): most object names. */
  public static List<String> dnsSubdomain(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 253) {
      errs.add("must be no more than 253 characters");
    }
    if (!SUBDOMAIN.matcher(value).matches()) {
      errs.add(
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-'"
              + " or '.', and must start and end with an alphanumeric character (e.g."
              + " 'example.com', regex used for validation is '"
              + DNS1123_SUBDOMAIN.replace("\\.", "\\.")
              + "')");
    }
    return errs;
  }

  /** IsDNS1123Label (NameIsDNSLabel): namespaces, container, volume and port names. */
  public static List<String> dnsLabel(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add("must be no more than 63 characters");
    }
    if (!LABEL.matcher(value).matches()) {
      errs.add(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-',"
              + " and must start and end with an alphanumeric character (e.g. 'my-name',  or"
              + " '123-abc', regex used for validation is '"
              + DNS1123_LABEL
              + "')");
    }
    return errs;
  }

  /** IsValidPathSegmentName (ValidatePathSegmentName): RBAC names, and every name in general. */
  public static List<String> pathSegment(String value) {
    if (value.equals(".") || value.equals("..")) {
      return List.of("may not be '" + value + "'");
    }
    List<String> errs = new ArrayList<>();
    for (String bad : List.of("/", "%")) {
      if (value.contains(bad)) {
        errs.add("may not contain '" + bad + "'");
      }
    }
    return errs;
  }

  /** IsQualifiedName: label and annotation keys, Event reportingController. */
  public static List<String> qualifiedName(String value) {
    List<String> errs = new ArrayList<>();
    String name = value;
    int slash = value.indexOf('/');
    if (slash >= 0) {
      String prefix = value.substring(0, slash);
      name = value.substring(slash + 1);
      if (prefix.isEmpty()) {
        errs.add("prefix part must be non-empty");
      } else {
        dnsSubdomain(prefix).forEach(m -> errs.add("prefix part " + m));
      }
      if (name.contains("/")) {
        return List.of(
            "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must"
                + " start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name', "
                + " or '123-abc', regex used for validation is '"
                + QUALIFIED_NAME_FMT
                + "') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      }
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (name.length() > 63) {
      errs.add("name part must be no more than 63 characters");
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      errs.add(
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and"
              + " end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc',"
              + " regex used for validation is '"
              + QUALIFIED_NAME_FMT
              + "')");
    }
    return errs;
  }

  /** IsValidLabelValue. */
  public static List<String> labelValue(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add("must be no more than 63 characters");
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errs.add(
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_'"
              + " or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', "
              + " or 'my_value',  or '12345', regex used for validation is '("
              + QUALIFIED_NAME_FMT
              + ")?')");
    }
    return errs;
  }

  /**
   * ValidateObjectMeta: the name (by {@code nameRule}), the namespace (required and a DNS label for
   * namespaced kinds, forbidden otherwise), label keys and values, annotation keys.
   */
  public static List<FieldError> validate(
      JsonNode meta, boolean namespaced, NameRule nameRule, String path) {
    List<FieldError> errs = new ArrayList<>();
    String name = text(meta, "name");
    if (name.isEmpty()) {
      if (text(meta, "generateName").isEmpty()) {
        errs.add(FieldError.required(path + ".name", "name or generateName is required"));
      }
    } else {
      for (String m : nameRule.apply(name)) {
        errs.add(FieldError.invalid(path + ".name", name, m));
      }
    }
    String namespace = text(meta, "namespace");
    if (namespaced) {
      if (namespace.isEmpty()) {
        errs.add(FieldError.required(path + ".namespace", ""));
      } else {
        for (String m : dnsLabel(namespace)) {
          errs.add(FieldError.invalid(path + ".namespace", namespace, m));
        }
      }
    } else if (!namespace.isEmpty()) {
      errs.add(FieldError.forbidden(path + ".namespace", "not allowed on this type"));
    }
    errs.addAll(labels(meta.path("labels"), path + ".labels"));
    long annotationBytes = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = meta.path("annotations").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      annotationBytes += e.getKey().length() + e.getValue().asText().length();
    }
    if (annotationBytes > 256 * 1024) {
      errs.add(FieldError.tooLong(path + ".annotations", "", 256 * 1024));
    }
    meta.path("annotations")
        .fieldNames()
        .forEachRemaining(
            k ->
                qualifiedName(k.toLowerCase(java.util.Locale.ROOT))
                    .forEach(m -> errs.add(FieldError.invalid(path + ".annotations", k, m))));
    return errs;
  }

  /** ValidateLabels: keys are qualified names, values label values. */
  public static List<FieldError> labels(JsonNode labels, String path) {
    List<FieldError> errs = new ArrayList<>();
    labels
        .fields()
        .forEachRemaining(
            e -> {
              qualifiedName(e.getKey())
                  .forEach(m -> errs.add(FieldError.invalid(path, e.getKey(), m)));
              labelValue(e.getValue().asText())
                  .forEach(m -> errs.add(FieldError.invalid(path, e.getValue().asText(), m)));
            });
    return errs;
  }

  /** ValidateObjectMetaUpdate: name, namespace and uid are immutable. */
  public static List<FieldError> validateUpdate(JsonNode meta, JsonNode old, String path) {
    List<FieldError> errs = new ArrayList<>();
    for (String f : List.of("name", "namespace", "uid")) {
      String now = text(meta, f);
      if (!now.equals(text(old, f))) {
        errs.add(FieldError.invalid(path + "." + f, now, "field is immutable"));
      }
    }
    return errs;
  }

  /**
   * rest.BeforeUpdate's metadata: generation, creationTimestamp and (when not sent) uid come from
   * the stored object.
   */
  public static void beforeUpdate(ObjectNode object, JsonNode stored) {
    ObjectNode meta = object.withObject("/metadata");
    JsonNode old = stored.path("metadata");
    for (String f : List.of("generation", "creationTimestamp")) {
      if (old.has(f)) {
        meta.set(f, old.get(f).deepCopy());
      } else {
        meta.remove(f);
      }
    }
    if (text(meta, "uid").isEmpty() && old.has("uid")) {
      meta.set("uid", old.get("uid").deepCopy());
    }
  }

  /**
   * rest.EnsureObjectNamespaceMatchesRequestNamespace: an object without a namespace gets the
   * request's; a cluster-scoped object's namespace is cleared; a different one is a 400.
   */
  public static void ensureNamespace(
      ObjectNode object, String requestNamespace, boolean namespaced) {
    ObjectNode meta = object.withObject("/metadata");
    String objNs = text(meta, "namespace");
    String reqNs = namespaced && requestNamespace != null ? requestNamespace : "";
    if (objNs.equals(reqNs)) {
      return;
    }
    if (objNs.isEmpty()) {
      meta.put("namespace", reqNs);
    } else if (reqNs.isEmpty()) {
      meta.remove("namespace");
    } else {
      throw ApiError.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }
}
