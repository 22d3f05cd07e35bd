package dev.floatip.agent;

import dev.floatip.api.v1alpha1.GratuitousArpSpec;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.Cidr;
import dev.floatip.config.Durations;
import dev.floatip.config.FieldPath;
import dev.floatip.config.NodeNetwork;
import dev.floatip.config.RouterPlan;
import dev.floatip.config.Violation;
import dev.floatip.dataplane.AddressManager.AddressSpec;
import dev.floatip.dataplane.InterfaceAddress;
import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Turns VirtualIPs into the router specs of this node. Pure. */
final class VipPlanner {

  private VipPlanner() {}

  /** All addresses the VirtualIPs configure: never a node's own address. */
  static List<InetAddress> virtualAddresses(Collection<VirtualIP> vips) {
    return vips.stream()
        .flatMap(
            v ->
                Stream.concat(
                    v.getSpec().addressList().stream(), v.getSpec().excludedAddressList().stream()))
        .map(a -> Cidr.parse(a).address())
        .toList();
  }

  /** The addresses on the node that floatip did not add, with their interface. */
  static Map<InetAddress, String> nodeOwn(Map<String, List<InterfaceAddress>> interfaces) {
    Map<InetAddress, String> own = new HashMap<>();
    interfaces.forEach(
        (iface, addresses) ->
            addresses.stream()
                .filter(a -> !a.addedByFloatip())
                .forEach(a -> own.putIfAbsent(a.address(), iface)));
    return own;
  }

  /** One problem per address of {@code vip} that is in {@code nodeOwn}, naming the field. */
  static List<Violation> ownAddressProblems(VirtualIP vip, Map<InetAddress, String> nodeOwn) {
    List<Violation> out = new ArrayList<>();
    ownAddressProblems(vip.getSpec().addressList(), "spec.addresses", nodeOwn, out);
    ownAddressProblems(vip.getSpec().excludedAddressList(), "spec.excludedAddresses", nodeOwn, out);
    return out;
  }

  private static void ownAddressProblems(
      List<String> addresses, String field, Map<InetAddress, String> nodeOwn, List<Violation> out) {
    for (int i = 0; i < addresses.size(); i++) {
      InetAddress a = Cidr.parse(addresses.get(i)).address();
      String iface = nodeOwn.get(a);
      if (iface != null) {
        out.add(
            new Violation(
                FieldPath.index(field, i),
                a.getHostAddress()
                    + " is this node's own address on "
                    + iface
                    + " (not added by floatip); a virtual address must be one no node has (an"
                    + " address owner's priority 255 does not exist here)"));
      }
    }
  }

  /** What {@link #plan} answers for one VirtualIP. */
  sealed interface Planned permits Run, NotRun {
    VirtualIP vip();

    default String name() {
      return vip().getMetadata().getName();
    }
  }

  /**
   * A VirtualIP this node runs: its base priority and its routers (at the base priority).
   *
   * @param partly why a family could not be planned while the other runs
   */
  record Run(VirtualIP vip, int basePriority, List<RouterSpec> routers, List<String> partly)
      implements Planned {}

  /** A VirtualIP that cannot run here now, and why. */
  record NotRun(VirtualIP vip, String reason) implements Planned {}

  static List<Planned> plan(List<VipRunner.VipInput> inputs, String nodeName, NodeNetwork network) {
    return plan(inputs, nodeName, network, Map.of());
  }

  /**
   * @param nodeOwn the node's own addresses (not added by floatip) with their interface: a
   *     VirtualIP with one of them does not run here (its resign would remove the node's address)
   */
  static List<Planned> plan(
      List<VipRunner.VipInput> inputs,
      String nodeName,
      NodeNetwork network,
      Map<InetAddress, String> nodeOwn) {
    List<Planned> planned = new ArrayList<>();
    for (VipRunner.VipInput in : inputs) {
      VirtualIP vip = in.vip();
      List<Violation> own = ownAddressProblems(vip, nodeOwn);
      if (!own.isEmpty()) {
        planned.add(
            new NotRun(
                vip, own.stream().map(Violation::toString).collect(Collectors.joining("; "))));
        continue;
      }
      RouterPlan.Context ctx =
          new RouterPlan.Context(nodeName, network, in.discoveredPeers(), in.password());
      planned.add(
          switch (RouterPlan.plan(vip, ctx)) {
            case RouterPlan.NotReady notReady -> new NotRun(vip, notReady.reason());
            case RouterPlan.Ready ready ->
                new Run(
                    vip,
                    ready.basePriority(),
                    ready.routers().stream().map(r -> spec(vip, ready.basePriority(), r)).toList(),
                    ready.notReady());
          });
    }
    return planned;
  }

  /** The label only on IPv4: the kernel ignores IFA_LABEL for IPv6 (addrconf reads no label). */
  private static AddressSpec addressSpec(String text, Optional<String> label) {
    Cidr c = Cidr.parse(text);
    return new AddressSpec(
        c.address(), c.prefixLength(), c.family() == IpFamily.IPV4 ? label : Optional.empty());
  }

  private static RouterSpec spec(VirtualIP vip, int priority, RouterPlan.Router r) {
    IpFamily family = r.config().family();
    // in the order of config.allAddresses(): advertised, then excluded
    List<AddressSpec> addresses =
        Stream.concat(
                vip.getSpec().addressList().stream(), vip.getSpec().excludedAddressList().stream())
            .filter(text -> Cidr.parse(text).family() == family)
            .map(text -> addressSpec(text, vip.getSpec().labelOf(text)))
            .toList();
    GratuitousArpSpec garp = vip.getSpec().gratuitousArpOrDefault();
    AnnouncePolicy announce =
        new AnnouncePolicy(
            Durations.parse(garp.delayOrDefault()),
            garp.repeatOrDefault(),
            Durations.parse(garp.refreshOrDefault()));
    return new RouterSpec(
        new RouterId(vip.getMetadata().getName(), family),
        r.interfaceName(),
        r.config(),
        priority,
        addresses,
        announce,
        r.unicastWithoutPeers(),
        Optional.ofNullable(vip.getSpec().syncGroup()));
  }
}
