package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * SMTP AUTH (keepalived has none). The password is never inline: a Secret (cluster) or a file
 * (standalone), read by the agent when it sends, so a rotated password is used from the next mail.
 */
@ValidationRule(
    value = "(has(self.passwordSecretRef) ? 1 : 0) + (has(self.passwordFile) ? 1 : 0) == 1",
    message = "set exactly one of passwordSecretRef, passwordFile")
@ValidationRule(
    value = "!has(self.passwordFile)",
    message = "only in a standalone file; use passwordSecretRef",
    fieldPath = ".passwordFile",
    reason = "FieldValueForbidden")
public record MailAuthSpec(
    @Required @Size(min = 1, max = 256) @JsonPropertyDescription("SMTP user name.") String username,
    @JsonPropertyDescription("Secret key holding the password (cluster mode).")
        SecretKeyRef passwordSecretRef,
    @JsonPropertyDescription("File holding the password, read at each mail (standalone mode).")
        String passwordFile,
    @JsonPropertyDescription("Plain or Login; default: Plain if the server offers it, else Login.")
        MailAuthMechanism mechanism,
    @JsonPropertyDescription(
            "Allow AUTH without TLS (tls: None), e.g. to a relay on the same host; the password"
                + " then crosses the network in clear text. Default false.")
        Boolean allowCleartext) {

  public boolean allowCleartextOrDefault() {
    return Boolean.TRUE.equals(allowCleartext);
  }
}
