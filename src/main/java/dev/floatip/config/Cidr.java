package dev.floatip.config;

import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * A virtual address with its prefix length, e.g. {@code 192.0.2.200/24}. Without a prefix the
 * address is a host address (/32 or /128), as keepalived's virtual_ipaddress.
 */
public record Cidr(InetAddress address, int prefixLength) {

  /** No leading zeros, as the CRD's pattern (compiled once: agents parse every VirtualIP's). */
  private static final Pattern PREFIX = Pattern.compile("[1-9][0-9]{0,2}");

  public Cidr {
    int max = maxPrefix(IpFamily.of(address));
    if (prefixLength < 1 || prefixLength > max) {
      throw new IllegalArgumentException("prefix length must be 1.." + max);
    }
  }

  public IpFamily family() {
    return IpFamily.of(address);
  }

  /**
   * Parses {@code IP[/prefix]} without name lookups.
   *
   * @throws IllegalArgumentException with a message fit for a config error
   */
  public static Cidr parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty address");
    }
    int slash = text.indexOf('/');
    String ip = slash < 0 ? text : text.substring(0, slash);
    InetAddress address =
        IpLiteral.parse(ip)
            .orElseThrow(() -> new IllegalArgumentException(IpLiteral.notALiteral(ip)));
    if (slash < 0) {
      return new Cidr(address, maxPrefix(IpFamily.of(address)));
    }
    String prefix = text.substring(slash + 1);
    int max = maxPrefix(IpFamily.of(address));
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("prefix length must be 1.." + max);
    }
    return new Cidr(address, Integer.parseInt(prefix));
  }

  public static int maxPrefix(IpFamily family) {
    return family == IpFamily.IPV4 ? 32 : 128;
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + prefixLength;
  }
}
