package dev.floatip.dataplane;

import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Chooses the address VRRP packets are sent from. */
public final class PrimaryAddress {
  private PrimaryAddress() {}

  /**
   * IPv4: the first primary (not IFA_F_SECONDARY) address of universe scope, in kernel order (the
   * kernel lists the oldest primary first). IPv6: the link-local address, which RFC 5798 §5.1.2.1
   * requires as the source; tentative addresses cannot be used yet.
   *
   * @param exclude addresses never to choose, e.g. the virtual addresses this node may hold
   */
  public static Optional<InetAddress> choose(
      List<InterfaceAddress> addresses, IpFamily family, Collection<InetAddress> exclude) {
    return addresses.stream()
        .filter(a -> family.contains(a.address()))
        .filter(a -> !exclude.contains(a.address()))
        .filter(a -> !a.tentative())
        .filter(
            a ->
                family == IpFamily.IPV4
                    ? !a.secondary() && a.scope() == InterfaceAddress.RT_SCOPE_UNIVERSE
                    : a.ipv6LinkLocal())
        .map(InterfaceAddress::address)
        .findFirst();
  }
}
