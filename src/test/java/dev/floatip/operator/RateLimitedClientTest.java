package dev.floatip.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.kube.ApiRate;
import dev.floatip.operator.model.OperatorConfig;
import dev.floatip.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The operator's client is Quarkus' with the operator's API rate limit. */
@QuarkusTest
class RateLimitedClientTest {

  @Test
  void theApplicationsKubernetesClientIsTheRateLimitedOne() {
    var handle = Arc.container().instance(KubernetesClient.class);
    assertThat(handle.getBean().getBeanClass()).isEqualTo(RateLimitedClient.class);
  }

  @Test
  void requestsPastTheBurstWaitForTheOperatorsRate() {
    OperatorConfig cfg = OperatorConfig.defaults();
    ApiRate rate = cfg.operatorApiRate();
    int requests = rate.burst() + 10;
    try (MockApiServer api = MockApiServer.start();
        KubernetesClient client =
            new RateLimitedClient()
                .kubernetesClient(
                    api.client().getConfiguration(), new KubernetesSerialization(), cfg)) {
      long start = System.nanoTime();
      for (int i = 0; i < requests; i++) {
        client
            .configMaps()
            .inNamespace("default")
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("m" + i).endMetadata().build())
            .create();
      }
      long elapsed = System.nanoTime() - start;
      // the 10 past the burst come at the rate: at least 10 / qps seconds (a lower bound only)
      assertThat(elapsed).isGreaterThanOrEqualTo((long) (10 / rate.qps() * 1e9) - 1_000_000);
    }
  }
}
