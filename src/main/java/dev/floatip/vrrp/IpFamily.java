package dev.floatip.vrrp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The address family a virtual router runs over; one router per (VRID, family). */
public enum IpFamily {
  IPV4(4, "224.0.0.18"),
  IPV6(16, "ff02::12");

  private final int addressLength;
  private final InetAddress multicastGroup;

  IpFamily(int addressLength, String multicastGroup) {
    this.addressLength = addressLength;
    this.multicastGroup = literal(multicastGroup);
  }

  /** Bytes per address on the wire. */
  public int addressLength() {
    return addressLength;
  }

  /** The VRRP multicast group: RFC 5798 §5.1.1.2 (224.0.0.18) and §5.1.2.2 (ff02::12). */
  public InetAddress multicastGroup() {
    return multicastGroup;
  }

  public boolean contains(InetAddress address) {
    return this == of(address);
  }

  public static IpFamily of(InetAddress address) {
    return switch (address) {
      case Inet4Address a -> IPV4;
      case Inet6Address a -> IPV6;
      default -> throw new IllegalArgumentException("unknown address type: " + address);
    };
  }

  private static InetAddress literal(String text) {
    try {
      // a numeric literal: no name lookup happens
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
