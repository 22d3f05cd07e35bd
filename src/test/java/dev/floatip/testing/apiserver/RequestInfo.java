package dev.floatip.testing.apiserver;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What kube-apiserver's RequestInfoFactory makes of a request: for resource requests the verb (get,
 * list, watch, create, update, patch, delete, deletecollection), API group and version, namespace,
 * resource, subresource and name; otherwise the path of a non-resource request (verb = the
 * lower-case HTTP method).
 *
 * <p>Follows staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go (NewRequestInfo).
 * Fields that kube leaves empty are empty strings here, never null.
 */
public record RequestInfo(
    boolean resourceRequest,
    String path,
    String verb,
    String apiGroup,
    String apiVersion,
    String namespace,
    String resource,
    String subresource,
    String name) {

  /** requestinfo.go: the API prefixes, and the one without a group. */
  private static final Set<String> API_PREFIXES = Set.of("api", "apis");

  private static final String GROUPLESS_PREFIX = "api";

  /** requestinfo.go specialVerbs: {@code /api/v1/watch/...}, {@code /api/v1/proxy/...}. */
  private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");

  /** requestinfo.go namespaceSubresources: {@code /api/v1/namespaces/x/status}. */
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

  /**
   * Parses an HTTP request.
   *
   * @param method GET, POST, PUT, PATCH or DELETE
   * @param pathAndQuery the request target, e.g. {@code /api/v1/namespaces/x/pods?watch=true}
   */
  public static RequestInfo parse(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    // Go's http server hands the handlers URL.Path, percent-decoded.
    String path = decodePath(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
    Map<String, List<String>> query = parseQuery(q < 0 ? "" : pathAndQuery.substring(q + 1));
    String httpVerb = method.toLowerCase(Locale.ROOT);
    RequestInfo nonResource = new RequestInfo(false, path, httpVerb, "", "", "", "", "", "");

    List<String> parts = splitPath(path);
    if (parts.size() < 3 || !API_PREFIXES.contains(parts.get(0))) {
      return nonResource;
    }
    String prefix = parts.get(0);
    parts = parts.subList(1, parts.size());
    String group = "";
    if (!prefix.equals(GROUPLESS_PREFIX)) {
      // /apis/GROUP/VERSION/... needs four parts; /apis/GROUP/VERSION is discovery
      if (parts.size() < 3) {
        return nonResource;
      }
      group = parts.get(0);
      parts = parts.subList(1, parts.size());
    }
    String version = parts.get(0);
    parts = parts.subList(1, parts.size());

    String verb;
    if (SPECIAL_VERBS.contains(parts.get(0))) {
      if (parts.size() < 2) {
        // kube answers an error here ("unable to determine kind and namespace from url")
        throw new ApiError(
            400, "BadRequest", "unable to determine kind and namespace from url, " + pathAndQuery);
      }
      verb = parts.get(0);
      parts = parts.subList(1, parts.size());
    } else {
      verb =
          switch (method.toUpperCase(Locale.ROOT)) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
          };
    }

    String namespace = "";
    if (parts.get(0).equals("namespaces")) {
      if (parts.size() > 1) {
        namespace = parts.get(1);
        // namespaces/NAME/RESOURCE...: the resource is what follows; namespaces/NAME and
        // namespaces/NAME/status|finalize address the Namespace object itself
        if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
          parts = parts.subList(2, parts.size());
        }
      }
    }

    // parts: resource/name/subresource/... (proxy takes no subresource)
    String resource = parts.get(0);
    String name = parts.size() >= 2 ? parts.get(1) : "";
    String subresource = parts.size() >= 3 && !verb.equals("proxy") ? parts.get(2) : "";

    if (name.isEmpty() && verb.equals("get")) {
      ListOptions opts = ListOptions.decode(query);
      verb = opts.watch() ? "watch" : "list";
      // kube takes the name of a list or watch from a fieldSelector metadata.name=X, so a
      // resourceNames rule matches a single-object list or
      // watch (what informers on one object do). The issue simplifies this as "resourceNames
      // never match list/watch"; the real rule is: they never match one without that selector.
      if (opts.fieldSelectorName().isPresent()) {
        name = opts.fieldSelectorName().get();
      }
    }
    if (name.isEmpty() && verb.equals("delete")) {
      verb = "deletecollection";
    }
    return new RequestInfo(
        true, path, verb, group, version, namespace, resource, subresource, name);
  }

  /** The namespace, or null at cluster scope (for {@link RbacAuthorizer#rulesFor}). */
  public String namespaceOrNull() {
    return namespace.isEmpty() ? null : namespace;
  }

  /** {@code resource/subresource}, or the resource: what RBAC rules name. */
  public String combinedResource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  /** A resource request built directly (no HTTP), e.g. the registry's escalate/bind checks. */
  public static RequestInfo resource(
      String verb, String apiGroup, String namespace, String resource, String name) {
    return new RequestInfo(true, "", verb, apiGroup, "*", namespace, resource, "", name);
  }

  /**
   * The query parameters of metav1.ListOptions that decide the verb and name (watch and
   * fieldSelector), decoded as DecodeParameters does. When decoding fails kube keeps only watch.
   */
  private record ListOptions(boolean watch, Optional<String> fieldSelectorName) {

    static ListOptions decode(Map<String, List<String>> query) {
      boolean watch = first(query, "watch").map(ListOptions::goBool).orElse(false);
      try {
        for (String intParam : List.of("limit", "timeoutSeconds")) {
          Optional<String> v = first(query, intParam);
          if (v.isPresent() && !v.get().isEmpty()) {
            Long.parseLong(v.get());
          }
        }
        Optional<String> name = Optional.empty();
        Optional<String> selector = first(query, "fieldSelector");
        if (selector.isPresent()) {
          name =
              FieldSelector.parse(selector.get())
                  .requiresExactMatch("metadata.name")
                  .filter(ListOptions::isValidPathSegmentName);
        }
        return new ListOptions(watch, name);
      } catch (IllegalArgumentException e) {
        // requestinfo.go: "an error in parsing request will result in default to list and not
        // setting name"; watch is still reported
        return new ListOptions(watch, Optional.empty());
      }
    }

    /** apimachinery runtime/conversion.go Convert_Slice_string_To_bool: not 0/false is true. */
    private static boolean goBool(String v) {
      return !(v.equals("0") || v.equalsIgnoreCase("false"));
    }

    /** apimachinery api/validation/path IsValidPathSegmentName. */
    private static boolean isValidPathSegmentName(String name) {
      return !name.equals(".") && !name.equals("..") && !name.contains("/") && !name.contains("%");
    }
  }

  /**
   * apimachinery pkg/fields/selector.go ParseSelector: terms {@code key=value}, {@code key==value},
   * {@code key!=value} joined by unescaped commas; values escape {@code \ , =}.
   */
  record FieldSelector(List<String[]> terms) {

    static FieldSelector parse(String selector) {
      List<String[]> terms = new ArrayList<>();
      for (String term : splitTerms(selector)) {
        if (term.isEmpty()) {
          continue;
        }
        String[] t = splitTerm(term);
        if (t == null) {
          throw new IllegalArgumentException(
              "invalid selector: '" + selector + "'; can't understand '" + term + "'");
        }
        terms.add(new String[] {t[0], t[1], unescape(t[2])});
      }
      return new FieldSelector(terms);
    }

    /** RequiresExactMatch: the value of the first {@code =}/{@code ==} term on the field. */
    Optional<String> requiresExactMatch(String field) {
      return terms.stream()
          .filter(t -> t[0].equals(field) && !t[1].equals("!="))
          .map(t -> t[2])
          .findFirst();
    }

    private static List<String> splitTerms(String s) {
      List<String> out = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      boolean slash = false;
      for (char c : s.toCharArray()) {
        if (slash) {
          cur.append(c);
          slash = false;
        } else if (c == '\\') {
          cur.append(c);
          slash = true;
        } else if (c == ',') {
          out.add(cur.toString());
          cur.setLength(0);
        } else {
          cur.append(c);
        }
      }
      out.add(cur.toString());
      return out;
    }

    /** The first operator found, trying != then == then = at each position. */
    private static String[] splitTerm(String term) {
      for (int i = 0; i < term.length(); i++) {
        for (String op : List.of("!=", "==", "=")) {
          if (term.startsWith(op, i)) {
            return new String[] {term.substring(0, i), op, term.substring(i + op.length())};
          }
        }
      }
      return null;
    }

    private static String unescape(String s) {
      StringBuilder out = new StringBuilder();
      boolean slash = false;
      for (char c : s.toCharArray()) {
        if (slash) {
          if (c != '\\' && c != ',' && c != '=') {
            throw new IllegalArgumentException("invalid escape sequence: \\" + c);
          }
          out.append(c);
          slash = false;
        } else if (c == '\\') {
          slash = true;
        } else if (c == ',' || c == '=') {
          throw new IllegalArgumentException("invalid field selector value: unescaped " + c);
        } else {
          out.append(c);
        }
      }
      if (slash) {
        throw new IllegalArgumentException("invalid escape sequence: \\");
      }
      return out.toString();
    }
  }

  private static List<String> splitPath(String path) {
    String trimmed = path.replaceAll("^/+|/+$", "");
    return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
  }

  /** Go's url.ParseQuery as URL.Query() uses it: malformed pairs are dropped. */
  private static Map<String, List<String>> parseQuery(String query) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty() || pair.contains(";")) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String key =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      } catch (IllegalArgumentException malformed) {
        // Go skips a pair with a bad escape
      }
    }
    return out;
  }

  private static Optional<String> first(Map<String, List<String>> query, String key) {
    List<String> values = query.get(key);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Percent-decoding of a path ({@code +} stays a plus, unlike in a query). */
  private static String decodePath(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < raw.length(); ) {
      int c = raw.codePointAt(i);
      if (c == '%' && isHex(raw, i + 1) && isHex(raw, i + 2)) {
        bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
        i += 3;
      } else if (c == '%') {
        throw new ApiError(400, "BadRequest", "invalid URL escape in " + raw);
      } else {
        byte[] b = Character.toString(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
        i += Character.charCount(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(String s, int i) {
    return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
  }
}
