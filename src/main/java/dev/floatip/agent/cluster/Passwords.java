package dev.floatip.agent.cluster;

import dev.floatip.api.v1alpha1.AuthenticationSpec;
import dev.floatip.api.v1alpha1.SecretKeyRef;
import dev.floatip.api.v1alpha1.VirtualIP;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * VRRP v2 passwords from Secrets ({@code authentication.passwordSecretRef}), and the SMTP ones
 * ({@code notify.mail.auth.passwordSecretRef}), read with {@code get} (the agent's role names each
 * Secret) and remembered, so that an API outage does not stop a running VirtualIP.
 */
final class Passwords {

  private static final Logger LOG = Logger.getLogger(Passwords.class);

  sealed interface Result permits Resolved, Missing {}

  /** The password to use; null when the VirtualIP needs none (or has it inline). */
  record Resolved(String password) implements Result {}

  record Missing(String reason) implements Result {}

  private final KubernetesClient client;
  private final String defaultNamespace;
  private final InstantSource clock;

  /** Plans run on every status write of every agent: read each Secret at most this often. */
  private static final Duration REFRESH = Duration.ofSeconds(30);

  private record Fetched(String value, Instant at) {}

  private final Map<SecretKeyRef, Fetched> known = new ConcurrentHashMap<>();

  /**
   * @param defaultNamespace where Secrets without a namespace live: the namespace floatip runs in
   */
  Passwords(KubernetesClient client, String defaultNamespace, InstantSource clock) {
    this.client = client;
    this.defaultNamespace = defaultNamespace;
    this.clock = clock;
  }

  Result resolve(VirtualIP vip) {
    AuthenticationSpec auth = vip.getSpec().authentication();
    SecretKeyRef ref = auth == null ? null : auth.passwordSecretRef();
    if (ref == null) {
      return new Resolved(null);
    }
    return read(ref, vip.getMetadata().getName());
  }

  /**
   * A Secret key for notifications ({@code mail.auth.passwordSecretRef}), on a notify thread.
   *
   * @throws IllegalStateException saying why it is missing or unreadable
   */
  String secret(SecretKeyRef ref) {
    return switch (read(ref, "notify")) {
      case Resolved r -> r.password();
      case Missing m -> throw new IllegalStateException(m.reason());
    };
  }

  private Result read(SecretKeyRef ref, String forWhom) {
    String namespace = ref.namespace() != null ? ref.namespace() : defaultNamespace;
    String where = "Secret " + namespace + "/" + ref.name() + " key " + ref.key();
    Fetched last = known.get(ref);
    if (last != null && last.at().plus(REFRESH).isAfter(clock.instant())) {
      return new Resolved(last.value());
    }
    try {
      Secret secret = client.secrets().inNamespace(namespace).withName(ref.name()).get();
      String value = value(secret, ref.key());
      if (value == null) {
        known.remove(ref);
        return new Missing(where + " not found");
      }
      known.put(ref, new Fetched(value, clock.instant()));
      return new Resolved(value);
    } catch (KubernetesClientException e) {
      if (last != null) {
        LOG.debugf("%s: %s unreadable (%s); using the last value", forWhom, where, e.getMessage());
        return new Resolved(last.value());
      }
      return new Missing(where + " unreadable: " + e.getMessage());
    }
  }

  private static String value(Secret secret, String key) {
    if (secret == null) {
      return null;
    }
    if (secret.getData() != null && secret.getData().get(key) != null) {
      return new String(
              Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8)
          .strip();
    }
    if (secret.getStringData() != null) {
      return secret.getStringData().get(key);
    }
    return null;
  }
}
