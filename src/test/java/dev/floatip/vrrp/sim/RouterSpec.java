package dev.floatip.vrrp.sim;

import dev.floatip.vrrp.Authentication;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.RouterConfig;
import dev.floatip.vrrp.VrrpVersion;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the routers of a scenario share (VRID, version, interval, addresses, preemption, peers), as
 * an immutable builder; {@link #config(InetAddress)} makes one router's {@link RouterConfig}.
 */
public record RouterSpec(
    int vrid,
    VrrpVersion version,
    Duration interval,
    List<InetAddress> vips,
    boolean preempt,
    Duration preemptDelay,
    Set<InetAddress> unicastGroup,
    Authentication authentication) {

  public static final int VRID = 51;

  /** VRRPv2 (RFC 3768), IPv4, 1 s, VIP 192.0.2.200: keepalived's default shape. */
  public static RouterSpec v2() {
    return new RouterSpec(
        VRID,
        VrrpVersion.V2,
        Duration.ofSeconds(1),
        List.of(ip("192.0.2.200")),
        true,
        Duration.ZERO,
        Set.of(),
        Authentication.NONE);
  }

  /** VRRPv3 (RFC 5798), IPv4, VIP 192.0.2.200, the given Advertisement_Interval. */
  public static RouterSpec v3(Duration interval) {
    return new RouterSpec(
        VRID,
        VrrpVersion.V3,
        interval,
        List.of(ip("192.0.2.200")),
        true,
        Duration.ZERO,
        Set.of(),
        Authentication.NONE);
  }

  /** VRRPv3 over IPv6 (link-local sources, ff02::12), VIP 2001:db8::200. */
  public static RouterSpec v3ipv6(Duration interval) {
    return v3(interval).vips("2001:db8::200");
  }

  public RouterSpec vrid(int vrid) {
    return new RouterSpec(
        vrid, version, interval, vips, preempt, preemptDelay, unicastGroup, authentication);
  }

  public RouterSpec interval(Duration interval) {
    return new RouterSpec(
        vrid, version, interval, vips, preempt, preemptDelay, unicastGroup, authentication);
  }

  public RouterSpec vips(String... addresses) {
    return new RouterSpec(
        vrid,
        version,
        interval,
        Stream.of(addresses).map(RouterSpec::ip).toList(),
        preempt,
        preemptDelay,
        unicastGroup,
        authentication);
  }

  /** Preempt_Mode False: keepalived's {@code nopreempt}. */
  public RouterSpec nopreempt() {
    return new RouterSpec(
        vrid, version, interval, vips, false, preemptDelay, unicastGroup, authentication);
  }

  public RouterSpec preemptDelay(Duration delay) {
    return new RouterSpec(
        vrid, version, interval, vips, preempt, delay, unicastGroup, authentication);
  }

  /**
   * Unicast mode among these primary addresses: each router sends to, and accepts from, all of them
   * but itself.
   */
  public RouterSpec unicast(String... group) {
    Set<InetAddress> g = new LinkedHashSet<>();
    for (String a : group) {
      g.add(ip(a));
    }
    return new RouterSpec(vrid, version, interval, vips, preempt, preemptDelay, g, authentication);
  }

  /** VRRPv2 simple text password (keepalived {@code auth_type PASS}). */
  public RouterSpec password(String password) {
    return new RouterSpec(
        vrid,
        version,
        interval,
        vips,
        preempt,
        preemptDelay,
        unicastGroup,
        Authentication.password(password));
  }

  /** The configuration of the router whose primary address is {@code primary}. */
  public RouterConfig config(InetAddress primary) {
    Set<InetAddress> peers = new LinkedHashSet<>(unicastGroup);
    peers.remove(primary);
    return new RouterConfig(
        vrid,
        version,
        IpFamily.of(primary),
        primary,
        vips,
        interval,
        preempt,
        preemptDelay,
        peers,
        authentication);
  }

  /** A numeric address literal (never a name lookup). */
  public static InetAddress ip(String literal) {
    if (!literal.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an address literal: " + literal);
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
