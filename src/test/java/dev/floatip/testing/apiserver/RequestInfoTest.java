package dev.floatip.testing.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RequestInfo.parse against requestinfo.go NewRequestInfo, one row per rule. */
class RequestInfoTest {

  private static final String VIPS = "/apis/floatip.dev/v1alpha1/virtualips";
  private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/floatip/leases";
  private static final String PODS = "/api/v1/namespaces/x/pods";

  /** A resource request; its path is the target without the query. */
  private static RequestInfo res(
      String path,
      String verb,
      String group,
      String version,
      String ns,
      String resource,
      String sub,
      String name) {
    return new RequestInfo(true, path, verb, group, version, ns, resource, sub, name);
  }

  private static RequestInfo nonResource(String path, String verb) {
    return new RequestInfo(false, path, verb, "", "", "", "", "", "");
  }

  static Stream<Arguments> requests() {
    return Stream.of(
        // core group: /api/v1, namespaced collection: GET is list
        Arguments.of("GET", PODS, res(PODS, "list", "", "v1", "x", "pods", "", "")),
        // watch=true, watch=1 and anything but 0/false is a watch
        Arguments.of(
            "GET", PODS + "?watch=true", res(PODS, "watch", "", "v1", "x", "pods", "", "")),
        Arguments.of("GET", PODS + "?watch=1", res(PODS, "watch", "", "v1", "x", "pods", "", "")),
        Arguments.of("GET", PODS + "?watch=yes", res(PODS, "watch", "", "v1", "x", "pods", "", "")),
        Arguments.of(
            "GET", PODS + "?watch=false", res(PODS, "list", "", "v1", "x", "pods", "", "")),
        Arguments.of(
            "GET", PODS + "?watch=FALSE", res(PODS, "list", "", "v1", "x", "pods", "", "")),
        Arguments.of("GET", PODS + "?watch=0", res(PODS, "list", "", "v1", "x", "pods", "", "")),
        // the deprecated /watch/ prefix
        Arguments.of(
            "GET",
            "/api/v1/watch/namespaces/x/pods",
            res("/api/v1/watch/namespaces/x/pods", "watch", "", "v1", "x", "pods", "", "")),
        Arguments.of(
            "GET",
            "/api/v1/watch/namespaces/x/pods/p",
            res("/api/v1/watch/namespaces/x/pods/p", "watch", "", "v1", "x", "pods", "", "p")),
        // named group, cluster scope, get by name
        Arguments.of(
            "GET",
            VIPS + "/a",
            res(VIPS + "/a", "get", "floatip.dev", "v1alpha1", "", "virtualips", "", "a")),
        Arguments.of(
            "HEAD",
            VIPS + "/a",
            res(VIPS + "/a", "get", "floatip.dev", "v1alpha1", "", "virtualips", "", "a")),
        // subresource
        Arguments.of(
            "PATCH",
            VIPS + "/a/status",
            res(
                VIPS + "/a/status",
                "patch",
                "floatip.dev",
                "v1alpha1",
                "",
                "virtualips",
                "status",
                "a")),
        // a POST to the collection carries no name
        Arguments.of(
            "POST",
            "/apis/rbac.authorization.k8s.io/v1/clusterroles",
            res(
                "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                "create",
                "rbac.authorization.k8s.io",
                "v1",
                "",
                "clusterroles",
                "",
                "")),
        Arguments.of(
            "PUT",
            "/apis/rbac.authorization.k8s.io/v1/clusterroles/floatip-agent",
            res(
                "/apis/rbac.authorization.k8s.io/v1/clusterroles/floatip-agent",
                "update",
                "rbac.authorization.k8s.io",
                "v1",
                "",
                "clusterroles",
                "",
                "floatip-agent")),
        // delete by name, and without a name: deletecollection
        Arguments.of(
            "DELETE",
            "/apis/apps/v1/namespaces/floatip/daemonsets/floatip-agent",
            res(
                "/apis/apps/v1/namespaces/floatip/daemonsets/floatip-agent",
                "delete",
                "apps",
                "v1",
                "floatip",
                "daemonsets",
                "",
                "floatip-agent")),
        Arguments.of(
            "DELETE",
            "/apis/apps/v1/namespaces/floatip/daemonsets",
            res(
                "/apis/apps/v1/namespaces/floatip/daemonsets",
                "deletecollection",
                "apps",
                "v1",
                "floatip",
                "daemonsets",
                "",
                "")),
        // namespaces/NAME is the Namespace itself (in its own namespace); status/finalize its
        // subresources
        Arguments.of(
            "GET",
            "/api/v1/namespaces/floatip",
            res(
                "/api/v1/namespaces/floatip",
                "get",
                "",
                "v1",
                "floatip",
                "namespaces",
                "",
                "floatip")),
        Arguments.of(
            "GET",
            "/api/v1/namespaces",
            res("/api/v1/namespaces", "list", "", "v1", "", "namespaces", "", "")),
        Arguments.of(
            "PUT",
            "/api/v1/namespaces/x/finalize",
            res(
                "/api/v1/namespaces/x/finalize",
                "update",
                "",
                "v1",
                "x",
                "namespaces",
                "finalize",
                "x")),
        // all namespaces
        Arguments.of(
            "GET",
            "/api/v1/configmaps",
            res("/api/v1/configmaps", "list", "", "v1", "", "configmaps", "", "")),
        // the proxy verb takes no subresource
        Arguments.of(
            "GET",
            "/api/v1/proxy/nodes/n/metrics",
            res("/api/v1/proxy/nodes/n/metrics", "proxy", "", "v1", "", "nodes", "", "n")),
        Arguments.of(
            "GET",
            "/api/v1/nodes/n/proxy/metrics",
            res("/api/v1/nodes/n/proxy/metrics", "get", "", "v1", "", "nodes", "proxy", "n")),
        // a list or watch with fieldSelector metadata.name=X carries the name X (URL-decoded)
        Arguments.of(
            "GET",
            LEASES + "?fieldSelector=metadata.name%3Dfloatip-operator",
            res(
                LEASES,
                "list",
                "coordination.k8s.io",
                "v1",
                "floatip",
                "leases",
                "",
                "floatip-operator")),
        Arguments.of(
            "GET",
            LEASES + "?watch=true&fieldSelector=metadata.name%3Dfloatip-operator&timeoutSeconds=5",
            res(
                LEASES,
                "watch",
                "coordination.k8s.io",
                "v1",
                "floatip",
                "leases",
                "",
                "floatip-operator")),
        Arguments.of(
            "GET",
            LEASES + "?fieldSelector=metadata.name%3D%3Dl",
            res(LEASES, "list", "coordination.k8s.io", "v1", "floatip", "leases", "", "l")),
        Arguments.of(
            "GET",
            PODS + "?fieldSelector=spec.nodeName%3Dn%2Cmetadata.name%3Dp",
            res(PODS, "list", "", "v1", "x", "pods", "", "p")),
        // no name: another field, !=, an invalid path segment, a field name with spaces
        Arguments.of(
            "GET",
            PODS + "?fieldSelector=spec.nodeName%3Dn",
            res(PODS, "list", "", "v1", "x", "pods", "", "")),
        Arguments.of(
            "GET",
            PODS + "?fieldSelector=metadata.name!%3Dp",
            res(PODS, "list", "", "v1", "x", "pods", "", "")),
        Arguments.of(
            "GET",
            PODS + "?fieldSelector=metadata.name%3D..",
            res(PODS, "list", "", "v1", "x", "pods", "", "")),
        Arguments.of(
            "GET",
            PODS + "?fieldSelector=metadata.name+%3D+p",
            res(PODS, "list", "", "v1", "x", "pods", "", "")),
        // escaped value characters
        Arguments.of(
            "GET",
            PODS + "?fieldSelector=metadata.name%3Da%5C%2Cb",
            res(PODS, "list", "", "v1", "x", "pods", "", "a,b")),
        // a query that fails to decode: list (or watch if asked), never a name
        Arguments.of(
            "GET",
            PODS + "?fieldSelector=metadata.name%3Dp&limit=abc",
            res(PODS, "list", "", "v1", "x", "pods", "", "")),
        Arguments.of(
            "GET",
            PODS + "?watch=1&fieldSelector=metadata.name%3Dp%3Dq",
            res(PODS, "watch", "", "v1", "x", "pods", "", "")),
        // a get by name ignores the selector
        Arguments.of(
            "GET",
            PODS + "/p?fieldSelector=metadata.name%3Dq",
            res(PODS + "/p", "get", "", "v1", "x", "pods", "", "p")),
        // percent-decoded path
        Arguments.of(
            "GET", PODS + "/a%2Eb", res(PODS + "/a.b", "get", "", "v1", "x", "pods", "", "a.b")),
        // non-resource requests: verb = lower-case method
        Arguments.of("GET", "/version", nonResource("/version", "get")),
        Arguments.of("GET", "/version?timeout=32s", nonResource("/version", "get")),
        Arguments.of("GET", "/api", nonResource("/api", "get")),
        Arguments.of("GET", "/api/v1", nonResource("/api/v1", "get")),
        Arguments.of("GET", "/apis", nonResource("/apis", "get")),
        Arguments.of("GET", "/apis/floatip.dev", nonResource("/apis/floatip.dev", "get")),
        Arguments.of(
            "GET", "/apis/floatip.dev/v1alpha1", nonResource("/apis/floatip.dev/v1alpha1", "get")),
        Arguments.of("GET", "/openapi/v2", nonResource("/openapi/v2", "get")),
        Arguments.of("GET", "/healthz", nonResource("/healthz", "get")),
        Arguments.of("HEAD", "/healthz", nonResource("/healthz", "head")),
        Arguments.of("POST", "/foo/bar/baz", nonResource("/foo/bar/baz", "post")),
        Arguments.of("GET", "/", nonResource("/", "get")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("requests")
  void parsesAsKubeApiserver(String method, String target, RequestInfo expected) {
    assertThat(RequestInfo.parse(method, target)).isEqualTo(expected);
  }

  @Test
  void aSpecialVerbWithoutAResourceIsABadRequest() {
    assertThatThrownBy(() -> RequestInfo.parse("GET", "/api/v1/watch"))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessage("unable to determine kind and namespace from url, /api/v1/watch");
  }

  @Test
  void combinedResourceNamesTheSubresource() {
    assertThat(RequestInfo.parse("PATCH", VIPS + "/a/status").combinedResource())
        .isEqualTo("virtualips/status");
    assertThat(RequestInfo.parse("GET", VIPS).combinedResource()).isEqualTo("virtualips");
  }
}
