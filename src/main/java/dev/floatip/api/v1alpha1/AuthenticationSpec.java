package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * VRRPv2 simple-text password (keepalived {@code auth_type PASS}, at most 8 characters). Exactly
 * one source: a Secret (cluster), a file (standalone) or inline (tests).
 */
@ValidationRule(
    value =
        "(has(self.passwordSecretRef) ? 1 : 0) + (has(self.passwordFile) ? 1 : 0)"
            + " + (has(self.password) ? 1 : 0) == 1",
    message = "set exactly one of passwordSecretRef, passwordFile, password")
@ValidationRule(
    value = "!has(self.passwordFile)",
    message = "only in a standalone file; use passwordSecretRef",
    fieldPath = ".passwordFile",
    reason = "FieldValueForbidden")
public record AuthenticationSpec(
    @JsonPropertyDescription("Secret key holding the password (cluster mode).")
        SecretKeyRef passwordSecretRef,
    @JsonPropertyDescription(
            "File holding the password, read when the config is loaded (standalone mode).")
        String passwordFile,
    @Size(min = 1, max = 8)
        @Pattern("^[ -~]*$")
        @JsonPropertyDescription("Inline password, 1..8 printable ASCII characters; for tests.")
        String password) {}
