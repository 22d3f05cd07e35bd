package dev.floatip.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Makes the Fabric8 mock server's JSON merge patch follow RFC 7386 (research/status-writes.md §3,
 * §4): the CRUD dispatcher merges with Jackson's readerForUpdating, which appends to arrays and
 * stores {@code null} instead of removing a key. This wrapper applies the merge itself against the
 * stored object and forwards the difference as a JSON Patch. Writes are serialised, so the read and
 * the forwarded patch see the same object.
 */
public final class Rfc7386MergeDispatcher extends Dispatcher {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Dispatcher delegate;
  private final ReentrantLock writes = new ReentrantLock(true);

  private Rfc7386MergeDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
  }

  /**
   * For {@code @WithKubernetesTestServer(setup = Rfc7386MergeDispatcher.Setup.class)}: installs the
   * wrapper, and answers JOSDK's leader-election permission check (a SelfSubjectRulesReview, which
   * the CRUD mock refuses with 422) with the Lease rights the operator's Role grants.
   */
  public static final class Setup implements Consumer<KubernetesServer> {
    @Override
    public void accept(KubernetesServer server) {
      expectLeaderElectionCheck(server.getKubernetesMockServer());
      install(server.getKubernetesMockServer());
    }
  }

  /**
   * Answers JOSDK's leader-election permission check (a SelfSubjectRulesReview, which the CRUD mock
   * refuses with 422) with the Lease rights the operator's Role grants.
   */
  public static void expectLeaderElectionCheck(KubernetesMockServer server) {
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("get", "list", "watch", "create", "update", "patch")
                .endResourceRule()
                .withIncomplete(false)
                .endStatus()
                .build())
        .always();
  }

  /** Wraps {@code delegate} (a CRUD or mixed dispatcher) for a server built by hand. */
  public static Dispatcher wrap(Dispatcher delegate) {
    return delegate instanceof Rfc7386MergeDispatcher
        ? delegate
        : new Rfc7386MergeDispatcher(delegate);
  }

  /** Wraps the server's dispatcher (by reflection: the fields are private in 7.6.1). */
  public static void install(KubernetesMockServer server) {
    try {
      Field serverField = DefaultMockServer.class.getDeclaredField("server");
      serverField.setAccessible(true);
      MockWebServer web = (MockWebServer) serverField.get(server);
      Field dispatcherField = MockWebServer.class.getDeclaredField("dispatcher");
      dispatcherField.setAccessible(true);
      Dispatcher current = (Dispatcher) dispatcherField.get(web);
      if (!(current instanceof Rfc7386MergeDispatcher)) {
        web.setDispatcher(new Rfc7386MergeDispatcher(current));
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot wrap the mock server's dispatcher", e);
    }
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (request.method() == HttpMethod.GET) {
      return delegate.dispatch(withoutNodeNameSelector(request));
    }
    writes.lock();
    try {
      String type = request.getHeader("Content-Type");
      if (request.method() == HttpMethod.PATCH
          && type != null
          && type.startsWith("application/merge-patch+json")) {
        return mergePatch(request);
      }
      return delegate.dispatch(request);
    } finally {
      writes.unlock();
    }
  }

  private MockResponse mergePatch(RecordedRequest request) {
    String body = request.getUtf8Body();
    String path = request.getPath();
    String query = "";
    int q = path.indexOf('?');
    if (q >= 0) {
      query = path.substring(q);
      path = path.substring(0, q);
    }
    String objectPath = path.endsWith("/status") ? path.substring(0, path.length() - 7) : path;
    MockResponse got =
        delegate.dispatch(
            new RecordedRequest(
                "HTTP/1.1", HttpMethod.GET, objectPath, Headers.builder().build(), new Buffer()));
    if (got.code() != 200) {
      return replay(request, body, "application/merge-patch+json");
    }
    try {
      JsonNode current = JSON.readTree(got.getBody().readUtf8());
      JsonNode target = merge(current, JSON.readTree(body));
      JsonNode ops = JsonDiff.asJson(current, target, DiffFlags.dontNormalizeOpIntoMoveAndCopy());
      return replayTo(path + query, ops.toString(), "application/json-patch+json");
    } catch (IOException e) {
      return replay(request, body, "application/merge-patch+json");
    }
  }

  /**
   * The mock answers a field selector on anything but {@code metadata.*} with an empty list, so the
   * agents' pod watch ({@code spec.nodeName=NODE}) would never see a pod. Dropping that selector
   * lists every node's pods; the watch filters by node itself too, so its results stay right.
   */
  private static RecordedRequest withoutNodeNameSelector(RecordedRequest request) {
    String path = request.getPath();
    String stripped = path.replaceAll("([?&])fieldSelector=spec\\.nodeName(%3D|=)[^&]*&?", "$1");
    if (stripped.equals(path)) {
      return request;
    }
    stripped = stripped.replaceAll("[?&]$", "");
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        stripped,
        request.getHeaders(),
        request.getBody());
  }

  private MockResponse replay(RecordedRequest request, String body, String type) {
    return replayTo(request.getPath(), body, type);
  }

  private MockResponse replayTo(String path, String body, String type) {
    Headers headers = Headers.builder().add("Content-Type", type).build();
    return delegate.dispatch(
        new RecordedRequest(
            "HTTP/1.1", HttpMethod.PATCH, path, headers, new Buffer().writeUtf8(body)));
  }

  /** RFC 7386 §2. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
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

  @Override
  public void shutdown() {
    delegate.shutdown();
  }
}
