package dev.floatip.agent;

import dev.floatip.vrrp.IpFamily;

/** One VRRP router of the agent: a VirtualIP's addresses of one family. */
public record RouterId(String vip, IpFamily family) {
  @Override
  public String toString() {
    return vip + "/" + (family == IpFamily.IPV4 ? "v4" : "v6");
  }
}
