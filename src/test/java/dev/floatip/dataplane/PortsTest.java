package dev.floatip.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  void errnoNames() {
    assertEquals("EPERM", Errno.name(1));
    assertEquals("EADDRNOTAVAIL", Errno.name(-99), "netlink's negative numbers");
    assertEquals("ENODEV", Errno.name(Errno.ENODEV));
    assertEquals("errno 4095", Errno.name(4095));
  }

  @Test
  void failedResultsCarryNamesAndCompose() {
    IoResult<Integer> failed = IoResult.failed(Errno.EEXIST, "RTM_NEWADDR x", "exists");
    IoResult<String> mapped = failed.map(i -> "never");
    var f = assertInstance(mapped);
    assertEquals("EEXIST", f.errnoName());
    assertEquals("RTM_NEWADDR x: EEXIST (File exists): exists", f.message());
    assertEquals(
        "EEXIST",
        assertThrows(DataplaneException.class, failed::orElseThrow).failure().errnoName());
    assertEquals(3, IoResult.ok(1).flatMap(i -> IoResult.ok(i + 2)).orElseThrow());
  }

  private static IoResult.Failed<String> assertInstance(IoResult<String> r) {
    assertTrue(r instanceof IoResult.Failed<String>);
    return (IoResult.Failed<String>) r;
  }

  @Test
  void primaryIpv4IsTheFirstPrimaryUniverseAddress() throws Exception {
    var vip = InetAddress.getByName("192.0.2.200");
    List<InterfaceAddress> all =
        List.of(
            addr("127.0.0.1", 8, 0, InterfaceAddress.RT_SCOPE_HOST),
            addr("192.0.2.200", 32, 0, 0),
            addr("192.0.2.11", 24, 0, 0),
            addr("192.0.2.12", 24, InterfaceAddress.IFA_F_SECONDARY, 0),
            addr("fe80::1", 64, 0, InterfaceAddress.RT_SCOPE_LINK));
    assertEquals(
        Optional.of(InetAddress.getByName("192.0.2.11")),
        PrimaryAddress.choose(all, IpFamily.IPV4, Set.of(vip)));
    assertEquals(
        Optional.of(InetAddress.getByName("fe80::1")),
        PrimaryAddress.choose(all, IpFamily.IPV6, Set.of()));
  }

  @Test
  void tentativeLinkLocalIsNotUsable() throws Exception {
    List<InterfaceAddress> all =
        List.of(
            addr("fe80::1", 64, InterfaceAddress.IFA_F_TENTATIVE, 253),
            addr("2001:db8::1", 64, 0, 0));
    assertEquals(Optional.empty(), PrimaryAddress.choose(all, IpFamily.IPV6, Set.of()));
  }

  @Test
  void addressSpecValidatesPrefix() throws Exception {
    var v4 = InetAddress.getByName("192.0.2.1");
    assertThrows(IllegalArgumentException.class, () -> new AddressManager.AddressSpec(v4, 33));
    assertEquals("192.0.2.1/32", new AddressManager.AddressSpec(v4, 32).toString());
  }

  @Test
  void macAddress() {
    var mac = MacAddress.parse("02:FD:00:00:00:0a");
    assertEquals("02:fd:00:00:00:0a", mac.toString());
    assertEquals(mac, MacAddress.of(mac.octets()));
  }

  private static InterfaceAddress addr(String a, int prefix, int flags, int scope)
      throws Exception {
    return new InterfaceAddress(
        2, InetAddress.getByName(a), prefix, flags, scope, Optional.empty());
  }
}
