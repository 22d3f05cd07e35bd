package dev.floatip.operator;

import dev.floatip.api.v1alpha1.AuthenticationSpec;
import dev.floatip.api.v1alpha1.SecretKeyRef;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.Violation;
import java.util.List;

/**
 * Where a VirtualIP's {@code passwordSecretRef} may point (issue 11, defect 6): the agents may read
 * Secrets only in the release namespace and the chart's {@code agent.secretNamespaces} (a Role in
 * each), because the VirtualIP's author chooses the Secret and the peers the password goes to in
 * clear. Any other namespace makes the VirtualIP InvalidSpec, naming the field and the value.
 */
public final class SecretNamespaces {

  static final String PATH = "spec.authentication.passwordSecretRef.namespace";

  private SecretNamespaces() {}

  /** The violation of {@code vip}'s Secret reference under {@code cfg}, if any. */
  public static List<Violation> check(VirtualIP vip, OperatorConfig cfg) {
    AuthenticationSpec auth = vip.getSpec() == null ? null : vip.getSpec().authentication();
    SecretKeyRef ref = auth == null ? null : auth.passwordSecretRef();
    if (ref == null || cfg.allowsSecretNamespace(ref.namespace())) {
      return List.of();
    }
    return List.of(
        new Violation(
            PATH,
            "the agents may not read Secrets in namespace "
                + ref.namespace()
                + ": only in "
                + cfg.namespace()
                + " (the release namespace, the default)"
                + (cfg.secretNamespaces().isEmpty()
                    ? ""
                    : " and " + String.join(", ", cfg.secretNamespaces()))
                + "; move the Secret, or add the namespace to the chart value"
                + " agent.secretNamespaces"));
  }
}
