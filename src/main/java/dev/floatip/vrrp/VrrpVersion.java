package dev.floatip.vrrp;

/** The two protocol versions on the wire: RFC 3768 (v2, IPv4 only) and RFC 5798 (v3). */
public enum VrrpVersion {
  V2(2),
  V3(3);

  private final int wireValue;

  VrrpVersion(int wireValue) {
    this.wireValue = wireValue;
  }

  public int wireValue() {
    return wireValue;
  }
}
