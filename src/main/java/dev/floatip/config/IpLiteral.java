package dev.floatip.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Strict IP address literals, parsed without any name lookup. {@code InetAddress.getByName} falls
 * back to DNS for text it cannot parse as a literal, so it is never given user text: we parse to
 * bytes here and call {@code InetAddress.getByAddress}, which does no lookup.
 *
 * <p>IPv4: dotted quad, four decimal octets without leading zeros (so "010" is not silently read as
 * octal or decimal). IPv6: RFC 4291 §2.2 text, optionally with a trailing dotted quad; no zone
 * index. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are refused, because Java turns them into IPv4
 * addresses and the family would silently change.
 */
public final class IpLiteral {

  private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

  private IpLiteral() {}

  /**
   * Why {@code text} is not accepted, for a config error: an IPv4-mapped IPv6 address is named as
   * such, with the IPv4 address to write instead.
   */
  public static String notALiteral(String text) {
    byte[] mapped = text == null || text.indexOf(':') < 0 ? null : ipv6Unchecked(text);
    if (mapped != null && isIpv4Mapped(mapped)) {
      return "\""
          + text
          + "\" is an IPv4-mapped IPv6 address (::ffff:a.b.c.d); write the IPv4 address "
          + (mapped[12] & 0xff)
          + "."
          + (mapped[13] & 0xff)
          + "."
          + (mapped[14] & 0xff)
          + "."
          + (mapped[15] & 0xff)
          + " instead";
    }
    return "\"" + text + "\" is not an IP address literal (names are not resolved)";
  }

  public static Optional<InetAddress> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      return Optional.empty(); // only thrown for a wrong length
    }
  }

  /**
   * Parses {@code ip:port} or {@code [ipv6]:port} without name lookups.
   *
   * @throws IllegalArgumentException with a message fit for a config error
   */
  /**
   * The address as text, IPv6 in the RFC 5952 §4 form ({@code 2001:db8::1}, not Java's {@code
   * 2001:db8:0:0:0:0:0:1}): lower case, the longest run of two or more zero groups compressed.
   */
  public static String format(InetAddress address) {
    if (!(address instanceof java.net.Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero group is never compressed (RFC 5952 §4.2.2)
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  public static InetSocketAddress socketAddress(String text) {
    String usage = "must be ip:port or [ipv6]:port with an IP literal (names are not resolved)";
    if (text == null) {
      throw new IllegalArgumentException(usage);
    }
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(usage);
    }
    String host = text.substring(0, colon);
    String port = text.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
      if (host.indexOf(':') < 0) {
        throw new IllegalArgumentException(usage);
      }
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(usage); // an IPv6 literal needs brackets
    }
    InetAddress address = parse(host).orElseThrow(() -> new IllegalArgumentException(usage));
    if (!port.matches("[0-9]{1,5}")
        || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException("port must be 1..65535");
    }
    return new InetSocketAddress(address, Integer.parseInt(port));
  }

  private static byte[] ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (!OCTET.matcher(parts[i]).matches()) {
        return null;
      }
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] ipv6(String text) {
    byte[] out = ipv6Unchecked(text);
    return out == null || isIpv4Mapped(out) ? null : out;
  }

  /** The 16 bytes of an IPv6 literal, IPv4-mapped ones included; null when not a literal. */
  private static byte[] ipv6Unchecked(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null; // "::" at most once
    }
    int[] head = gap >= 0 ? groups(text.substring(0, gap), false) : groups(text, true);
    int[] tail = gap >= 0 ? groups(text.substring(gap + 2), true) : new int[0];
    if (head == null || tail == null) {
      return null;
    }
    int explicit = head.length + tail.length;
    if (gap < 0 ? explicit != 8 : explicit > 7) {
      return null;
    }
    byte[] out = new byte[16];
    for (int i = 0; i < head.length; i++) {
      put(out, i, head[i]);
    }
    for (int i = 0; i < tail.length; i++) {
      put(out, 8 - tail.length + i, tail[i]);
    }
    return out;
  }

  /** Colon-separated 16-bit groups; the last may be a dotted quad (two groups) if allowed. */
  private static int[] groups(String text, boolean dottedQuadAllowedLast) {
    if (text.isEmpty()) {
      return new int[0];
    }
    String[] parts = text.split(":", -1);
    int n = parts.length;
    boolean quad = dottedQuadAllowedLast && parts[n - 1].indexOf('.') >= 0;
    int[] out = new int[quad ? n + 1 : n];
    for (int i = 0; i < (quad ? n - 1 : n); i++) {
      if (!HEX_GROUP.matcher(parts[i]).matches()) {
        return null;
      }
      out[i] = Integer.parseInt(parts[i], 16);
    }
    if (quad) {
      byte[] v4 = ipv4(parts[n - 1]);
      if (v4 == null) {
        return null;
      }
      out[n - 1] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
      out[n] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
    }
    return out;
  }

  private static void put(byte[] out, int group, int value) {
    out[2 * group] = (byte) (value >> 8);
    out[2 * group + 1] = (byte) value;
  }

  private static boolean isIpv4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }
}
