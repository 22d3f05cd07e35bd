package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * State-change mail (keepalived smtp_server, notification_email_from, notification_email), with TLS
 * and AUTH, which keepalived lacks.
 */
@ValidationRule(
    value =
        "!has(self.auth) || (has(self.tls) && self.tls != 'None')"
            + " || (has(self.auth.allowCleartext) && self.auth.allowCleartext)",
    message =
        "AUTH would send the password in clear text: set tls to StartTLS or Implicit, or"
            + " auth.allowCleartext to true",
    fieldPath = ".auth")
@ValidationRule(
    value = "!has(self.caFile)",
    message = "only in a standalone file; in a cluster the image's trust store is used",
    fieldPath = ".caFile",
    reason = "FieldValueForbidden")
public record MailSpec(
    @Required
        @JsonPropertyDescription(
            "host or host:port of the SMTP server (port default: 25, 587 with StartTLS, 465 with"
                + " Implicit).")
        String smtpServer,
    @Required @JsonPropertyDescription("Sender address.") String from,
    @Required @Size(min = 1) @JsonPropertyDescription("Recipient addresses.") List<String> to,
    @JsonPropertyDescription("HELO name (default: the node name).") String heloName,
    @Pattern(Schema.DURATION)
        @Default(MailSpec.CONNECT_TIMEOUT)
        @JsonPropertyDescription("SMTP connect timeout (default 30s, as keepalived).")
        String connectTimeout,
    @JsonPropertyDescription(
            "None (plain SMTP, as keepalived; default), StartTLS (refused if the server does not"
                + " offer it) or Implicit (TLS from the start, port 465). The server's certificate"
                + " and name are verified.")
        MailTls tls,
    @JsonPropertyDescription(
            "PEM file of the CA certificates to trust instead of the system's (standalone mode).")
        String caFile,
    @JsonPropertyDescription("SMTP AUTH (PLAIN or LOGIN); needs tls unless allowCleartext.")
        MailAuthSpec auth) {

  public static final String CONNECT_TIMEOUT = "30s";

  public MailTls tlsOrDefault() {
    return tls == null ? MailTls.None : tls;
  }

  public String connectTimeoutOrDefault() {
    return connectTimeout == null ? CONNECT_TIMEOUT : connectTimeout;
  }
}
