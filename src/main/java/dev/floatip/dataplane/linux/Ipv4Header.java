package dev.floatip.dataplane.linux;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The parts of an IPv4 header (RFC 791 §3.1) a raw socket receiver needs. On Linux an IPv4 SOCK_RAW
 * socket delivers the packet with its IP header, fields in network order (raw(7)).
 *
 * @param headerLength IHL × 4, 20..60 (options are skipped)
 * @param payload the bytes after the header, up to Total Length
 */
record Ipv4Header(
    int headerLength,
    int totalLength,
    int ttl,
    int protocol,
    Inet4Address source,
    Inet4Address destination,
    byte[] payload) {

  /** Parses {@code length} bytes of {@code packet}; empty when it is not a sane IPv4 packet. */
  static Optional<Ipv4Header> parse(byte[] packet, int length) {
    if (length < 20 || (packet[0] >> 4 & 0xf) != 4) {
      return Optional.empty();
    }
    int ihl = (packet[0] & 0xf) * 4;
    int total = (packet[2] & 0xff) << 8 | (packet[3] & 0xff);
    if (ihl < 20 || ihl > length || total < ihl) {
      return Optional.empty();
    }
    int end = Math.min(total, length);
    return Optional.of(
        new Ipv4Header(
            ihl,
            total,
            packet[8] & 0xff,
            packet[9] & 0xff,
            address(packet, 12),
            address(packet, 16),
            Arrays.copyOfRange(packet, ihl, end)));
  }

  private static Inet4Address address(byte[] packet, int offset) {
    try {
      return (Inet4Address)
          InetAddress.getByAddress(Arrays.copyOfRange(packet, offset, offset + 4));
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // 4 bytes is always a valid IPv4 address
    }
  }
}
