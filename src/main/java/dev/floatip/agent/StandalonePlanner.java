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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Turns VirtualIP documents into the router specs of this node. */
final class StandalonePlanner {

  private static final Logger LOG = Logger.getLogger(StandalonePlanner.class);

  private StandalonePlanner() {}

  /** All addresses the documents configure: never a node's own address. */
  static List<InetAddress> virtualAddresses(List<VirtualIP> vips) {
    return vips.stream()
        .flatMap(v -> v.getSpec().addressList().stream())
        .map(a -> Cidr.parse(a).address())
        .toList();
  }

  /** A VirtualIP this node runs: its base priority and its routers (at the base priority). */
  record PlannedVip(VirtualIP vip, int basePriority, List<RouterSpec> routers) {
    String name() {
      return vip.getMetadata().getName();
    }
  }

  /** The VirtualIPs that can run here; the others are logged with the reason. */
  static List<PlannedVip> plan(
      List<VirtualIP> vips, String nodeName, NodeNetwork network, Map<String, String> passwords) {
    List<PlannedVip> planned = new ArrayList<>();
    for (VirtualIP vip : vips) {
      String name = vip.getMetadata().getName();
      RouterPlan.Context ctx =
          new RouterPlan.Context(nodeName, network, List.of(), passwords.get(name));
      switch (RouterPlan.plan(vip, ctx)) {
        case RouterPlan.NotReady notReady -> LOG.warnf("%s: not run: %s", name, notReady.reason());
        case RouterPlan.Ready ready -> {
          ready.notReady().forEach(reason -> LOG.warnf("%s: partly run: %s", name, reason));
          List<RouterSpec> routers =
              ready.routers().stream().map(r -> spec(vip, ready.basePriority(), r)).toList();
          planned.add(new PlannedVip(vip, ready.basePriority(), routers));
        }
      }
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
