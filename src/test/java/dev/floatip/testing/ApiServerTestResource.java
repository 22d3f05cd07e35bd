package dev.floatip.testing;

import dev.floatip.testing.apiserver.Identity;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * The strict test API server ({@link MockApiServer}) for a {@code @QuarkusTest}:
 * {@code @QuarkusTestResource(value = ApiServerTestResource.class, restrictToAnnotatedClass =
 * true)}, and {@code @ApiServerTestResource.Inject MockApiServer api} in the test.
 *
 * <p>The application's KubernetesClient (the operator's) authenticates as the chart's operator
 * ServiceAccount, and the operator runs in the chart's namespace, as installed with default values:
 * {@code quarkus.kubernetes-client.token} is the operator's token, {@code
 * floatip.operator.namespace} is {@value MockApiServer#NAMESPACE}. The CRD is installed by the
 * server (as {@code helm install} does), so the operator does not apply it ({@code
 * quarkus.operator-sdk.crd.apply=false}: the operator's ServiceAccount may only read it).
 */
public final class ApiServerTestResource implements QuarkusTestResourceLifecycleManager {

  /** Marks the test's {@link MockApiServer} field. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface Inject {}

  private MockApiServer server;

  @Override
  public Map<String, String> start() {
    server = MockApiServer.start();
    // as Quarkus' own Kubernetes test resource: no kubeconfig or in-cluster credentials of the host
    System.setProperty("kubernetes.auth.tryKubeConfig", "false");
    System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    return Map.of(
        "quarkus.kubernetes-client.api-server-url",
        server.url(),
        "quarkus.kubernetes-client.token",
        Identity.OPERATOR.token(),
        "quarkus.kubernetes-client.namespace",
        MockApiServer.NAMESPACE,
        "quarkus.kubernetes-client.devservices.enabled",
        "false",
        "floatip.operator.namespace",
        MockApiServer.NAMESPACE,
        "quarkus.operator-sdk.crd.apply",
        "false");
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        server, new TestInjector.AnnotatedAndMatchesType(Inject.class, MockApiServer.class));
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
    }
  }
}
