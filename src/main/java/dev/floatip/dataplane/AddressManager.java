package dev.floatip.dataplane;

import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Addresses and interfaces of the node (NETLINK_ROUTE on Linux). All calls are idempotent where the
 * operation allows it and safe to call from any thread. Objects are bound to the network namespace
 * they were created in.
 */
public interface AddressManager {

  /**
   * An address to put on an interface.
   *
   * @param label IPv4 only: IFA_LABEL; the kernel requires it to start with the interface name, at
   *     most 15 characters (e.g. {@code eth0:vip})
   */
  record AddressSpec(InetAddress address, int prefixLength, Optional<String> label) {
    public AddressSpec {
      int max = IpFamily.of(address).addressLength() * 8;
      if (prefixLength < 0 || prefixLength > max) {
        throw new IllegalArgumentException("prefix length must be 0.." + max);
      }
    }

    public AddressSpec(InetAddress address, int prefixLength) {
      this(address, prefixLength, Optional.empty());
    }

    @Override
    public String toString() {
      return address.getHostAddress() + "/" + prefixLength + label.map(l -> " " + l).orElse("");
    }
  }

  /** The interface, or ENODEV. */
  IoResult<LinkInfo> link(String interfaceName);

  /** All addresses of the interface (both families), in kernel order; ENODEV if it is missing. */
  IoResult<List<InterfaceAddress>> list(String interfaceName);

  /** Every interface by name with its addresses (both families), in kernel order. */
  IoResult<Map<String, List<InterfaceAddress>>> listAll();

  /**
   * Adds the address, or refreshes it when it is already there (NLM_F_CREATE|NLM_F_REPLACE). IPv6
   * addresses get IFA_F_NODAD: a virtual address moves between nodes and must be usable at once. An
   * address already present with a different prefix length stays; reconcile with {@link #list}.
   */
  IoResult<Void> add(String interfaceName, AddressSpec spec);

  /**
   * Removes every entry of this address on the interface that floatip added; an address already
   * gone is success. Where the kernel keeps the mark (see {@link #marksAddresses}), an entry
   * without it (the node's own address, or one an administrator added) is left alone.
   */
  IoResult<Void> remove(String interfaceName, InetAddress address);

  /**
   * Whether the kernel keeps IFA_PROTO {@link InterfaceAddress#FLOATIP_PROTOCOL} on the addresses
   * {@link #add} puts on (Linux 6.3+): then {@link InterfaceAddress#addedByFloatip} tells the
   * addresses floatip added from all others, beyond the process's life.
   */
  default boolean marksAddresses() {
    return false;
  }

  /**
   * The address VRRP packets go out from: see {@link PrimaryAddress#choose}; EADDRNOTAVAIL when the
   * interface has none.
   */
  default IoResult<InetAddress> primaryAddress(
      String interfaceName, IpFamily family, Collection<InetAddress> exclude) {
    return list(interfaceName)
        .flatMap(
            all ->
                PrimaryAddress.choose(all, family, exclude)
                    .<IoResult<InetAddress>>map(IoResult::ok)
                    .orElseGet(
                        () ->
                            IoResult.failed(
                                Errno.EADDRNOTAVAIL,
                                "primary " + family + " address of " + interfaceName,
                                family == IpFamily.IPV6
                                    ? "no usable link-local address (tentative or missing)"
                                    : "no primary address")));
  }
}
