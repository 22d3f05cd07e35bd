package dev.floatip.dataplane;

import java.util.Optional;

/**
 * An interface as RTM_NEWLINK describes it.
 *
 * @param index the ifindex
 * @param name IFLA_IFNAME
 * @param hardwareAddress IFLA_ADDRESS when it is a 6-octet (Ethernet) address
 * @param flags IFF_* flags of ifinfomsg (netdevice(7))
 * @param operState IFLA_OPERSTATE
 * @param mtu IFLA_MTU, 0 when absent
 */
public record LinkInfo(
    int index,
    String name,
    Optional<MacAddress> hardwareAddress,
    int flags,
    OperState operState,
    int mtu) {

  public static final int IFF_UP = 0x1;
  public static final int IFF_LOOPBACK = 0x8;
  public static final int IFF_RUNNING = 0x40;
  public static final int IFF_LOWER_UP = 0x10000;

  /** Administratively up (IFF_UP). */
  public boolean adminUp() {
    return (flags & IFF_UP) != 0;
  }

  /**
   * Usable for VRRP: up, carrier present (IFF_RUNNING and IFF_LOWER_UP), and operational state UP
   * or UNKNOWN (drivers without operstate support report UNKNOWN, e.g. loopback, some tunnels).
   */
  public boolean operational() {
    boolean carrier = (flags & IFF_RUNNING) != 0 && (flags & IFF_LOWER_UP) != 0;
    return adminUp() && carrier && (operState == OperState.UP || operState == OperState.UNKNOWN);
  }
}
