package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Healthy while an HTTP GET answers with the expected status. */
public record HttpCheck(
    @Required @JsonPropertyDescription("Name, unique among the HTTP checks.") String name,
    @Required @JsonPropertyDescription("http:// or https:// URL.") String url,
    @Min(100)
        @Max(599)
        @Default(Schema.HTTP_STATUS_TEXT)
        @JsonPropertyDescription("Expected status code (default 200).")
        Integer expectedStatus,
    @Pattern(Schema.DURATION) @JsonPropertyDescription("Request timeout (default: the interval).")
        String timeout,
    @Pattern(Schema.DURATION)
        @Default(Schema.CHECK_INTERVAL)
        @JsonPropertyDescription("Time between requests (default 1s).")
        String interval,
    @Min(1) @Default(Schema.RISE_FALL_TEXT) Integer rise,
    @Min(1) @Default(Schema.RISE_FALL_TEXT) Integer fall,
    @Min(-253)
        @Max(253)
        @JsonPropertyDescription("Weight, -253..253; 0 (default): failing means FAULT.")
        Integer weight)
    implements PeriodicCheckSpec {

  public int expectedStatusOrDefault() {
    return expectedStatus == null ? Schema.HTTP_STATUS : expectedStatus;
  }
}
