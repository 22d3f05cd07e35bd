package dev.floatip.operator;

import static dev.floatip.operator.model.Vips.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.Violation;
import dev.floatip.operator.model.OperatorConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 11, defect 6: a passwordSecretRef only where the chart lets the agents read Secrets. */
class SecretNamespacesTest {

  private static final OperatorConfig CFG =
      new OperatorConfig(
          "floatip",
          OperatorConfig.DEFAULT_AGENT_NAME,
          OperatorConfig.DEFAULT_IMAGE,
          "IfNotPresent",
          OperatorConfig.defaults().agentRequests(),
          OperatorConfig.defaults().agentLimits(),
          "",
          List.of(),
          OperatorConfig.DEFAULT_AGENT_METRICS_PORT,
          "text",
          OperatorConfig.defaults().finalizerTimeout(),
          true,
          "floatip-operator",
          List.of(),
          List.of("vrrp-secrets"),
          null,
          OperatorConfig.DEFAULT_MAX_CANDIDATES,
          null,
          null);

  private static VirtualIP withRef(String namespace) {
    return vip(
        "a",
        "{addresses: [192.0.2.1/24], version: 2, authentication: {passwordSecretRef: {name: pw,"
            + " key: pw"
            + (namespace == null ? "" : ", namespace: " + namespace)
            + "}}}");
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {"null", "floatip", "vrrp-secrets"})
  void theReleaseNamespaceAndTheListedOnesAreAllowed(String namespace) {
    assertThat(SecretNamespaces.check(withRef(namespace), CFG)).isEmpty();
  }

  @Test
  void anyOtherNamespaceIsRefusedNamingTheFieldAndTheValue() {
    List<Violation> v = SecretNamespaces.check(withRef("kube-system"), CFG);
    assertThat(v)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.path()).isEqualTo("spec.authentication.passwordSecretRef.namespace");
              assertThat(x.message())
                  .contains("kube-system")
                  .contains("floatip")
                  .contains("vrrp-secrets")
                  .contains("agent.secretNamespaces");
            });
  }

  @Test
  void withoutTheListOnlyTheReleaseNamespace() {
    assertThat(SecretNamespaces.check(withRef("vrrp-secrets"), CFG.withNamespace("floatip")))
        .isEmpty();
    OperatorConfig none = OperatorConfig.defaults().withNamespace("floatip");
    assertThat(SecretNamespaces.check(withRef("vrrp-secrets"), none)).hasSize(1);
    assertThat(SecretNamespaces.check(withRef(null), none)).isEmpty();
    assertThat(SecretNamespaces.check(vip("b", "{addresses: [192.0.2.2/24]}"), none)).isEmpty();
  }

  @Test
  void theSmtpPasswordSecretIsCheckedTheSameWay() {
    String spec =
        "{addresses: [192.0.2.1/24], notify: {mail: {smtpServer: smtp, from: a@b, to: [c@d],"
            + " tls: StartTLS, auth: {username: u, passwordSecretRef: {name: smtp, key: pw,"
            + " namespace: %s}}}}}";
    assertThat(SecretNamespaces.check(vip("a", spec.formatted("vrrp-secrets")), CFG)).isEmpty();
    assertThat(SecretNamespaces.check(vip("a", spec.formatted("kube-system")), CFG))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.path()).isEqualTo("spec.notify.mail.auth.passwordSecretRef.namespace");
              assertThat(x.message()).contains("kube-system").contains("agent.secretNamespaces");
            });
  }
}
