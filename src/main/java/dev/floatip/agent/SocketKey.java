package dev.floatip.agent;

import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;

/**
 * One VRRP socket per interface, family and source address, shared by the routers there. The source
 * is part of the key because adverts are encoded (v3 pseudo-header checksum) and sent from the
 * socket's source: an IPv6 unicast router to global peers sends from a global address while a
 * multicast one on the same interface sends from the link-local (RouterPlan).
 */
record SocketKey(String interfaceName, IpFamily family, InetAddress source) {}
