package dev.floatip.notify;

import dev.floatip.api.v1alpha1.SecretKeyRef;

/**
 * Reads a key of a Secret for notifications ({@code mail.auth.passwordSecretRef}): the cluster
 * agent passes its Secret reader; standalone there are no Secrets (the validator refuses them).
 * Called on a notify thread, never on the event loop.
 */
@FunctionalInterface
public interface SecretReader {

  SecretReader NONE =
      ref -> {
        throw new IllegalStateException("Secrets are read only in cluster mode");
      };

  /**
   * The key's value.
   *
   * @throws IllegalStateException saying why it is missing or unreadable
   */
  String read(SecretKeyRef ref);
}
