package dev.floatip.vrrp;

/**
 * The Internet checksum (RFC 1071): one's complement of the one's complement sum of 16-bit words.
 */
final class Checksum {

  private long sum;

  Checksum add(byte[] data, int offset, int length) {
    int i = offset;
    int end = offset + length;
    for (; i + 1 < end; i += 2) {
      sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
    }
    if (i < end) {
      sum += (data[i] & 0xff) << 8; // odd length: pad with a zero byte
    }
    return this;
  }

  Checksum add(byte[] data) {
    return add(data, 0, data.length);
  }

  Checksum addWord(int word) {
    sum += word & 0xffff;
    return this;
  }

  int value() {
    long s = sum;
    while ((s >>> 16) != 0) {
      s = (s & 0xffff) + (s >>> 16);
    }
    return (int) (~s & 0xffff);
  }
}
