package dev.floatip.dataplane;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * One address on an interface, as RTM_NEWADDR describes it (rtnetlink(7)).
 *
 * @param interfaceIndex ifa_index
 * @param address IFA_LOCAL, or IFA_ADDRESS when there is no IFA_LOCAL (IPv6)
 * @param prefixLength ifa_prefixlen
 * @param flags IFA_F_* (IFA_FLAGS attribute when present, else ifa_flags)
 * @param scope ifa_scope (RT_SCOPE_*: 0 universe, 253 link, 254 host)
 * @param label IFA_LABEL (IPv4 only)
 * @param protocol IFA_PROTO (Linux 6.3+): who added the address, 0 when unset; {@link
 *     #FLOATIP_PROTOCOL} on the addresses floatip added
 */
public record InterfaceAddress(
    int interfaceIndex,
    InetAddress address,
    int prefixLength,
    int flags,
    int scope,
    Optional<String> label,
    int protocol) {

  /**
   * The IFA_PROTO value floatip puts on every address it adds: the kernel keeps it with the address
   * beyond the process, so the next start knows exactly which addresses a crashed run left (and
   * never takes one it did not add). The kernel names 0..3 (IFAPROT_UNSPEC, KERNEL_LO, KERNEL_RA,
   * KERNEL_LL, include/uapi/linux/if_addr.h); any other value is the adder's to choose. 102 is 'f';
   * {@code ip address show} prints it as {@code proto 102}.
   */
  public static final int FLOATIP_PROTOCOL = 102;

  public static final int IFA_F_SECONDARY = 0x01;
  public static final int IFA_F_NODAD = 0x02;
  public static final int IFA_F_DADFAILED = 0x08;
  public static final int IFA_F_DEPRECATED = 0x20;
  public static final int IFA_F_TENTATIVE = 0x40;
  public static final int IFA_F_PERMANENT = 0x80;
  public static final int RT_SCOPE_UNIVERSE = 0;
  public static final int RT_SCOPE_LINK = 253;
  public static final int RT_SCOPE_HOST = 254;

  public InterfaceAddress(
      int interfaceIndex,
      InetAddress address,
      int prefixLength,
      int flags,
      int scope,
      Optional<String> label) {
    this(interfaceIndex, address, prefixLength, flags, scope, label, 0);
  }

  /** Whether floatip added it (IFA_PROTO {@link #FLOATIP_PROTOCOL}). */
  public boolean addedByFloatip() {
    return protocol == FLOATIP_PROTOCOL;
  }

  public boolean secondary() {
    return (flags & IFA_F_SECONDARY) != 0;
  }

  /** IPv6 duplicate address detection has not finished (or failed): not yet usable as a source. */
  public boolean tentative() {
    return (flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)) != 0;
  }

  public boolean ipv6LinkLocal() {
    return address instanceof Inet6Address a && a.isLinkLocalAddress();
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + prefixLength + label.map(l -> " " + l).orElse("");
  }
}
