package dev.floatip.testing;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * API discovery for the mock server: {@code /api}, {@code /apis} and {@code /api(s)/GROUP/VERSION}
 * resource lists, which the CRUD mock answers with whatever it stores under those paths. With them,
 * kubectl maps kinds and short names ({@code kubectl get vip}) and Fabric8's generic client finds
 * resources. Only the resources floatip and its tests touch are listed; the custom ones come from
 * the applied CRDs. OpenAPI is not served ({@code kubectl apply --validate=false}).
 */
final class Discovery {

  private Discovery() {}

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** group/version -> resources; "" is the core group. */
  private static Map<String, List<APIResource>> builtIn() {
    Map<String, List<APIResource>> out = new LinkedHashMap<>();
    out.put(
        "v1",
        List.of(
            resource("nodes", "Node", false, "no"),
            resource("nodes/status", "Node", false),
            resource("namespaces", "Namespace", false, "ns"),
            resource("pods", "Pod", true, "po"),
            resource("pods/status", "Pod", true),
            resource("events", "Event", true, "ev"),
            resource("serviceaccounts", "ServiceAccount", true, "sa"),
            resource("secrets", "Secret", true),
            resource("configmaps", "ConfigMap", true, "cm"),
            resource("services", "Service", true, "svc")));
    out.put(
        "apps/v1",
        List.of(
            resource("daemonsets", "DaemonSet", true, "ds"),
            resource("daemonsets/status", "DaemonSet", true),
            resource("deployments", "Deployment", true, "deploy")));
    out.put("coordination.k8s.io/v1", List.of(resource("leases", "Lease", true)));
    out.put("events.k8s.io/v1", List.of(resource("events", "Event", true, "ev")));
    out.put(
        "rbac.authorization.k8s.io/v1",
        List.of(
            resource("clusterroles", "ClusterRole", false),
            resource("clusterrolebindings", "ClusterRoleBinding", false),
            resource("roles", "Role", true),
            resource("rolebindings", "RoleBinding", true)));
    out.put(
        "apiextensions.k8s.io/v1",
        List.of(
            resource("customresourcedefinitions", "CustomResourceDefinition", false, "crd", "crds"),
            resource("customresourcedefinitions/status", "CustomResourceDefinition", false)));
    return out;
  }

  private static APIResource resource(
      String name, String kind, boolean namespaced, String... shortNames) {
    boolean sub = name.contains("/");
    return new APIResourceBuilder()
        .withName(name)
        .withSingularName(sub ? "" : kind.toLowerCase())
        .withKind(kind)
        .withNamespaced(namespaced)
        .withVerbs(sub ? List.of("get", "patch", "update") : VERBS)
        .withShortNames(shortNames.length == 0 ? null : List.of(shortNames))
        .build();
  }

  /** Serves discovery for the built-in resources and {@code crds} before {@code delegate}. */
  static Dispatcher wrap(Dispatcher delegate, List<CustomResourceDefinition> crds) {
    Map<String, List<APIResource>> all = builtIn();
    for (CustomResourceDefinition crd : crds) {
      var spec = crd.getSpec();
      boolean namespaced = "Namespaced".equals(spec.getScope());
      for (CustomResourceDefinitionVersion v : spec.getVersions()) {
        if (!Boolean.TRUE.equals(v.getServed())) {
          continue;
        }
        List<APIResource> list =
            all.computeIfAbsent(spec.getGroup() + "/" + v.getName(), k -> new ArrayList<>());
        list.add(
            new APIResourceBuilder()
                .withName(spec.getNames().getPlural())
                .withSingularName(spec.getNames().getSingular())
                .withKind(spec.getNames().getKind())
                .withNamespaced(namespaced)
                .withVerbs(VERBS)
                .withShortNames(spec.getNames().getShortNames())
                .withCategories(spec.getNames().getCategories())
                .build());
        if (v.getSubresources() != null && v.getSubresources().getStatus() != null) {
          list.add(
              new APIResourceBuilder()
                  .withName(spec.getNames().getPlural() + "/status")
                  .withSingularName("")
                  .withKind(spec.getNames().getKind())
                  .withNamespaced(namespaced)
                  .withVerbs("get", "patch", "update")
                  .build());
        }
      }
    }
    Map<String, Object> answers = new LinkedHashMap<>();
    answers.put("/api", new APIVersionsBuilder().withVersions("v1").build());
    var groups = new APIGroupListBuilder();
    Map<String, List<String>> versions = new LinkedHashMap<>();
    for (String gv : all.keySet()) {
      if (gv.contains("/")) {
        versions
            .computeIfAbsent(gv.substring(0, gv.indexOf('/')), g -> new ArrayList<>())
            .add(gv.substring(gv.indexOf('/') + 1));
      }
    }
    versions.forEach(
        (group, vs) -> {
          var g = new APIGroupBuilder().withName(group);
          vs.forEach(v -> g.addToVersions(version(group, v)));
          g.withPreferredVersion(version(group, vs.getFirst()));
          groups.addToGroups(g.build());
        });
    answers.put("/apis", groups.build());
    all.forEach(
        (gv, resources) ->
            answers.put(
                (gv.contains("/") ? "/apis/" : "/api/") + gv,
                new APIResourceListBuilder()
                    .withGroupVersion(gv)
                    .withResources(resources)
                    .build()));
    Map<String, String> json = new LinkedHashMap<>();
    answers.forEach((path, body) -> json.put(path, Serialization.asJson(body)));
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        int q = path.indexOf('?');
        path = q < 0 ? path : path.substring(0, q);
        if (request.method() == HttpMethod.GET) {
          String body = json.get(path);
          if (body != null) {
            return new MockResponse()
                .setResponseCode(200)
                .addHeader("Content-Type", "application/json")
                .setBody(body);
          }
          if (path.startsWith("/openapi/")) {
            return new MockResponse()
                .setResponseCode(404)
                .addHeader("Content-Type", "application/json")
                .setBody(
                    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                        + "\"reason\":\"NotFound\",\"code\":404}");
          }
        }
        return delegate.dispatch(request);
      }

      @Override
      public void shutdown() {
        delegate.shutdown();
      }
    };
  }

  private static GroupVersionForDiscovery version(String group, String version) {
    return new GroupVersionForDiscoveryBuilder()
        .withGroupVersion(group + "/" + version)
        .withVersion(version)
        .build();
  }
}
