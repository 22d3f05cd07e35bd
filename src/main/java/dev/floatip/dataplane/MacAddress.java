package dev.floatip.dataplane;

import java.util.Arrays;
import java.util.HexFormat;

/** A link-layer (Ethernet) address; immutable. */
public final class MacAddress {
  private static final HexFormat FORMAT = HexFormat.ofDelimiter(":");

  public static final MacAddress BROADCAST = parse("ff:ff:ff:ff:ff:ff");
  private final byte[] octets;

  private MacAddress(byte[] octets) {
    this.octets = octets;
  }

  public static MacAddress of(byte[] octets) {
    if (octets.length != 6) {
      throw new IllegalArgumentException("a MAC address has 6 octets, not " + octets.length);
    }
    return new MacAddress(octets.clone());
  }

  /** Parses {@code aa:bb:cc:dd:ee:ff}. */
  public static MacAddress parse(String text) {
    return of(FORMAT.parseHex(text));
  }

  public byte[] octets() {
    return octets.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacAddress m && Arrays.equals(octets, m.octets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(octets);
  }

  @Override
  public String toString() {
    return FORMAT.formatHex(octets);
  }
}
