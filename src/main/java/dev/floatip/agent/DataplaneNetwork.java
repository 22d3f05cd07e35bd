package dev.floatip.agent;

import dev.floatip.config.Cidr;
import dev.floatip.config.NodeNetwork;
import dev.floatip.dataplane.InterfaceAddress;
import dev.floatip.dataplane.PrimaryAddress;
import dev.floatip.vrrp.IpFamily;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The node's network as netlink showed it at one instant, for {@link
 * dev.floatip.config.RouterPlan}. Virtual addresses are never taken for the node's own: a VIP left
 * on an interface must not become a source address or a subnet match by itself.
 */
final class DataplaneNetwork implements NodeNetwork {

  private final Map<String, List<InterfaceAddress>> interfaces;
  private final Set<InetAddress> virtualAddresses;

  DataplaneNetwork(Map<String, List<InterfaceAddress>> interfaces, Set<InetAddress> virtual) {
    this.interfaces = Map.copyOf(interfaces);
    this.virtualAddresses = Set.copyOf(virtual);
  }

  @Override
  public Optional<String> interfaceFor(Cidr address) {
    return interfaces.entrySet().stream()
        .filter(e -> e.getValue().stream().anyMatch(a -> connected(a, address.address())))
        .map(Map.Entry::getKey)
        .sorted()
        .findFirst();
  }

  @Override
  public Optional<InetAddress> primaryAddress(String interfaceName, IpFamily family) {
    return PrimaryAddress.choose(
        interfaces.getOrDefault(interfaceName, List.of()), family, virtualAddresses);
  }

  @Override
  public Optional<InetAddress> globalAddress(String interfaceName, IpFamily family) {
    return interfaces.getOrDefault(interfaceName, List.of()).stream()
        .filter(a -> family.contains(a.address()))
        .filter(a -> !virtualAddresses.contains(a.address()))
        .filter(a -> !a.tentative() && !a.ipv6LinkLocal())
        .filter(a -> (a.flags() & InterfaceAddress.IFA_F_DEPRECATED) == 0)
        .filter(a -> a.scope() == InterfaceAddress.RT_SCOPE_UNIVERSE)
        .map(InterfaceAddress::address)
        .findFirst();
  }

  @Override
  public boolean isLocal(InetAddress address) {
    return interfaces.values().stream()
        .flatMap(List::stream)
        .anyMatch(a -> a.address().equals(address));
  }

  /** Whether {@code target} lies in the connected subnet of a (non-virtual) interface address. */
  private boolean connected(InterfaceAddress a, InetAddress target) {
    if (virtualAddresses.contains(a.address())
        || !IpFamily.of(a.address()).contains(target)
        || a.ipv6LinkLocal()
        || a.scope() == InterfaceAddress.RT_SCOPE_HOST) {
      return false;
    }
    int bits = a.address().getAddress().length * 8;
    int host = bits - a.prefixLength();
    BigInteger mine = new BigInteger(1, a.address().getAddress()).shiftRight(host);
    BigInteger theirs = new BigInteger(1, target.getAddress()).shiftRight(host);
    return mine.equals(theirs);
  }
}
