package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * A command run every {@code interval}; exit 0 is success (keepalived vrrp_script, anchors §1.8).
 */
public record ScriptCheck(
    @Required @JsonPropertyDescription("Name, unique among the scripts.") String name,
    @Required
        @Size(min = 1)
        @JsonPropertyDescription("Program and arguments; no shell is involved.")
        List<String> command,
    @Pattern(Schema.DURATION)
        @Default(Schema.CHECK_INTERVAL)
        @JsonPropertyDescription("Time between runs (default 1s).")
        String interval,
    @Pattern(Schema.DURATION)
        @JsonPropertyDescription(
            "A run taking longer is killed and counts as a failure (default: the interval).")
        String timeout,
    @Min(1)
        @Default(Schema.RISE_FALL_TEXT)
        @JsonPropertyDescription("Consecutive successes to become healthy (default 1).")
        Integer rise,
    @Min(1)
        @Default(Schema.RISE_FALL_TEXT)
        @JsonPropertyDescription("Consecutive failures to become failing (default 1).")
        Integer fall,
    @Min(-253)
        @Max(253)
        @JsonPropertyDescription("Weight, -253..253; 0 (default): failing means FAULT.")
        Integer weight,
    @JsonPropertyDescription(
            "Run as user[:group]; default: nobody when the agent runs as root, else the agent's user. Root only when written as root.")
        String user)
    implements PeriodicCheckSpec {

  /** keepalived: the timeout defaults to the interval. */
}
