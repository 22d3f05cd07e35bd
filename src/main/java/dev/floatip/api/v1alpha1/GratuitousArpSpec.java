package dev.floatip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Gratuitous ARP (IPv4) / unsolicited NA (IPv6) on becoming master: {@code repeat} packets, a
 * second burst after {@code delay}, and optionally one every {@code refresh} while master
 * (keepalived garp_master_*, anchors §1.12).
 */
public record GratuitousArpSpec(
    @Pattern(Schema.DURATION)
        @Default(Schema.GARP_DELAY)
        @JsonPropertyDescription("Delay of the second burst; 0s = no second burst (default 5s).")
        String delay,
    @Min(1)
        @Max(100)
        @Default(Schema.GARP_REPEAT_TEXT)
        @JsonPropertyDescription("Packets per burst, 1..100 (default 5).")
        Integer repeat,
    @Pattern(Schema.DURATION)
        @Default(Schema.GARP_REFRESH)
        @JsonPropertyDescription("Refresh period while master; 0s = off (default).")
        String refresh) {

  public String delayOrDefault() {
    return delay == null ? Schema.GARP_DELAY : delay;
  }

  public int repeatOrDefault() {
    return repeat == null ? Schema.GARP_REPEAT : repeat;
  }

  public String refreshOrDefault() {
    return refresh == null ? Schema.GARP_REFRESH : refresh;
  }
}
