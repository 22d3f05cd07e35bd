package dev.floatip.vrrp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads the captured Ethernet frames in test resources {@code vectors/*.hex}. */
final class Frames {

  /** The IP layer of a captured frame: addresses, TTL / hop limit and the VRRP payload. */
  record IpPacket(
      InetAddress source, InetAddress destination, int ttl, int protocol, byte[] payload) {}

  private Frames() {}

  static byte[] hex(String resource) {
    try (InputStream in = Frames.class.getResourceAsStream("/vectors/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no vector " + resource);
      }
      StringBuilder digits = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (!line.startsWith("#")) {
          digits.append(line.replaceAll("\\s+", ""));
        }
      }
      byte[] out = new byte[digits.length() / 2];
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Strips the Ethernet header and the IPv4 (any IHL) or IPv6 (no extension headers) header. */
  static IpPacket ipPacket(byte[] frame) {
    int etherType = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
    int ip = 14;
    return switch (etherType) {
      case 0x0800 -> {
        int ihl = (frame[ip] & 0x0f) * 4;
        int total = ((frame[ip + 2] & 0xff) << 8) | (frame[ip + 3] & 0xff);
        yield new IpPacket(
            address(frame, ip + 12, 4),
            address(frame, ip + 16, 4),
            frame[ip + 8] & 0xff,
            frame[ip + 9] & 0xff,
            Arrays.copyOfRange(frame, ip + ihl, ip + total));
      }
      case 0x86dd -> {
        int length = ((frame[ip + 4] & 0xff) << 8) | (frame[ip + 5] & 0xff);
        yield new IpPacket(
            address(frame, ip + 8, 16),
            address(frame, ip + 24, 16),
            frame[ip + 7] & 0xff,
            frame[ip + 6] & 0xff,
            Arrays.copyOfRange(frame, ip + 40, ip + 40 + length));
      }
      default ->
          throw new IllegalArgumentException("ethertype 0x" + Integer.toHexString(etherType));
    };
  }

  static InetAddress address(byte[] bytes, int offset, int length) {
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(bytes, offset, offset + length));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // literals only in tests: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
