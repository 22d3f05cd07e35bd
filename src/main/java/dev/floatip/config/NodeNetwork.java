package dev.floatip.config;

import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.util.Optional;

/**
 * What {@link RouterPlan} needs to know about this node's network. The agent implements it from
 * netlink; tests use a table.
 */
public interface NodeNetwork {

  /**
   * The interface for an address when {@code spec.interface} is unset: the one whose connected
   * subnet holds the address (DESIGN §4).
   */
  Optional<String> interfaceFor(Cidr address);

  /**
   * This node's primary address of a family on an interface, the source of its adverts: the primary
   * IPv4 address, or for IPv6 the link-local address (RFC 5798 §5.1.2.1).
   */
  Optional<InetAddress> primaryAddress(String interfaceName, IpFamily family);

  /**
   * This node's first global (universe-scope, usable, not virtual) address of a family on an
   * interface: the source of IPv6 unicast adverts to global peers (see {@link RouterPlan}). Empty
   * when there is none.
   */
  default Optional<InetAddress> globalAddress(String interfaceName, IpFamily family) {
    return Optional.empty();
  }

  /** Whether an address belongs to this node; such peers are dropped from the peer list. */
  boolean isLocal(InetAddress address);
}
