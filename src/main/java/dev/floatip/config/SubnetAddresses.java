package dev.floatip.config;

import dev.floatip.vrrp.IpFamily;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Addresses of a subnet that are no host's: a virtual address must not be one of them. IPv4: the
 * limited broadcast 255.255.255.255, and for prefixes below /31 the network address (host part all
 * zeros) and the subnet broadcast (all ones); /31 links have neither (RFC 3021). IPv6: the
 * Subnet-Router anycast address (host part all zeros, RFC 4291 §2.6.1) for prefixes below /127 (RFC
 * 6164 §6 lets /127 links use both addresses).
 */
final class SubnetAddresses {

  private SubnetAddresses() {}

  static Optional<String> problem(Cidr cidr) {
    byte[] raw = cidr.address().getAddress();
    int bits = raw.length * 8;
    int hostBits = bits - cidr.prefixLength();
    BigInteger value = new BigInteger(1, raw);
    BigInteger hostMask = BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE);
    BigInteger host = value.and(hostMask);
    String shown = cidr.address().getHostAddress() + "/" + cidr.prefixLength();
    if (cidr.family() == IpFamily.IPV4) {
      if (value.equals(BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE))) {
        return Optional.of("255.255.255.255 is the limited broadcast address, not a host's");
      }
      if (hostBits > 1 && host.signum() == 0) {
        return Optional.of(shown + " is the network address of its subnet, not a host's");
      }
      if (hostBits > 1 && host.equals(hostMask)) {
        return Optional.of(shown + " is the broadcast address of its subnet, not a host's");
      }
    } else if (hostBits > 1 && host.signum() == 0) {
      return Optional.of(
          shown + " is the Subnet-Router anycast address of its prefix (RFC 4291 §2.6.1)");
    }
    return Optional.empty();
  }
}
