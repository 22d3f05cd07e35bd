package dev.floatip.agent;

import dev.floatip.api.v1alpha1.GratuitousArpSpec;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.Cidr;
import dev.floatip.config.Durations;
import dev.floatip.config.NodeNetwork;
import dev.floatip.config.RouterPlan;
import dev.floatip.dataplane.AddressManager.AddressSpec;
import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Turns VirtualIPs into the router specs of this node. Pure. */
final class VipPlanner {

  private VipPlanner() {}

  /** All addresses the VirtualIPs configure: never a node's own address. */
  static List<InetAddress> virtualAddresses(Collection<VirtualIP> vips) {
    return vips.stream()
        .flatMap(v -> v.getSpec().addressList().stream())
        .map(a -> Cidr.parse(a).address())
        .toList();
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
    List<Planned> planned = new ArrayList<>();
    for (VipRunner.VipInput in : inputs) {
      VirtualIP vip = in.vip();
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

  private static RouterSpec spec(VirtualIP vip, int priority, RouterPlan.Router r) {
    IpFamily family = r.config().family();
    List<AddressSpec> addresses =
        vip.getSpec().addressList().stream()
            .map(Cidr::parse)
            .filter(c -> c.family() == family)
            .map(c -> new AddressSpec(c.address(), c.prefixLength(), Optional.empty()))
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
