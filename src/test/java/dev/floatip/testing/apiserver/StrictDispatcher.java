package dev.floatip.testing.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The strict part of the test API server, in front of Fabric8's CRUD dispatcher (which only
 * stores): kube-apiserver's request chain for the calls floatip makes.
 *
 * <ol>
 *   <li>Authentication by bearer token ({@link Identity}); none or unknown: 401 (the apiserver's
 *       unauthorized handler, staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters).
 *   <li>{@link RequestInfo}, then the RBAC authorizer: 403 with its message.
 *   <li>Writes: the object that would be stored (PUT/POST body; PATCH applied to the stored object:
 *       RFC 7386 merge, RFC 6902 JSON patch, strategic merge as a merge for built-in types and 415
 *       for custom resources as the apiextensions server answers; apply patches 415), then the
 *       namespace lifecycle admission (404 for a missing namespace), the RBAC registry's escalation
 *       and bind checks, the CRD's admission or the built-in validation; only then the delegate
 *       stores it. Accepted RBAC writes and deletes keep the {@link RbacPolicy} in step.
 *   <li>SelfSubjectRulesReview answered from the caller's rules.
 *   <li>Reads: the pod field selector {@code spec.nodeName} filters lists and watches (the CRUD
 *       mock only knows {@code metadata.*}); lists are paged by {@code limit} and {@code continue}
 *       ({@link ListPages}); after {@link #compact()} a watch from an older resourceVersion gets an
 *       ERROR event with 410 Expired, as the watch cache answers
 *       (staging/src/k8s.io/apiserver/pkg/storage/cacher/watch_cache.go).
 * </ol>
 *
 * Writes are serialised, so a patch's read and the store see the same object.
 */
public final class StrictDispatcher extends Dispatcher {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE_NAME = "spec.nodeName";

  private final Dispatcher delegate;
  private final Map<String, UserInfo> tokens = new ConcurrentHashMap<>();
  private final RbacAuthorizer authorizer;
  private final RbacWriteChecks writeChecks;
  private final CrdAdmission crds;
  private final ReentrantLock writes = new ReentrantLock(true);

  /**
   * The stored objects by path, as the last write through here left them (never a miss): the
   * Fabric8 CRUD store finds an object by scanning all of them, and every write reads the stored
   * object first. Emptied by any delete or other write that does not come through {@link #write}.
   */
  private final Map<String, ObjectNode> byPath = new ConcurrentHashMap<>();

  private final RequestCounter counter = new RequestCounter();
  private final Set<WebSocket> watches = ConcurrentHashMap.newKeySet();
  private final List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile long compactedBelow;
  private final java.util.concurrent.atomic.AtomicInteger expiredWatches =
      new java.util.concurrent.atomic.AtomicInteger();

  public StrictDispatcher(Dispatcher delegate, RbacPolicy policy, CrdAdmission crds) {
    this.delegate = delegate;
    this.authorizer = new RbacAuthorizer(policy);
    this.writeChecks = new RbacWriteChecks(authorizer);
    this.crds = crds;
    for (Identity id : Identity.values()) {
      tokens.put(id.token(), id.user());
    }
  }

  /** Adds a bearer token (e.g. another ServiceAccount's). */
  public void addToken(String token, UserInfo user) {
    tokens.put(token, user);
  }

  public RbacAuthorizer authorizer() {
    return authorizer;
  }

  /**
   * An injected outage: the next {@code times} requests {@code METHOD PATH} answer {@code code}.
   */
  private record Outage(String method, String path, int code, int[] left) {}

  private final List<Outage> outages = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Makes the next {@code times} requests with this method and path (without query) fail with
   * {@code code} and an empty Status (e.g. 503), before any other processing.
   */
  public void failNext(String method, String path, int code, int times) {
    outages.add(new Outage(method, path, code, new int[] {times}));
  }

  private MockResponse outage(RecordedRequest request) {
    for (Outage o : outages) {
      if (o.method().equals(request.getMethod()) && o.path().equals(pathOf(request))) {
        synchronized (o) {
          if (o.left()[0] > 0) {
            o.left()[0]--;
            return status(new ApiError(o.code(), "ServiceUnavailable", "injected outage"));
          }
        }
      }
    }
    return null;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    MockResponse failed = outage(request);
    if (failed != null) {
      return failed;
    }
    UserInfo user = authenticate(request);
    if (user == null) {
      return refuse(null, request, new ApiError(401, "Unauthorized", "Unauthorized"));
    }
    RequestInfo info;
    try {
      info = RequestInfo.parse(request.getMethod(), request.getPath());
    } catch (ApiError e) {
      return refuse(user, request, e);
    }
    MockResponse response = authorized(user, info, request);
    counter.record(user, info, response.code());
    return response;
  }

  /** The requests answered so far, by caller, verb and resource. */
  public RequestCounter counter() {
    return counter;
  }

  private MockResponse authorized(UserInfo user, RequestInfo info, RecordedRequest request) {
    try {
      Decision decision = authorizer.authorize(user, info);
      if (!decision.allowed()) {
        throw RbacAuthorizer.forbidden(user, info, decision.reason());
      }
      if (!info.resourceRequest()) {
        return delegate.dispatch(request);
      }
      if ("authorization.k8s.io".equals(info.apiGroup())
          && "selfsubjectrulesreviews".equals(info.resource())) {
        return rulesReview(user, request);
      }
      return switch (info.verb()) {
        case "get" -> read(info, request);
        case "watch" -> watch(request, info);
        case "list" -> list(request, info);
        case "create", "update", "patch" -> write(user, info, request);
        case "delete" -> delete(info, request);
        default -> {
          if (!"GET".equals(request.getMethod())) {
            byPath.clear(); // a write not made here
          }
          yield delegate.dispatch(request);
        }
      };
    } catch (ApiError e) {
      return refuse(user, request, e);
    }
  }

  /** Answers a refusal, and logs it on stderr: what a test or the lab refused is findable. */
  private MockResponse refuse(UserInfo user, RecordedRequest request, ApiError e) {
    String line =
        "test-apiserver refused "
            + (user == null ? "(no credentials)" : user.name())
            + " "
            + request.getMethod()
            + " "
            + request.getPath()
            + ": "
            + e.code()
            + " "
            + e.reason()
            + ": "
            + e.getMessage()
            + (e.causes().isEmpty() ? "" : " " + e.causes());
    if (refusals.size() < 1000) {
      refusals.add(line);
    }
    System.err.println(line);
    return status(e);
  }

  private UserInfo authenticate(RecordedRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return tokens.get(header.substring(7).strip());
  }

  // --- writes ----------------------------------------------------------------------------------

  private MockResponse write(UserInfo user, RequestInfo info, RecordedRequest request) {
    writes.lock();
    try {
      String path = pathOf(request);
      String objectPath =
          info.subresource() != null && !info.subresource().isEmpty()
              ? path.substring(0, path.length() - info.subresource().length() - 1)
              : path;
      ObjectNode stored = info.verb().equals("create") ? null : stored(objectPath);
      if (!info.verb().equals("create") && stored == null) {
        throw notFound(info);
      }
      JsonNode requestBody = body(request);
      ObjectNode incoming = incoming(info, request, requestBody, stored);
      if (stored != null) {
        beforeUpdate(incoming, stored);
      }
      namespaceExists(info);
      ObjectNode object;
      List<String> warnings = List.of();
      if (isCustomResource(info)) {
        String path0 = request.getPath();
        CrdAdmission.Admitted admitted =
            crds.admit(
                info,
                incoming,
                stored,
                CrdAdmission.FieldValidation.fromQuery(
                    path0.contains("?") ? path0.substring(path0.indexOf('?') + 1) : null));
        object = admitted.object();
        warnings = admitted.warnings();
      } else {
        Class<? extends HasMetadata> rbacType = rbacType(info.resource());
        if (rbacType != null && !"status".equals(info.subresource())) {
          // pkg/registry/rbac/*/policybased/storage.go: the escalation and bind checks come first
          writeChecks.check(user, info, Serialization.unmarshal(incoming.toString(), rbacType));
        }
        CoreValidation.validate(info, incoming, stored);
        object = incoming;
      }
      HttpMethod method = info.verb().equals("create") ? HttpMethod.POST : HttpMethod.PUT;
      MockResponse response = forward(method, path, object.toString());
      remember(info, objectPath, response);
      if (response.code() / 100 == 2
          && "virtualips".equals(info.resource())
          && "status".equals(info.subresource())
          && requestBody.path("status").path("nodes") instanceof ObjectNode entries) {
        entries.fieldNames().forEachRemaining(n -> counter.entryWritten(info.name(), n));
      }
      // apiserver/pkg/endpoints/handlers: warnings as "299 - text" headers
      warnings.forEach(w -> response.addHeader("Warning", "299 - \"" + w + "\""));
      Class<? extends HasMetadata> rbacType = rbacType(info.resource());
      if (rbacType != null && response.code() / 100 == 2) {
        String body = response.getBody().readUtf8();
        authorizer.policy().put(Serialization.unmarshal(body, rbacType));
        response.setBody(body);
      }
      return response;
    } finally {
      writes.unlock();
    }
  }

  private static JsonNode body(RecordedRequest request) {
    try {
      return JSON.readTree(request.getUtf8Body());
    } catch (JsonProcessingException e) {
      throw new ApiError(
          400, "BadRequest", "the body of the request is not JSON: " + e.getMessage());
    }
  }

  private ObjectNode incoming(
      RequestInfo info, RecordedRequest request, JsonNode body, ObjectNode stored) {
    if (!info.verb().equals("patch")) {
      if (!(body instanceof ObjectNode o)) {
        throw new ApiError(400, "BadRequest", "the body of the request is not a JSON object");
      }
      return o;
    }
    String type = String.valueOf(request.getHeader("Content-Type"));
    JsonNode patched;
    if (type.startsWith("application/json-patch+json")) {
      try {
        patched = JsonPatch.apply(body, stored);
      } catch (JsonPatchException e) {
        throw new ApiError(422, "Invalid", "the JSON patch does not apply: " + e.getMessage());
      }
    } else if (type.startsWith("application/merge-patch+json")) {
      patched = merge(stored, body);
    } else if (type.startsWith("application/strategic-merge-patch+json")
        && !isCustomResource(info)) {
      // strategic merge differs from a merge patch only in lists with patch keys; none we patch
      patched = merge(stored, body);
    } else {
      // apply patches (server-side apply) are not implemented by this test double; strategic
      // merge is refused for custom resources by apiextensions-apiserver too
      throw new ApiError(
          415,
          "UnsupportedMediaType",
          "the body of the request was in an unknown format - accepted media types include:"
              + " application/json-patch+json, application/merge-patch+json"
              + (isCustomResource(info) ? "" : ", application/strategic-merge-patch+json"));
    }
    if (!(patched instanceof ObjectNode o)) {
      throw new ApiError(422, "Invalid", "the patch does not result in an object");
    }
    return o;
  }

  /**
   * apiserver/pkg/registry/rest/update.go BeforeUpdate: an update without a uid keeps the stored
   * one, and the creation timestamp cannot change.
   */
  private static void beforeUpdate(ObjectNode incoming, ObjectNode stored) {
    JsonNode old = stored.path("metadata");
    if (!(incoming.get("metadata") instanceof ObjectNode meta)) {
      return;
    }
    if (meta.path("uid").asText("").isEmpty() && old.hasNonNull("uid")) {
      meta.set("uid", old.get("uid"));
    }
    if (old.hasNonNull("creationTimestamp")) {
      meta.set("creationTimestamp", old.get("creationTimestamp"));
    }
  }

  /** RFC 7386 §2. */
  public static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  /**
   * The NamespaceLifecycle admission plugin
   * (plugin/pkg/admission/namespace/lifecycle/admission.go): nothing is created in a namespace that
   * does not exist.
   */
  private void namespaceExists(RequestInfo info) {
    if (info.verb().equals("create")
        && info.namespace() != null
        && !info.namespace().isEmpty()
        && stored("/api/v1/namespaces/" + info.namespace()) == null) {
      throw new ApiError(404, "NotFound", "namespaces \"" + info.namespace() + "\" not found");
    }
  }

  private MockResponse delete(RequestInfo info, RecordedRequest request) {
    writes.lock();
    try {
      byPath.clear(); // finalizers, collections, namespaces: the store knows what remains
      MockResponse response = delegate.dispatch(request);
      if (response.code() == 404) {
        return status(notFound(info)); // an answer, not a refusal: not logged
      }
      Class<? extends HasMetadata> rbacType = rbacType(info.resource());
      if (rbacType != null && response.code() / 100 == 2) {
        authorizer
            .policy()
            .remove(rbacType.getSimpleName(), emptyToNull(info.namespace()), info.name());
      }
      return response;
    } finally {
      writes.unlock();
    }
  }

  private static Class<? extends HasMetadata> rbacType(String resource) {
    return switch (String.valueOf(resource)) {
      case "roles" -> Role.class;
      case "clusterroles" -> ClusterRole.class;
      case "rolebindings" -> RoleBinding.class;
      case "clusterrolebindings" -> ClusterRoleBinding.class;
      default -> null;
    };
  }

  private static boolean isCustomResource(RequestInfo info) {
    return "floatip.dev".equals(info.apiGroup());
  }

  // --- reads -----------------------------------------------------------------------------------

  private MockResponse list(RecordedRequest request, RequestInfo info) {
    String node = nodeNameSelector(request, info);
    Map<String, String> query = query(request.getPath());
    long limit = limit(query.get("limit"));
    String continueToken = query.get("continue");
    if (node == null && limit <= 0 && continueToken == null) {
      return delegate.dispatch(request);
    }
    MockResponse response = delegate.dispatch(forDelegate(request));
    if (response.code() != 200) {
      return response;
    }
    try {
      ObjectNode list = (ObjectNode) JSON.readTree(response.getBody().readUtf8());
      if (node != null) {
        ArrayNode kept = JSON.createArrayNode();
        list.withArray("items")
            .forEach(
                item -> {
                  if (node.equals(item.path("spec").path("nodeName").asText(null))) {
                    kept.add(item);
                  }
                });
        list.set("items", kept);
      }
      return json(response.code(), ListPages.page(list, limit, continueToken).toString());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RequestInfo already refused a limit that is not an integer. */
  private static long limit(String value) {
    return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
  }

  /** A GET of one object: from {@link #byPath} when it is known there. */
  private MockResponse read(RequestInfo info, RecordedRequest request) {
    if (info.subresource() == null || info.subresource().isEmpty()) {
      ObjectNode known = byPath.get(pathOf(request));
      if (known != null) {
        return json(200, known.toString());
      }
    }
    return delegate.dispatch(request);
  }

  private MockResponse watch(RecordedRequest request, RequestInfo info) {
    String rv = query(request.getPath()).get("resourceVersion");
    long below = compactedBelow;
    if (rv != null && !rv.isEmpty() && !rv.equals("0") && Long.parseLong(rv) < below) {
      expiredWatches.incrementAndGet();
      return expired(rv, below);
    }
    String node = nodeNameSelector(request, info);
    MockResponse response = delegate.dispatch(node == null ? request : forDelegate(request));
    WebSocketListener listener = response.getWebSocketListener();
    return listener == null
        ? response
        : response.withWebSocketUpgrade(new TrackedWatch(listener, node));
  }

  /**
   * Forgets every resourceVersion issued so far, as after an apiserver restart (an empty watch
   * cache) or an etcd compaction, and closes the open watches: their clients re-watch from their
   * last resourceVersion, get 410 Expired, and must list again.
   */
  public void compact() {
    ObjectNode namespaces = getJson("/api/v1/namespaces");
    long current = Long.parseLong(namespaces.path("metadata").path("resourceVersion").asText("0"));
    compactedBelow = current + 1;
    for (WebSocket ws : List.copyOf(watches)) {
      ws.close(1000, "");
    }
  }

  /** How many watches were answered 410 Expired. */
  public int expiredWatches() {
    return expiredWatches.get();
  }

  private static MockResponse expired(String rv, long below) {
    ObjectNode event = JSON.createObjectNode();
    event.put("type", "ERROR");
    event.set(
        "object",
        new ApiError(410, "Expired", "too old resource version: " + rv + " (" + (below - 1) + ")")
            .status());
    return new MockResponse()
        .withWebSocketUpgrade(
            new WebSocketListener() {
              @Override
              public void onOpen(WebSocket webSocket, Response response) {
                webSocket.send(event.toString());
                webSocket.close(1000, "");
              }
            });
  }

  /** A watch the server can close, and that drops other nodes' pods for {@code spec.nodeName}. */
  private final class TrackedWatch extends WebSocketListener {
    private final WebSocketListener delegate;
    private final String node;

    TrackedWatch(WebSocketListener delegate, String node) {
      this.delegate = delegate;
      this.node = node;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      watches.add(webSocket);
      delegate.onOpen(node == null ? webSocket : new NodeFilter(webSocket, node), response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      delegate.onMessage(webSocket, text);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      watches.remove(webSocket);
      delegate.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      watches.remove(webSocket);
      delegate.onClosed(webSocket, code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable error, Response response) {
      watches.remove(webSocket);
      delegate.onFailure(webSocket, error, response);
    }
  }

  private record NodeFilter(WebSocket socket, String node) implements WebSocket {
    @Override
    public RecordedRequest request() {
      return socket.request();
    }

    @Override
    public boolean send(String text) {
      try {
        JsonNode event = JSON.readTree(text);
        JsonNode object = event.path("object");
        if (object.path("kind").asText().equals("Pod")
            && !node.equals(object.path("spec").path("nodeName").asText(null))) {
          return true;
        }
      } catch (JsonProcessingException e) {
        // not an event: pass it on
      }
      return socket.send(text);
    }

    @Override
    public boolean send(byte[] bytes) {
      return send(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public boolean close(int code, String reason) {
      return socket.close(code, reason);
    }
  }

  /**
   * The node of a {@code spec.nodeName=NODE} field selector; pods only, as kube-apiserver's field
   * label conversion for other resources refuses the label (400).
   */
  private static String nodeNameSelector(RecordedRequest request, RequestInfo info) {
    String selector = query(request.getPath()).get("fieldSelector");
    if (selector == null) {
      return null;
    }
    String node = null;
    for (String term : selector.split(",")) {
      String t = term.strip();
      if (t.startsWith(NODE_NAME + "==")) {
        node = t.substring(NODE_NAME.length() + 2);
      } else if (t.startsWith(NODE_NAME + "=")) {
        node = t.substring(NODE_NAME.length() + 1);
      } else if (t.startsWith(NODE_NAME)) {
        throw new ApiError(400, "BadRequest", "unsupported field selector: " + t);
      }
    }
    if (node != null && !"pods".equals(info.resource())) {
      throw new ApiError(
          400, "BadRequest", "field label not supported: " + NODE_NAME + " for " + info.resource());
    }
    return node;
  }

  private static RecordedRequest forDelegate(RecordedRequest request) {
    String path = request.getPath();
    int q = path.indexOf('?');
    StringBuilder out = new StringBuilder(path.substring(0, q));
    char sep = '?';
    for (Map.Entry<String, String> e : query(path).entrySet()) {
      String value = e.getValue();
      if (e.getKey().equals("limit") || e.getKey().equals("continue")) {
        continue; // paged here, from the whole list
      }
      if (e.getKey().equals("fieldSelector")) {
        value =
            String.join(
                ",",
                java.util.Arrays.stream(value.split(","))
                    .filter(t -> !t.strip().startsWith(NODE_NAME))
                    .toList());
        if (value.isEmpty()) {
          continue;
        }
      }
      out.append(sep)
          .append(e.getKey())
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      sep = '&';
    }
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        out.toString(),
        request.getHeaders(),
        request.getBody());
  }

  // --- SelfSubjectRulesReview ------------------------------------------------------------------

  /** pkg/registry/authorization/selfsubjectrulesreview/rest.go, from the RBAC rules. */
  private MockResponse rulesReview(UserInfo user, RecordedRequest request) {
    String namespace;
    try {
      namespace =
          emptyToNull(
              JSON.readTree(request.getUtf8Body()).path("spec").path("namespace").asText(null));
    } catch (JsonProcessingException e) {
      throw new ApiError(400, "BadRequest", e.getMessage());
    }
    List<PolicyRule> rules = authorizer.rulesFor(user, namespace);
    var status = new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace(namespace);
    var review = status.endSpec().withNewStatus().withIncomplete(false);
    for (PolicyRule r : rules) {
      if (r.getNonResourceURLs() != null && !r.getNonResourceURLs().isEmpty()) {
        review.addToNonResourceRules(
            new NonResourceRuleBuilder()
                .withVerbs(r.getVerbs())
                .withNonResourceURLs(r.getNonResourceURLs())
                .build());
      } else {
        review.addToResourceRules(
            new ResourceRuleBuilder()
                .withApiGroups(r.getApiGroups())
                .withResources(r.getResources())
                .withResourceNames(r.getResourceNames())
                .withVerbs(r.getVerbs())
                .build());
      }
    }
    return json(201, Serialization.asJson(review.endStatus().build()));
  }

  // --- plumbing --------------------------------------------------------------------------------

  /** The stored object at {@code objectPath}, or null. */
  private ObjectNode stored(String objectPath) {
    ObjectNode known = byPath.get(objectPath);
    if (known != null) {
      return known.deepCopy(); // callers change what they get
    }
    ObjectNode read = get(objectPath);
    if (read != null) {
      byPath.put(objectPath, read.deepCopy());
    }
    return read;
  }

  /**
   * After a write of the object at {@code objectPath} (null for a create): what the store answered
   * is what it now holds. Anything else than the object itself forgets the path.
   */
  private void remember(RequestInfo info, String objectPath, MockResponse response) {
    String key = info.verb().equals("create") ? null : objectPath;
    if (response.code() / 100 != 2 || response.getBody() == null) {
      if (key != null) {
        byPath.remove(key);
      }
      return;
    }
    String body = response.getBody().readUtf8();
    response.setBody(body);
    try {
      if (JSON.readTree(body) instanceof ObjectNode object
          && object.path("metadata").path("name").isTextual()
          && !"Status".equals(object.path("kind").asText())) {
        String name = object.path("metadata").path("name").asText();
        byPath.put(key != null ? key : objectPath + "/" + name, object);
        return;
      }
    } catch (JsonProcessingException e) {
      // not an object: forget it below
    }
    if (key != null) {
      byPath.remove(key);
    }
  }

  private ObjectNode get(String path) {
    MockResponse response =
        delegate.dispatch(
            new RecordedRequest(
                "HTTP/1.1", HttpMethod.GET, path, Headers.builder().build(), new Buffer()));
    if (response.code() != 200) {
      return null;
    }
    try {
      return (ObjectNode) JSON.readTree(response.getBody().readUtf8());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private ObjectNode getJson(String path) {
    ObjectNode node = get(path);
    if (node == null) {
      throw new IllegalStateException("GET " + path + " failed");
    }
    return node;
  }

  private MockResponse forward(HttpMethod method, String path, String body) {
    Headers headers = Headers.builder().add("Content-Type", "application/json").build();
    return delegate.dispatch(
        new RecordedRequest("HTTP/1.1", method, path, headers, new Buffer().writeUtf8(body)));
  }

  private static String pathOf(RecordedRequest request) {
    String path = request.getPath();
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  private static Map<String, String> query(String path) {
    Map<String, String> out = new LinkedHashMap<>();
    int q = path.indexOf('?');
    if (q < 0) {
      return out;
    }
    for (String pair : path.substring(q + 1).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(key, value);
    }
    return out;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** kube-apiserver's NotFound: {@code virtualips.floatip.dev "x" not found}. */
  private static ApiError notFound(RequestInfo info) {
    String group =
        info.apiGroup() == null || info.apiGroup().isEmpty() ? "" : "." + info.apiGroup();
    return new ApiError(
        404, "NotFound", info.resource() + group + " \"" + info.name() + "\" not found");
  }

  /** A refusal as kube-apiserver writes it: a metav1.Status with the error's code. */
  public static MockResponse status(ApiError e) {
    return json(e.code(), e.status().toString());
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .addHeader("Content-Type", "application/json")
        .setBody(body);
  }

  /** The refusals answered so far (the first 1000), as logged. */
  public List<String> refusals() {
    synchronized (refusals) {
      return List.copyOf(refusals);
    }
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }
}
