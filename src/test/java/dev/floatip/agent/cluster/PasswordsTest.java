package dev.floatip.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floatip.api.v1alpha1.SecretKeyRef;
import dev.floatip.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Secrets are re-read on the injected clock: at most every 30 s, the last value kept in outages.
 */
class PasswordsTest {

  private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");
  private static final SecretKeyRef REF = new SecretKeyRef("vrrp", "password", null);

  private final MockCluster cluster = new MockCluster();
  private final AtomicReference<Instant> now = new AtomicReference<>(T0);
  private final Passwords passwords =
      new Passwords(cluster.client, MockApiServer.NAMESPACE, now::get);

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  private void secret(String password) {
    cluster
        .client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("vrrp")
                .withNamespace(MockApiServer.NAMESPACE)
                .endMetadata()
                .withStringData(Map.of("password", password))
                .build())
        .createOr(r -> r.update());
  }

  @Test
  void aChangedSecretIsReadAfterThirtySecondsOfTheInjectedClock() {
    secret("first");
    assertThat(passwords.secret(REF)).isEqualTo("first");

    secret("second");
    now.set(T0.plusMillis(29_999));
    assertThat(passwords.secret(REF)).as("remembered, not read again").isEqualTo("first");
    now.set(T0.plusSeconds(30));
    assertThat(passwords.secret(REF)).isEqualTo("second");
  }

  @Test
  void anUnreadableSecretKeepsTheLastValueAndAMissingOneSaysWhere() {
    secret("first");
    assertThat(passwords.secret(REF)).isEqualTo("first");
    secret("second");
    cluster.api.failNext(
        "GET", "/api/v1/namespaces/" + MockApiServer.NAMESPACE + "/secrets/vrrp", 403, 1);
    now.set(T0.plusSeconds(31));
    assertThat(passwords.secret(REF)).as("API failing: the last value").isEqualTo("first");
    assertThat(passwords.secret(REF)).as("the next call reads it again").isEqualTo("second");

    SecretKeyRef other = new SecretKeyRef("absent", "password", null);
    assertThatThrownBy(() -> passwords.secret(other))
        .hasMessageContaining("Secret " + MockApiServer.NAMESPACE + "/absent key password")
        .hasMessageContaining("not found");
  }
}
