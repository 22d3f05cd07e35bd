package dev.floatip.vrrp;

/** A virtual router is identified on a segment by its VRID and address family (RFC 5798 §1). */
public record RouterKey(int vrid, IpFamily family) {}
