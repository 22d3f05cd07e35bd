package dev.floatip.testing;

import dev.floatip.testing.apiserver.Identity;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The strict test API server ({@link MockApiServer}) for a {@code @QuarkusTest}:
 * {@code @QuarkusTestResource(value = ApiServerTestResource.class, restrictToAnnotatedClass =
 * true)}, and {@code @ApiServerTestResource.Inject MockApiServer api} in the test.
 *
 * <p>The application's KubernetesClient (the operator's) authenticates as the chart's operator
 * ServiceAccount, and the operator runs in the chart's namespace, as installed with default values:
 * Fabric8's {@code kubernetes.master} and {@code kubernetes.auth.token} system properties point it
 * at the server with the operator's token, {@code floatip.operator.namespace} is {@value
 * MockApiServer#NAMESPACE}. The CRD is installed by the server (as {@code helm install} does), so
 * the test profile does not apply it ({@code %test.quarkus.operator-sdk.crd.apply=false}: the
 * operator's ServiceAccount may only read it).
 */
public final class ApiServerTestResource implements QuarkusTestResourceLifecycleManager {

  /** Marks the test's {@link MockApiServer} field. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface Inject {}

  private MockApiServer server;

  /**
   * Fabric8's system properties that the application's client reads when it is created ({@code
   * quarkus.kubernetes-client.*} are fixed at build time), as Quarkus' own Kubernetes test resource
   * sets them.
   */
  private static final List<String> CLIENT_PROPERTIES =
      List.of(
          "kubernetes.master",
          "kubernetes.auth.token",
          "kubernetes.namespace",
          "kubernetes.auth.tryKubeConfig",
          "kubernetes.auth.tryServiceAccount",
          "kubernetes.http2.disable");

  @Override
  public Map<String, String> start() {
    server =
        MockApiServer.start(
            java.net.InetAddress.getLoopbackAddress(),
            0,
            MockApiServer.CRD,
            List.of(),
            List.of(MockApiServer.INSTALL));
    Map<String, String> client = new LinkedHashMap<>();
    client.put("kubernetes.master", server.url());
    client.put("kubernetes.auth.token", Identity.OPERATOR.token());
    client.put("kubernetes.namespace", MockApiServer.NAMESPACE);
    client.put("kubernetes.auth.tryKubeConfig", "false");
    client.put("kubernetes.auth.tryServiceAccount", "false");
    client.put("kubernetes.http2.disable", "true");
    client.forEach(System::setProperty);
    Map<String, String> config = new LinkedHashMap<>(client);
    config.put("floatip.operator.namespace", MockApiServer.NAMESPACE);
    return config;
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(
        server, new TestInjector.AnnotatedAndMatchesType(Inject.class, MockApiServer.class));
  }

  @Override
  public void stop() {
    CLIENT_PROPERTIES.forEach(System::clearProperty);
    if (server != null) {
      server.close();
    }
  }
}
