package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/**
 * Hooks run on state changes, in order per VirtualIP, never on the event loop (DESIGN §5). The
 * per-state commands get only their own arguments; {@code command} runs after them with
 * keepalived's four arguments appended: {@code INSTANCE <name> <MASTER|BACKUP|FAULT|STOP>
 * <priority>} (anchors §1.9).
 */
public record NotifySpec(
    @JsonPropertyDescription(
            "Generic hook, run as: <command...> INSTANCE <name> <STATE> <priority> (keepalived"
                + " notify).")
        List<String> command,
    @JsonPropertyDescription("Run on becoming master (keepalived notify_master).")
        List<String> master,
    @JsonPropertyDescription("Run on becoming backup (keepalived notify_backup).")
        List<String> backup,
    @JsonPropertyDescription("Run on entering FAULT (keepalived notify_fault).") List<String> fault,
    @JsonPropertyDescription("Run when the agent stops the router (keepalived notify_stop).")
        List<String> stop,
    @JsonPropertyDescription(
            "Run the hooks as user[:group] (keepalived notify ... user, script_user); default:"
                + " the agent's user.")
        String user,
    @Pattern(Schema.DURATION)
        @Default(Schema.NOTIFY_TIMEOUT)
        @JsonPropertyDescription("A hook running longer is killed (default 30s).")
        String timeout,
    @JsonPropertyDescription("Mail on state changes (keepalived smtp_alert).") MailSpec mail,
    @JsonPropertyDescription("POST a JSON event to a URL on state changes.") WebhookSpec webhook) {

  public String timeoutOrDefault() {
    return timeout == null ? Schema.NOTIFY_TIMEOUT : timeout;
  }
}
