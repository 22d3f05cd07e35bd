package dev.floatip.vrrp.sim;

import java.net.InetAddress;

/** Byte surgery on encoded VRRP messages, for forged and malformed packets. */
public final class Wire {

  private static final int PROTOCOL_VRRP = 112;

  private Wire() {}

  /** A copy with one octet replaced. */
  public static byte[] with(byte[] message, int index, int value) {
    byte[] copy = message.clone();
    copy[index] = (byte) value;
    return copy;
  }

  /**
   * A copy with the checksum recomputed for the version in its first nibble (v3 over the
   * pseudo-header of RFC 5798 §5.2.8, v2 over the message only), so that a test reaches the check
   * it is after instead of failing on the checksum.
   */
  public static byte[] withChecksum(byte[] message, InetAddress source, InetAddress destination) {
    byte[] copy = message.clone();
    copy[6] = 0;
    copy[7] = 0;
    long sum = 0;
    if ((copy[0] & 0xf0) == 0x30) {
      sum += words(source.getAddress()) + words(destination.getAddress());
      // IPv4: protocol + length words; IPv6: 32-bit length + next header: the same two words
      sum += PROTOCOL_VRRP + copy.length;
    }
    sum += words(copy);
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    int checksum = (int) (~sum & 0xffff);
    copy[6] = (byte) (checksum >>> 8);
    copy[7] = (byte) checksum;
    return copy;
  }

  private static long words(byte[] data) {
    long sum = 0;
    for (int i = 0; i < data.length; i += 2) {
      int hi = data[i] & 0xff;
      int lo = i + 1 < data.length ? data[i + 1] & 0xff : 0;
      sum += (hi << 8) | lo;
    }
    return sum;
  }
}
