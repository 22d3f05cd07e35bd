package dev.floatip.dataplane;

import java.net.InetAddress;

/**
 * One VRRP packet as received. The caller stamps the time.
 *
 * @param source IP source address (the sender's primary address)
 * @param destination IP destination (the multicast group or our address)
 * @param ttlOrHopLimit IPv4 TTL or IPv6 hop limit; RFC 5798 §7.1 requires 255; -1 if the kernel did
 *     not report it
 * @param payload the VRRP message only (no IP header)
 * @param interfaceName the interface it arrived on
 */
public record ReceivedPacket(
    InetAddress source,
    InetAddress destination,
    int ttlOrHopLimit,
    byte[] payload,
    String interfaceName) {}
