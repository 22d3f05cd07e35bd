package dev.floatip.dataplane.linux;

/** The 16-bit one's complement Internet checksum of RFC 1071. */
final class InternetChecksum {
  private InternetChecksum() {}

  /** The checksum to store (already complemented); a buffer that includes it sums to 0. */
  static int compute(byte[] data) {
    long sum = 0;
    for (int i = 0; i + 1 < data.length; i += 2) {
      sum += (data[i] & 0xff) << 8 | (data[i + 1] & 0xff);
    }
    if (data.length % 2 == 1) {
      sum += (data[data.length - 1] & 0xff) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
