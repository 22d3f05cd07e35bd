package dev.floatip.operator;

import dev.floatip.kube.ApiRateLimit;
import dev.floatip.operator.model.OperatorConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The operator's Kubernetes client: Quarkus' own (same {@link Config} and serialization, which this
 * producer replaces as Quarkus' client producer is a default bean) with the client-side rate limit
 * {@link OperatorConfig#operatorApiRate()} on every request, so that a mass failover's status
 * aggregation cannot flood the API server (kube-controller-manager bounds itself the same way).
 */
@ApplicationScoped
public class RateLimitedClient {

  private static final Logger LOG = Logger.getLogger(RateLimitedClient.class);

  @Produces
  @Singleton
  KubernetesClient kubernetesClient(
      Config config, KubernetesSerialization serialization, OperatorConfig operator) {
    ApiRateLimit limit = ApiRateLimit.of(operator.operatorApiRate());
    LOG.debugf(
        "API requests limited to %s/s, burst %d",
        operator.operatorApiRate().qps(), operator.operatorApiRate().burst());
    return new KubernetesClientBuilder()
        .withKubernetesSerialization(serialization)
        .withConfig(config)
        .withHttpClientBuilderConsumer(limit::addTo)
        .build();
  }

  void close(@Disposes KubernetesClient client) {
    client.close();
  }
}
