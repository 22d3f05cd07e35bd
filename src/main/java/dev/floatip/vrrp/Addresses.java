package dev.floatip.vrrp;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;

/** Address helpers the protocol needs. */
public final class Addresses {

  /**
   * Numeric order of addresses as unsigned big-endian integers, the comparison RFC 5798 §6.4.3 uses
   * for "primary IP address of the sender is greater than the local primary IP address".
   */
  public static final Comparator<InetAddress> ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getAddress(), b.getAddress());

  private Addresses() {}
}
