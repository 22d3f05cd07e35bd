package dev.floatip.agent;

import dev.floatip.vrrp.IpFamily;

/** One VRRP socket per interface and family, shared by the routers there. */
record SocketKey(String interfaceName, IpFamily family) {}
