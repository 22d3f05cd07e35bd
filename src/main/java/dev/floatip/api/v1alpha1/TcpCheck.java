package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Healthy while a TCP connect succeeds. */
public record TcpCheck(
    @Required @JsonPropertyDescription("Name, unique among the TCP checks.") String name,
    @Required
        @JsonPropertyDescription(
            "ip:port or [ipv6]:port. An IP literal: the data plane never waits on DNS.")
        String address,
    @Pattern(Schema.DURATION) @JsonPropertyDescription("Connect timeout (default: the interval).")
        String timeout,
    @Pattern(Schema.DURATION)
        @Default(Schema.CHECK_INTERVAL)
        @JsonPropertyDescription("Time between attempts (default 1s).")
        String interval,
    @Min(1) @Default(Schema.RISE_FALL_TEXT) Integer rise,
    @Min(1) @Default(Schema.RISE_FALL_TEXT) Integer fall,
    @Min(-253)
        @Max(253)
        @JsonPropertyDescription("Weight, -253..253; 0 (default): failing means FAULT.")
        Integer weight)
    implements PeriodicCheckSpec {}
