package dev.floatip.vrrp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One VRRP ADVERTISEMENT (RFC 5798 §5.2, RFC 3768 §5.3), decoded and family-checked.
 *
 * @param version protocol version carried in the packet
 * @param vrid Virtual Rtr ID, 1..255
 * @param priority 0..255; 0 means the master is resigning (RFC 5798 §5.2.4)
 * @param adverInterval Max Adver Int: v3 in centiseconds (12 bits, up to 40.95 s), v2 in whole
 *     seconds (8 bits, 1..255)
 * @param addresses the IPvX addresses of the virtual router, all of one family, at most 255
 * @param authentication v2 only; {@link Authentication#NONE} for v3
 */
public record Advertisement(
    VrrpVersion version,
    int vrid,
    int priority,
    Duration adverInterval,
    List<InetAddress> addresses,
    Authentication authentication) {

  public static final int MAX_ADDRESSES = 255;
  public static final Duration MAX_V3_INTERVAL = Duration.ofMillis(40_950);
  public static final Duration MAX_V2_INTERVAL = Duration.ofSeconds(255);

  public Advertisement {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(adverInterval, "adverInterval");
    Objects.requireNonNull(authentication, "authentication");
    addresses = List.copyOf(addresses);
    if (vrid < 1 || vrid > 255) {
      throw new IllegalArgumentException("vrid must be 1..255, was " + vrid);
    }
    if (priority < 0 || priority > 255) {
      throw new IllegalArgumentException("priority must be 0..255, was " + priority);
    }
    if (addresses.size() > MAX_ADDRESSES) {
      throw new IllegalArgumentException("at most 255 addresses, was " + addresses.size());
    }
    if (!addresses.isEmpty()) {
      IpFamily family = IpFamily.of(addresses.getFirst());
      for (InetAddress a : addresses) {
        if (!family.contains(a)) {
          throw new IllegalArgumentException("addresses mix IPv4 and IPv6: " + addresses);
        }
      }
    }
    validateInterval(version, adverInterval);
    if (version == VrrpVersion.V3 && authentication != Authentication.NONE) {
      throw new IllegalArgumentException("authentication exists only in VRRPv2");
    }
  }

  /** Checks that an interval is representable in the version's Adver Int field. */
  public static void validateInterval(VrrpVersion version, Duration interval) {
    switch (version) {
      case V3 -> {
        // RFC 5798 §5.2.7: 12-bit field in centiseconds
        long nanos = interval.toNanos();
        if (nanos % 10_000_000L != 0
            || interval.compareTo(Duration.ofMillis(10)) < 0
            || interval.compareTo(MAX_V3_INTERVAL) > 0) {
          throw new IllegalArgumentException(
              "VRRPv3 advertisement interval must be 10ms..40.95s in 10 ms steps, was " + interval);
        }
      }
      case V2 -> {
        // RFC 3768 §5.3.7: 8-bit field in seconds
        if (interval.getNano() != 0
            || interval.getSeconds() < 1
            || interval.compareTo(MAX_V2_INTERVAL) > 0) {
          throw new IllegalArgumentException(
              "VRRPv2 advertisement interval must be whole seconds 1..255, was " + interval);
        }
      }
    }
  }

  public IpFamily family() {
    return addresses.isEmpty() ? IpFamily.IPV4 : IpFamily.of(addresses.getFirst());
  }
}
