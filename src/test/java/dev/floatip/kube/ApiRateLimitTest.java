package dev.floatip.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.floatip.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client-side rate limit on a real Fabric8 client against the test API server. */
class ApiRateLimitTest {

  private static final long SECOND = 1_000_000_000L;

  private final MockApiServer api = MockApiServer.start();
  private final AtomicLong now = new AtomicLong();

  @AfterEach
  void tearDown() {
    api.close();
  }

  /** A limit whose waits advance the virtual clock (no real sleep). */
  private ApiRateLimit limit(ApiRate rate) {
    return new ApiRateLimit(new TokenBucket(rate, now::get), now::addAndGet);
  }

  private KubernetesClient client(ApiRateLimit limit) {
    return new KubernetesClientBuilder()
        .withConfig(api.client().getConfiguration())
        .withHttpClientBuilderConsumer(limit::addTo)
        .build();
  }

  private static ConfigMap map(int i) {
    return new ConfigMapBuilder().withNewMetadata().withName("m" + i).endMetadata().build();
  }

  @Test
  void requestsPastTheBurstWaitForTheRate() {
    ApiRateLimit limit = limit(new ApiRate(20, 10));
    try (KubernetesClient client = client(limit)) {
      for (int i = 0; i < 50; i++) {
        client.configMaps().inNamespace("default").resource(map(i)).create();
      }
    }
    // 10 at once, then 40 more at 20 a second: 2 s on the virtual clock
    assertThat(limit.requests()).isEqualTo(50);
    assertThat(now.get()).isBetween(2 * SECOND, 2 * SECOND + SECOND / 100);
    assertThat(limit.waitedNanos()).isGreaterThanOrEqualTo(2 * SECOND);
    assertThat(api.client().configMaps().inNamespace("default").list().getItems()).hasSize(50);
  }

  @Test
  void aRequestThatWouldWaitTooLongFailsAtOnce() {
    // the clock never moves: every reservation queues behind the last, 1 s apart
    ApiRateLimit limit = new ApiRateLimit(new TokenBucket(new ApiRate(1, 1), now::get), n -> {});
    try (KubernetesClient client = client(limit)) {
      for (int i = 0; i <= ApiRateLimit.MAX_WAIT.toSeconds(); i++) {
        client.configMaps().inNamespace("default").resource(map(i)).create();
      }
      assertThatThrownBy(
              () -> client.configMaps().inNamespace("default").resource(map(99)).create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("client-side API rate limit (1.0 requests/s, burst 1)")
          .hasMessageContaining("longer than 10s");
    }
    assertThat(api.client().configMaps().inNamespace("default").withName("m99").get()).isNull();
  }

  @Test
  void aThreadThatMayNotWaitGoesAtOnceAndTheNextCallerPays() {
    TokenBucket bucket = new TokenBucket(new ApiRate(10, 1), now::get);
    ApiRateLimit eventLoop = new ApiRateLimit(bucket, n -> now.addAndGet(n), () -> false);
    ApiRateLimit worker = new ApiRateLimit(bucket, n -> now.addAndGet(n), () -> true);
    try (KubernetesClient loop = client(eventLoop);
        KubernetesClient other = client(worker)) {
      for (int i = 0; i < 3; i++) {
        loop.configMaps().inNamespace("default").resource(map(i)).create();
      }
      assertThat(now.get()).isZero(); // never held
      other.configMaps().inNamespace("default").resource(map(3)).create();
    }
    // the 3 tokens taken beyond the burst are paid by the next request that may wait: 0.3 s
    assertThat(now.get()).isEqualTo(3 * SECOND / 10);
  }

  @Test
  void aWatchCostsOneRequestWhenOpenedNotOnePerEvent() {
    ApiRateLimit limit = limit(new ApiRate(1, 5));
    try (KubernetesClient client = client(limit);
        SharedIndexInformer<ConfigMap> informer =
            client.configMaps().inNamespace("default").inform()) {
      await().atMost(Duration.ofSeconds(10)).until(informer::isWatching);
      long opened = limit.requests();
      assertThat(opened).isEqualTo(2); // the list and the watch

      for (int i = 0; i < 30; i++) {
        api.client().configMaps().inNamespace("default").resource(map(i)).create();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> informer.getStore().list().size() == 30);
      assertThat(limit.requests()).isEqualTo(opened);
    }
  }
}
