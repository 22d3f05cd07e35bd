package dev.floatip.operator;

import dev.floatip.api.v1alpha1.AuthenticationSpec;
import dev.floatip.api.v1alpha1.MailAuthSpec;
import dev.floatip.api.v1alpha1.NotifySpec;
import dev.floatip.api.v1alpha1.SecretKeyRef;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.Violation;
import dev.floatip.operator.model.OperatorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a VirtualIP's {@code passwordSecretRef}s (VRRP password, SMTP password) may point (issue
 * 11, defect 6): the agents may read Secrets only in the release namespace and the chart's {@code
 * agent.secretNamespaces} (a Role in each), because the VirtualIP's author chooses the Secret and
 * the peers the password goes to in clear. Any other namespace makes the VirtualIP InvalidSpec,
 * naming the field and the value.
 */
public final class SecretNamespaces {

  static final String PATH = "spec.authentication.passwordSecretRef.namespace";
  static final String MAIL_PATH = "spec.notify.mail.auth.passwordSecretRef.namespace";

  private SecretNamespaces() {}

  /** The violations of {@code vip}'s Secret references under {@code cfg}, if any. */
  public static List<Violation> check(VirtualIP vip, OperatorConfig cfg) {
    if (vip.getSpec() == null) {
      return List.of();
    }
    List<Violation> out = new ArrayList<>();
    AuthenticationSpec auth = vip.getSpec().authentication();
    check(auth == null ? null : auth.passwordSecretRef(), PATH, cfg).ifPresent(out::add);
    NotifySpec n = vip.getSpec().notifications();
    MailAuthSpec mail = n == null || n.mail() == null ? null : n.mail().auth();
    check(mail == null ? null : mail.passwordSecretRef(), MAIL_PATH, cfg).ifPresent(out::add);
    return out;
  }

  private static Optional<Violation> check(SecretKeyRef ref, String path, OperatorConfig cfg) {
    if (ref == null || cfg.allowsSecretNamespace(ref.namespace())) {
      return Optional.empty();
    }
    return Optional.of(
        new Violation(
            path,
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
