package dev.floatip.dataplane;

import java.net.InetAddress;

/**
 * Tells the link that an address now lives here: a gratuitous ARP for IPv4, an unsolicited
 * Neighbour Advertisement for IPv6. One packet per call; repeats, delays and refresh are scheduled
 * by the caller. Safe to call from any thread.
 */
public interface Announcer {

  /** Announces {@code address} on {@code interfaceName} with the interface's own MAC address. */
  IoResult<Void> announce(String interfaceName, InetAddress address);
}
