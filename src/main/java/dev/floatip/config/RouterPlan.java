package dev.floatip.config;

import dev.floatip.api.v1alpha1.AuthenticationSpec;
import dev.floatip.api.v1alpha1.TransportMode;
import dev.floatip.api.v1alpha1.TransportSpec;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPSpec;
import dev.floatip.vrrp.Addresses;
import dev.floatip.vrrp.Authentication;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.RouterConfig;
import dev.floatip.vrrp.VrrpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a VirtualIP to the VRRP routers this node runs for it: one per address family present, all
 * with the same VRID (DESIGN §4), plus the node's base priority ({@link BasePriority}). Pure: the
 * node's network comes in through {@link NodeNetwork}.
 */
public final class RouterPlan {

  /**
   * What the agent knows besides the VirtualIP.
   *
   * @param nodeName this node's name (the Kubernetes node name, or the host name standalone)
   * @param network this node's interfaces and addresses
   * @param discoveredPeers the other selected nodes' addresses, used for Unicast when {@code
   *     transport.peers} is unset (cluster mode); empty standalone
   * @param password the resolved password (Secret or passwordFile), or null; an inline {@code
   *     authentication.password} needs none
   */
  public record Context(
      String nodeName,
      NodeNetwork network,
      Collection<InetAddress> discoveredPeers,
      String password) {
    public Context {
      discoveredPeers = List.copyOf(discoveredPeers);
    }
  }

  /**
   * One router and the interface it runs on.
   *
   * @param unicastWithoutPeers Unicast mode but no peer is left (a single node, or every peer is
   *     this node). {@code config} then has no peers, which {@link RouterConfig} reads as
   *     multicast: the agent must run it without sending adverts.
   */
  public record Router(String interfaceName, RouterConfig config, boolean unicastWithoutPeers) {}

  /** What {@link #plan} returns. */
  public sealed interface Result permits Ready, NotReady {}

  /**
   * @param basePriority the node's priority before track weights, shared by all routers
   * @param routers IPv4 first, then IPv6
   */
  /**
   * @param notReady why a family could not be planned (e.g. no IPv6 link-local address while the
   *     link is down): the other family runs regardless
   */
  public record Ready(int basePriority, List<Router> routers, List<String> notReady)
      implements Result {
    public Ready {
      routers = List.copyOf(routers);
      notReady = List.copyOf(notReady);
    }
  }

  /** Nothing can run yet or at all; {@code reason} is for status and logs. */
  public record NotReady(String reason) implements Result {}

  private RouterPlan() {}

  /** Never throws for a bad spec; it answers {@link NotReady} instead. */
  public static Result plan(VirtualIP vip, Context ctx) {
    VirtualIPSpec spec = vip.getSpec();
    if (spec == null) {
      return new NotReady("no spec");
    }
    try {
      return plan(spec, vrid(vip), ctx);
    } catch (IllegalArgumentException e) {
      return new NotReady("invalid spec: " + e.getMessage());
    }
  }

  private static Result plan(VirtualIPSpec spec, Integer vrid, Context ctx) {
    if (vrid == null) {
      return new NotReady("no virtualRouterId: set spec.virtualRouterId or wait for the operator");
    }
    Authentication auth = authentication(spec.authentication(), ctx.password());
    if (auth == null) {
      return new NotReady("the authentication password is not available");
    }
    int basePriority = BasePriority.of(spec.priority(), ctx.nodeName());
    VrrpVersion version = spec.versionOrDefault() == 2 ? VrrpVersion.V2 : VrrpVersion.V3;
    Duration interval = Durations.parse(spec.advertisementIntervalOrDefault());
    Duration preemptDelay = Durations.parse(spec.preemptDelayOrDefault());

    Map<IpFamily, List<Cidr>> byFamily = new EnumMap<>(IpFamily.class);
    for (String a : spec.addressList()) {
      Cidr c = Cidr.parse(a);
      byFamily.computeIfAbsent(c.family(), f -> new ArrayList<>()).add(c);
    }
    if (byFamily.isEmpty()) {
      throw new IllegalArgumentException("no addresses");
    }
    Map<IpFamily, List<Cidr>> excludedByFamily = new EnumMap<>(IpFamily.class);
    for (String a : spec.excludedAddressList()) {
      Cidr c = Cidr.parse(a);
      excludedByFamily.computeIfAbsent(c.family(), f -> new ArrayList<>()).add(c);
    }
    List<Router> routers = new ArrayList<>();
    List<String> notReady = new ArrayList<>();
    for (Map.Entry<IpFamily, List<Cidr>> e : byFamily.entrySet()) {
      IpFamily family = e.getKey();
      List<Cidr> cidrs = e.getValue();
      Optional<String> ifName =
          Optional.ofNullable(spec.interfaceName())
              .or(() -> ctx.network().interfaceFor(cidrs.getFirst()));
      if (ifName.isEmpty()) {
        notReady.add(
            "no interface on this node has a subnet holding "
                + cidrs.getFirst()
                + "; set spec.interface");
        continue;
      }
      Optional<InetAddress> primary = ctx.network().primaryAddress(ifName.get(), family);
      if (primary.isEmpty()) {
        notReady.add(
            "interface "
                + ifName.get()
                + " does not exist on this node or has no "
                + VirtualIPValidator.name(family)
                + " address");
        continue;
      }
      Optional<String> badLabel = labelProblem(spec, family, ifName.get());
      if (badLabel.isPresent()) {
        notReady.add(badLabel.get());
        continue;
      }
      InetAddress source = primary.get();
      Set<InetAddress> peers = peers(spec.transportOrDefault(), family, source, ctx);
      boolean unicast = spec.transportOrDefault().modeOrDefault() == TransportMode.Unicast;
      if (unicast && family == IpFamily.IPV6 && !peers.isEmpty()) {
        // A unicast peer accepts adverts only from the addresses in its own peer list (DESIGN §5),
        // and those are what users list and what discovery finds: global addresses, never our
        // link-local one. So IPv6 unicast to global peers goes out from our global address on
        // the interface (as keepalived's unicast_src_ip), else every advert is dropped as
        // UNKNOWN_PEER and each node makes itself master. Link-local peers keep the link-local
        // source; multicast keeps RFC 5798 §5.1.2.1.
        boolean globalPeers = peers.stream().noneMatch(InetAddress::isLinkLocalAddress);
        Optional<InetAddress> global = ctx.network().globalAddress(ifName.get(), family);
        if (globalPeers && global.isPresent()) {
          source = global.get();
          peers = peers(spec.transportOrDefault(), family, source, ctx);
        }
      }
      RouterConfig config =
          new RouterConfig(
              vrid,
              version,
              family,
              source,
              cidrs.stream().map(Cidr::address).toList(),
              interval,
              spec.preemptOrDefault(),
              preemptDelay,
              peers,
              auth,
              excludedByFamily.getOrDefault(family, List.of()).stream()
                  .map(Cidr::address)
                  .toList());
      routers.add(new Router(ifName.get(), config, unicast && peers.isEmpty()));
    }
    return routers.isEmpty()
        ? new NotReady(String.join("; ", notReady))
        : new Ready(basePriority, routers, notReady);
  }

  /**
   * A label that does not start with the interface the addresses go on here (spec.interface unset:
   * the validator could not check it). IPv4 only: the kernel ignores IFA_LABEL for IPv6.
   */
  private static Optional<String> labelProblem(VirtualIPSpec spec, IpFamily family, String ifName) {
    if (family != IpFamily.IPV4 || spec.addressLabels() == null) {
      return Optional.empty();
    }
    for (var e : spec.addressLabels().entrySet()) {
      Optional<String> problem = VirtualIPValidator.labelProblem(e.getValue(), ifName);
      if (problem.isPresent()) {
        return Optional.of(
            FieldPath.field("spec.addressLabels", e.getKey())
                + ": "
                + problem.get()
                + ", the interface its address goes on here; set spec.interface or change the"
                + " label");
      }
    }
    return Optional.empty();
  }

  /** spec.virtualRouterId, else the one the operator allocated into status. */
  private static Integer vrid(VirtualIP vip) {
    Integer fromSpec = vip.getSpec().virtualRouterId();
    if (fromSpec != null) {
      return fromSpec;
    }
    return vip.getStatus() == null ? null : vip.getStatus().virtualRouterId();
  }

  /** Unicast peers of one family, without this node's own addresses; empty for Multicast. */
  private static Set<InetAddress> peers(
      TransportSpec transport, IpFamily family, InetAddress primary, Context ctx) {
    if (transport.modeOrDefault() == TransportMode.Multicast) {
      return Set.of();
    }
    Collection<InetAddress> candidates =
        transport.peerList().isEmpty()
            ? ctx.discoveredPeers()
            : transport.peerList().stream()
                .map(
                    p ->
                        IpLiteral.parse(p)
                            .orElseThrow(
                                () -> new IllegalArgumentException("peer " + p + " is not an IP")))
                .toList();
    Set<InetAddress> out = new LinkedHashSet<>();
    candidates.stream()
        .filter(family::contains)
        .filter(p -> !p.equals(primary) && !ctx.network().isLocal(p))
        .sorted(Addresses.ORDER)
        .forEach(out::add);
    return out;
  }

  /** NONE without authentication, null if a password is needed but missing. */
  private static Authentication authentication(AuthenticationSpec spec, String resolved) {
    if (spec == null) {
      return Authentication.NONE;
    }
    String password = spec.password() != null ? spec.password() : resolved;
    return password == null ? null : Authentication.password(password);
  }
}
