package dev.floatip.dataplane.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.floatip.dataplane.AddressManager;
import dev.floatip.dataplane.AddressManager.AddressSpec;
import dev.floatip.dataplane.InterfaceAddress;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.LinkInfo;
import dev.floatip.dataplane.MacAddress;
import dev.floatip.testing.NetnsLab;
import dev.floatip.testing.NetnsLab.Node;
import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Addresses and links over rtnetlink, checked against {@code ip -o addr}. */
class NetlinkAddressManagerIT {
  private static NetnsLab lab;
  private static LinuxDataplane dp;
  private static AddressManager addresses;
  private static Node r1;

  @BeforeAll
  static void lab() throws Exception {
    NetnsLab.assumeAvailable();
    lab = NetnsLab.create("addr", 1);
    r1 = lab.router(1);
    dp = lab.call(r1, () -> LinuxDataplane.open().orElseThrow());
    addresses = dp.addresses();
  }

  @AfterAll
  static void closeLab() {
    if (dp != null) {
      dp.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  private static String ipAddr() {
    return lab.exec(r1, "ip", "-o", "addr", "show", "dev", "eth0");
  }

  @Test
  void linkLookup() {
    LinkInfo link = addresses.link("eth0").orElseThrow();
    String ipLink = lab.exec(r1, "ip", "-o", "link", "show", "dev", "eth0");
    assertTrue(ipLink.startsWith(link.index() + ": eth0"), ipLink);
    assertEquals(Optional.of(MacAddress.parse(r1.mac())), link.hardwareAddress());
    assertTrue(link.operational());
    assertEquals(1500, link.mtu());
  }

  @Test
  void primaryAddresses() {
    assertEquals(
        r1.ipv4(), addresses.primaryAddress("eth0", IpFamily.IPV4, List.of()).orElseThrow());
    assertEquals(
        r1.ipv6LinkLocal(),
        addresses.primaryAddress("eth0", IpFamily.IPV6, List.of()).orElseThrow());
  }

  @Test
  void addListReplaceRemoveIpv4WithLabel() throws Exception {
    var vip = InetAddress.getByName("192.0.2.200");
    var spec = new AddressSpec(vip, 24, Optional.of("eth0:vip"));
    addresses.add("eth0", spec).orElseThrow();
    assertTrue(
        ipAddr().matches("(?s).*inet 192\\.0\\.2\\.200/24 .*secondary eth0:vip.*"), ipAddr());
    addresses.add("eth0", spec).orElseThrow(); // NLM_F_REPLACE: idempotent
    InterfaceAddress listed =
        addresses.list("eth0").orElseThrow().stream()
            .filter(a -> a.address().equals(vip))
            .findFirst()
            .orElseThrow();
    assertEquals(24, listed.prefixLength());
    assertEquals(Optional.of("eth0:vip"), listed.label());
    assertTrue(listed.secondary());
    assertEquals(
        r1.ipv4(),
        addresses.primaryAddress("eth0", IpFamily.IPV4, List.of(vip)).orElseThrow(),
        "a secondary VIP never becomes the source");

    addresses.remove("eth0", vip).orElseThrow();
    assertFalse(ipAddr().contains("192.0.2.200"), ipAddr());
    addresses.remove("eth0", vip).orElseThrow(); // already gone = success
    assertTrue(ipAddr().contains("192.0.2.11/24"), "the primary stays");
  }

  @Test
  void hostRouteVipAndRemovalOfEveryPrefix() throws Exception {
    var vip = InetAddress.getByName("198.51.100.7");
    addresses.add("eth0", new AddressSpec(vip, 32)).orElseThrow();
    addresses.add("eth0", new AddressSpec(vip, 28)).orElseThrow();
    assertTrue(ipAddr().contains("198.51.100.7/32"), ipAddr());
    assertTrue(ipAddr().contains("198.51.100.7/28"), ipAddr());
    addresses.remove("eth0", vip).orElseThrow();
    assertFalse(ipAddr().contains("198.51.100.7"), ipAddr());
  }

  @Test
  void ipv6AddIsNoDadAndRemovable() throws Exception {
    lab.exec(r1, "sysctl", "-qw", "net.ipv6.conf.eth0.accept_dad=1"); // NODAD must do it
    try {
      var vip = InetAddress.getByName("2001:db8::200");
      addresses.add("eth0", new AddressSpec(vip, 64)).orElseThrow();
      addresses.add("eth0", new AddressSpec(vip, 64)).orElseThrow();
      String shown = lab.exec(r1, "ip", "-o", "-6", "addr", "show", "dev", "eth0");
      assertTrue(shown.matches("(?s).*inet6 2001:db8::200/64 scope global nodad.*"), shown);
      assertFalse(shown.contains("tentative"), shown);
      addresses.remove("eth0", vip).orElseThrow();
      assertFalse(ipAddr().contains("2001:db8::200"));
    } finally {
      lab.exec(r1, "sysctl", "-qw", "net.ipv6.conf.eth0.accept_dad=0");
    }
  }

  /** Issue 12 items 5/6: the kernel keeps floatip's IFA_PROTO mark; others' addresses stay. */
  @Test
  void addressesFloatipAddedAreMarkedAndOnlyThoseAreRemoved() throws Exception {
    assumeTrue(addresses.marksAddresses(), "IFA_PROTO needs Linux 6.3+");
    var mine = InetAddress.getByName("203.0.113.8");
    var admins = InetAddress.getByName("203.0.113.9");
    var mine6 = InetAddress.getByName("2001:db8::8");
    addresses.add("eth0", new AddressSpec(mine, 24)).orElseThrow();
    addresses.add("eth0", new AddressSpec(mine6, 64)).orElseThrow();
    lab.exec(r1, "ip", "addr", "add", "203.0.113.9/24", "dev", "eth0");
    try {
      List<InterfaceAddress> all = addresses.list("eth0").orElseThrow();
      assertTrue(find(all, mine).addedByFloatip(), all.toString());
      assertTrue(find(all, mine6).addedByFloatip(), all.toString());
      assertFalse(find(all, admins).addedByFloatip(), all.toString());
      assertFalse(find(all, r1.ipv4()).addedByFloatip(), all.toString());

      addresses.remove("eth0", admins).orElseThrow();
      addresses.remove("eth0", r1.ipv4()).orElseThrow();
      assertTrue(ipAddr().contains("203.0.113.9/24"), ipAddr());
      assertTrue(ipAddr().contains("192.0.2.11/24"), "the node's own address stays");
      addresses.remove("eth0", mine).orElseThrow();
      addresses.remove("eth0", mine6).orElseThrow();
      assertFalse(ipAddr().contains("203.0.113.8"), ipAddr());
      assertFalse(ipAddr().contains("2001:db8::8/"), ipAddr());
    } finally {
      lab.run(r1, "ip", "addr", "del", "203.0.113.9/24", "dev", "eth0");
    }
  }

  private static InterfaceAddress find(List<InterfaceAddress> all, InetAddress a) {
    return all.stream().filter(x -> x.address().equals(a)).findFirst().orElseThrow();
  }

  @Test
  void removedBySomeoneElseIsFine() throws Exception {
    var vip = InetAddress.getByName("203.0.113.5");
    addresses.add("eth0", new AddressSpec(vip, 24)).orElseThrow();
    lab.exec(r1, "ip", "addr", "del", "203.0.113.5/24", "dev", "eth0");
    assertTrue(addresses.remove("eth0", vip).isOk());
  }

  @Test
  void typedFailures() throws Exception {
    var vip = InetAddress.getByName("192.0.2.200");
    assertEquals("ENODEV", errno(addresses.add("nosuch0", new AddressSpec(vip, 24))));
    assertEquals("ENODEV", errno(addresses.remove("nosuch0", vip)));
    assertEquals("ENODEV", errno(addresses.list("nosuch0")));
    assertEquals(
        "EINVAL", errno(addresses.add("eth0", new AddressSpec(vip, 24, Optional.of("other:vip")))));
    assertEquals(
        "EINVAL",
        errno(
            addresses.add(
                "eth0",
                new AddressSpec(InetAddress.getByName("2001:db8::9"), 64, Optional.of("eth0:x")))));
  }

  @Test
  void kernelErrorsKeepTheirErrno() throws Exception {
    // A multicast address cannot be assigned; the kernel says why in the extended ack.
    var r = addresses.add("eth0", new AddressSpec(InetAddress.getByName("ff02::99"), 128));
    var f = assertInstanceOf(IoResult.Failed.class, r);
    assertEquals("EADDRNOTAVAIL", f.errnoName(), f.message());
    assertTrue(f.detail().contains("multicast"), f.message());
  }

  private static String errno(IoResult<?> r) {
    return assertInstanceOf(IoResult.Failed.class, r).errnoName();
  }
}
