package dev.floatip.testing.apiserver;

/**
 * What kube-apiserver's RequestInfoFactory makes of a request: for resource requests the verb (get,
 * list, watch, create, update, patch, delete, deletecollection), API group and version, namespace,
 * resource, subresource and name; otherwise the path of a non-resource request (verb = the
 * lower-case HTTP method).
 *
 * <p>SKELETON (filled in by the RBAC work): only the record's shape is fixed here.
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

  /**
   * Parses an HTTP request.
   *
   * @param method GET, POST, PUT, PATCH or DELETE
   * @param pathAndQuery the request target, e.g. {@code /api/v1/namespaces/x/pods?watch=true}
   */
  public static RequestInfo parse(String method, String pathAndQuery) {
    throw new UnsupportedOperationException("RequestInfo.parse: not written yet");
  }
}
