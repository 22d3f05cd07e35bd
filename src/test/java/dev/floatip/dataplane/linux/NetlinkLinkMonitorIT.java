package dev.floatip.dataplane.linux;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.floatip.dataplane.LinkEvent;
import dev.floatip.dataplane.LinkEvent.AddressAdded;
import dev.floatip.dataplane.LinkEvent.AddressRemoved;
import dev.floatip.dataplane.LinkEvent.LinkChanged;
import dev.floatip.dataplane.LinkInfo;
import dev.floatip.dataplane.LinkMonitor;
import dev.floatip.dataplane.OperState;
import dev.floatip.testing.NetnsLab;
import dev.floatip.testing.NetnsLab.Node;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Link and address events from rtnetlink, caused by {@code ip} from outside. */
class NetlinkLinkMonitorIT {
  private NetnsLab lab;
  private LinuxDataplane dp;
  private LinkMonitor.Subscription subscription;
  private final List<LinkEvent> events = new CopyOnWriteArrayList<>();
  private Node r1;

  @BeforeEach
  void lab() throws Exception {
    NetnsLab.assumeAvailable();
    lab = NetnsLab.create("links", 1);
    r1 = lab.router(1);
    dp = lab.call(r1, () -> LinuxDataplane.open().orElseThrow());
    subscription = dp.linkMonitor().subscribe(events::add).orElseThrow();
  }

  @AfterEach
  void closeLab() {
    if (subscription != null) {
      subscription.close();
    }
    if (dp != null) {
      dp.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  private void awaitEvent(String what, Predicate<LinkEvent> p) {
    await(what).atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(p));
  }

  private static Predicate<LinkEvent> eth0(Predicate<LinkChanged> p) {
    return e -> e instanceof LinkChanged c && c.link().name().equals("eth0") && p.test(c);
  }

  @Test
  void adminDownAndUp() {
    lab.exec(r1, "ip", "link", "set", "eth0", "down");
    awaitEvent("eth0 down", eth0(c -> !c.link().adminUp() && !c.link().operational()));
    events.clear();
    lab.exec(r1, "ip", "link", "set", "eth0", "up");
    awaitEvent("eth0 operational", eth0(c -> c.link().operational()));
  }

  @Test
  void carrierLoss() {
    lab.disconnect(r1);
    awaitEvent(
        "eth0 without carrier",
        // veth reports NO-CARRIER with operstate DOWN (not LOWERLAYERDOWN) while admin up
        eth0(
            c ->
                c.link().adminUp()
                    && !c.link().operational()
                    && (c.link().flags() & LinkInfo.IFF_LOWER_UP) == 0
                    && c.link().operState() != OperState.UP));
    lab.reconnect(r1);
    awaitEvent("eth0 back", eth0(c -> c.link().operational()));
  }

  @Test
  void addressesAddedAndRemovedBySomeoneElse() throws Exception {
    var v4 = InetAddress.getByName("192.0.2.150");
    var v6 = InetAddress.getByName("2001:db8::150");
    lab.exec(r1, "ip", "addr", "add", "192.0.2.150/24", "dev", "eth0");
    lab.exec(r1, "ip", "addr", "add", "2001:db8::150/64", "dev", "eth0", "nodad");
    awaitEvent(
        "v4 added",
        e ->
            e instanceof AddressAdded a
                && a.interfaceName().equals("eth0")
                && a.address().address().equals(v4));
    awaitEvent("v6 added", e -> e instanceof AddressAdded a && a.address().address().equals(v6));
    lab.exec(r1, "ip", "addr", "del", "192.0.2.150/24", "dev", "eth0");
    lab.exec(r1, "ip", "addr", "del", "2001:db8::150/64", "dev", "eth0");
    awaitEvent(
        "v4 removed",
        e ->
            e instanceof AddressRemoved r
                && r.interfaceName().equals("eth0")
                && r.address().address().equals(v4)
                && r.address().prefixLength() == 24);
    awaitEvent(
        "v6 removed", e -> e instanceof AddressRemoved r && r.address().address().equals(v6));
  }

  @Test
  void closeStopsTheThread() {
    subscription.close();
    subscription = null;
    events.clear();
    lab.exec(r1, "ip", "link", "set", "eth0", "down");
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> events.isEmpty());
    assertFalse(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("floatip-link-monitor") && t.isAlive()));
  }
}
