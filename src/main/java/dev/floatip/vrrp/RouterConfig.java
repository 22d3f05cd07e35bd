package dev.floatip.vrrp;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The configuration of one virtual router (one VRID on one address family).
 *
 * @param vrid Virtual Rtr ID, 1..255
 * @param version protocol version; v2 is IPv4 only
 * @param family address family of the addresses, the primary address and the peers
 * @param primaryAddress our source address: the interface's primary IPv4 address, or for IPv6 its
 *     link-local address (RFC 5798 §5.1.2.1); used for the equal-priority tie break
 * @param addresses the virtual addresses (1..255)
 * @param adverInterval Advertisement_Interval
 * @param preempt Preempt_Mode (RFC 5798 §6.1)
 * @param preemptDelay keepalived's preempt_delay: a lower-priority master is tolerated this long
 *     before it is preempted
 * @param unicastPeers empty for multicast; otherwise adverts go to, and are accepted only from,
 *     these addresses
 * @param authentication v2 only
 * @param excludedAddresses held, added, removed and announced with {@code addresses} but not listed
 *     in adverts (keepalived virtual_ipaddress_excluded), so no advert count bounds them
 */
public record RouterConfig(
    int vrid,
    VrrpVersion version,
    IpFamily family,
    InetAddress primaryAddress,
    List<InetAddress> addresses,
    Duration adverInterval,
    boolean preempt,
    Duration preemptDelay,
    Set<InetAddress> unicastPeers,
    Authentication authentication,
    List<InetAddress> excludedAddresses) {

  /** A router whose addresses are all advertised. */
  public RouterConfig(
      int vrid,
      VrrpVersion version,
      IpFamily family,
      InetAddress primaryAddress,
      List<InetAddress> addresses,
      Duration adverInterval,
      boolean preempt,
      Duration preemptDelay,
      Set<InetAddress> unicastPeers,
      Authentication authentication) {
    this(
        vrid,
        version,
        family,
        primaryAddress,
        addresses,
        adverInterval,
        preempt,
        preemptDelay,
        unicastPeers,
        authentication,
        List.of());
  }

  public RouterConfig {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(primaryAddress, "primaryAddress");
    Objects.requireNonNull(adverInterval, "adverInterval");
    Objects.requireNonNull(preemptDelay, "preemptDelay");
    Objects.requireNonNull(authentication, "authentication");
    addresses = List.copyOf(addresses);
    excludedAddresses = List.copyOf(excludedAddresses);
    unicastPeers = Set.copyOf(unicastPeers);
    if (vrid < 1 || vrid > 255) {
      throw new IllegalArgumentException("vrid must be 1..255, was " + vrid);
    }
    if (addresses.isEmpty() || addresses.size() > Advertisement.MAX_ADDRESSES) {
      throw new IllegalArgumentException("1..255 virtual addresses required");
    }
    if (version == VrrpVersion.V2 && family == IpFamily.IPV6) {
      throw new IllegalArgumentException("VRRPv2 is IPv4 only (RFC 3768); use version 3");
    }
    if (!family.contains(primaryAddress)) {
      throw new IllegalArgumentException("primary address " + primaryAddress + " is not " + family);
    }
    for (InetAddress a : addresses) {
      if (!family.contains(a)) {
        throw new IllegalArgumentException("address " + a.getHostAddress() + " is not " + family);
      }
    }
    for (InetAddress a : excludedAddresses) {
      if (!family.contains(a)) {
        throw new IllegalArgumentException("address " + a.getHostAddress() + " is not " + family);
      }
      if (addresses.contains(a)) {
        throw new IllegalArgumentException(
            "address " + a.getHostAddress() + " is both advertised and excluded");
      }
    }
    for (InetAddress p : unicastPeers) {
      if (!family.contains(p)) {
        throw new IllegalArgumentException("peer " + p.getHostAddress() + " is not " + family);
      }
    }
    if (preemptDelay.isNegative()) {
      throw new IllegalArgumentException("preemptDelay must not be negative");
    }
    if (version == VrrpVersion.V3 && authentication != Authentication.NONE) {
      throw new IllegalArgumentException("authentication is VRRPv2 only");
    }
    Advertisement.validateInterval(version, adverInterval);
  }

  /** Every address the master holds: the advertised ones, then the excluded ones. */
  public List<InetAddress> allAddresses() {
    if (excludedAddresses.isEmpty()) {
      return addresses;
    }
    List<InetAddress> all = new ArrayList<>(addresses);
    all.addAll(excludedAddresses);
    return List.copyOf(all);
  }

  /** Multicast group, or the unicast peers. */
  public List<InetAddress> destinations() {
    return unicastPeers.isEmpty()
        ? List.of(family.multicastGroup())
        : unicastPeers.stream().sorted(Addresses.ORDER).toList();
  }

  public boolean unicast() {
    return !unicastPeers.isEmpty();
  }
}
