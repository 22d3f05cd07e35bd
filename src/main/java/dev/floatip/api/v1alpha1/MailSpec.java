package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** State-change mail (keepalived smtp_server, notification_email_from, notification_email). */
public record MailSpec(
    @Required @JsonPropertyDescription("host or host:port of the SMTP server (port default 25).")
        String smtpServer,
    @Required @JsonPropertyDescription("Sender address.") String from,
    @Required @Size(min = 1) @JsonPropertyDescription("Recipient addresses.") List<String> to,
    @JsonPropertyDescription("HELO name (default: the node name).") String heloName,
    @Pattern(Schema.DURATION)
        @Default(MailSpec.CONNECT_TIMEOUT)
        @JsonPropertyDescription("SMTP connect timeout (default 30s, as keepalived).")
        String connectTimeout) {

  public static final String CONNECT_TIMEOUT = "30s";

  public String connectTimeoutOrDefault() {
    return connectTimeout == null ? CONNECT_TIMEOUT : connectTimeout;
  }
}
