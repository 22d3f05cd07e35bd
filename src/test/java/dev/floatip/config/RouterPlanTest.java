package dev.floatip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.vrrp.Authentication;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.RouterConfig;
import dev.floatip.vrrp.VrrpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterPlanTest {

  /** node-a: eth0 192.0.2.11 + fe80::11, 192.0.2.0/24 and 2001:db8::/64 are on eth0. */
  private static final NodeNetwork NODE_A =
      new NodeNetwork() {
        @Override
        public Optional<String> interfaceFor(Cidr address) {
          String a = address.address().getHostAddress();
          return a.startsWith("192.0.2.") || a.startsWith("2001:db8:0:0:")
              ? Optional.of("eth0")
              : Optional.empty();
        }

        @Override
        public Optional<InetAddress> primaryAddress(String ifName, IpFamily family) {
          if (!ifName.equals("eth0") && !ifName.equals("eth1")) {
            return Optional.empty();
          }
          return Optional.of(ip(family == IpFamily.IPV4 ? "192.0.2.11" : "fe80::11"));
        }

        @Override
        public boolean isLocal(InetAddress address) {
          return address.equals(ip("2001:db8::11")) || address.equals(ip("192.0.2.111"));
        }
      };

  private static RouterPlan.Context ctx(String node, List<String> discovered, String password) {
    return new RouterPlan.Context(
        node, NODE_A, discovered.stream().map(RouterPlanTest::ip).toList(), password);
  }

  private static RouterPlan.Ready ready(VirtualIP vip, RouterPlan.Context ctx) {
    RouterPlan.Result r = RouterPlan.plan(vip, ctx);
    return assertInstanceOf(RouterPlan.Ready.class, r, () -> r.toString());
  }

  @Test
  void mixedFamiliesGiveTwoRoutersWithTheSameVrid() {
    VirtualIP vip =
        TestVips.withSpec(
            """
            {addresses: [2001:db8::200/64, 192.0.2.200/24, 192.0.2.201], virtualRouterId: 51,
             advertisementInterval: 100ms, preemptDelay: 2s,
             transport: {peers: [192.0.2.11, 192.0.2.12, 2001:db8::11, 2001:db8::12, 192.0.2.111]}}
            """);
    RouterPlan.Ready plan = ready(vip, ctx("node-a", List.of(), null));
    assertEquals(2, plan.routers().size());

    RouterConfig v4 = plan.routers().get(0).config();
    assertEquals("eth0", plan.routers().get(0).interfaceName());
    assertEquals(51, v4.vrid());
    assertEquals(VrrpVersion.V3, v4.version());
    assertEquals(IpFamily.IPV4, v4.family());
    assertEquals(ip("192.0.2.11"), v4.primaryAddress());
    assertEquals(List.of(ip("192.0.2.200"), ip("192.0.2.201")), v4.addresses());
    assertEquals(Duration.ofMillis(100), v4.adverInterval());
    assertTrue(v4.preempt());
    assertEquals(Duration.ofSeconds(2), v4.preemptDelay());
    // own primary (192.0.2.11) and another local address (192.0.2.111) are not peers
    assertEquals(Set.of(ip("192.0.2.12")), v4.unicastPeers());
    assertEquals(Authentication.NONE, v4.authentication());

    RouterConfig v6 = plan.routers().get(1).config();
    assertEquals(51, v6.vrid());
    assertEquals(IpFamily.IPV6, v6.family());
    assertEquals(ip("fe80::11"), v6.primaryAddress());
    assertEquals(List.of(ip("2001:db8::200")), v6.addresses());
    assertEquals(Set.of(ip("2001:db8::12")), v6.unicastPeers()); // 2001:db8::11 is local
  }

  @ParameterizedTest
  @CsvSource({
    "node-a, 120", // first in order
    "node-b, 110",
    "node-c, 50", // explicit
    "node-z, 100", // default
  })
  void basePriority(String node, int expected) {
    VirtualIP vip =
        TestVips.withSpec(
            "{addresses: [192.0.2.200], virtualRouterId: 1, transport: {mode: Multicast},"
                + " priority: {order: [node-a, node-b], nodes: {node-c: 50}}}");
    assertEquals(expected, ready(vip, ctx(node, List.of(), null)).basePriority());
  }

  @Test
  void discoveredPeersWhenNoneAreConfigured() {
    VirtualIP vip = TestVips.withSpec("{addresses: [192.0.2.200], virtualRouterId: 1}");
    RouterPlan.Ready plan =
        ready(vip, ctx("node-a", List.of("192.0.2.13", "192.0.2.11", "2001:db8::13"), null));
    assertEquals(Set.of(ip("192.0.2.13")), plan.routers().get(0).config().unicastPeers());
    assertFalse(plan.routers().get(0).unicastWithoutPeers());
  }

  @Test
  void explicitPeersOverrideDiscovery() {
    VirtualIP vip =
        TestVips.withSpec(
            "{addresses: [192.0.2.200], virtualRouterId: 1, transport: {peers: [192.0.2.99]}}");
    RouterPlan.Ready plan = ready(vip, ctx("node-a", List.of("192.0.2.13"), null));
    assertEquals(Set.of(ip("192.0.2.99")), plan.routers().get(0).config().unicastPeers());
  }

  @Test
  void multicastHasNoPeers() {
    VirtualIP vip =
        TestVips.withSpec(
            "{addresses: [192.0.2.200], virtualRouterId: 1, transport: {mode: Multicast}}");
    RouterPlan.Router r = ready(vip, ctx("node-a", List.of("192.0.2.13"), null)).routers().get(0);
    assertTrue(r.config().unicastPeers().isEmpty());
    assertFalse(r.unicastWithoutPeers());
  }

  @Test
  void unicastWithOnlyOurselvesIsFlagged() {
    VirtualIP vip = TestVips.withSpec("{addresses: [192.0.2.200], virtualRouterId: 1}");
    RouterPlan.Router r = ready(vip, ctx("node-a", List.of("192.0.2.11"), null)).routers().get(0);
    assertTrue(r.config().unicastPeers().isEmpty());
    assertTrue(r.unicastWithoutPeers());
  }

  @Test
  void vridFromStatusWhenTheSpecHasNone() {
    VirtualIP vip = TestVips.withSpec("{addresses: [192.0.2.200], transport: {mode: Multicast}}");
    assertEquals(
        "no virtualRouterId: set spec.virtualRouterId or wait for the operator",
        assertInstanceOf(RouterPlan.NotReady.class, RouterPlan.plan(vip, ctx("n", List.of(), null)))
            .reason());
    vip.setStatus(new VirtualIPStatus(null, 77, null, null, null, null, null));
    assertEquals(77, ready(vip, ctx("n", List.of(), null)).routers().get(0).config().vrid());
  }

  @Test
  void interfaceFromSpecOrResolver() {
    VirtualIP explicit =
        TestVips.withSpec(
            "{addresses: [198.51.100.1], interface: eth1, virtualRouterId: 1,"
                + " transport: {mode: Multicast}}");
    assertEquals(
        "eth1", ready(explicit, ctx("n", List.of(), null)).routers().get(0).interfaceName());

    VirtualIP unresolvable =
        TestVips.withSpec(
            "{addresses: [198.51.100.1], virtualRouterId: 1, transport: {mode: Multicast}}");
    assertEquals(
        "no interface on this node has a subnet holding 198.51.100.1/32; set spec.interface",
        assertInstanceOf(
                RouterPlan.NotReady.class, RouterPlan.plan(unresolvable, ctx("n", List.of(), null)))
            .reason());

    VirtualIP noAddress =
        TestVips.withSpec(
            "{addresses: [192.0.2.1], interface: eth9, virtualRouterId: 1,"
                + " transport: {mode: Multicast}}");
    assertEquals(
        "interface eth9 does not exist on this node or has no IPv4 address",
        assertInstanceOf(
                RouterPlan.NotReady.class, RouterPlan.plan(noAddress, ctx("n", List.of(), null)))
            .reason());
  }

  @Test
  void version2WithPasswords() {
    VirtualIP inline =
        TestVips.withSpec(
            "{addresses: [192.0.2.200], virtualRouterId: 1, version: 2, advertisementInterval: 3s,"
                + " transport: {mode: Multicast}, authentication: {password: secret}}");
    RouterConfig c = ready(inline, ctx("n", List.of(), null)).routers().get(0).config();
    assertEquals(VrrpVersion.V2, c.version());
    assertEquals(Duration.ofSeconds(3), c.adverInterval());
    assertEquals(Authentication.password("secret"), c.authentication());

    VirtualIP fromSecret =
        TestVips.withSpec(
            "{addresses: [192.0.2.200], virtualRouterId: 1, version: 2,"
                + " transport: {mode: Multicast},"
                + " authentication: {passwordSecretRef: {name: vrrp, key: password}}}");
    assertEquals(
        Authentication.password("fromk8s"),
        ready(fromSecret, ctx("n", List.of(), "fromk8s"))
            .routers()
            .get(0)
            .config()
            .authentication());
    assertEquals(
        "the authentication password is not available",
        assertInstanceOf(
                RouterPlan.NotReady.class, RouterPlan.plan(fromSecret, ctx("n", List.of(), null)))
            .reason());
  }

  @Test
  void anInvalidSpecIsNotReadyNotACrash() {
    VirtualIP vip =
        TestVips.withSpec(
            "{addresses: [not-an-ip], virtualRouterId: 1, transport: {mode: Multicast}}");
    String reason =
        assertInstanceOf(RouterPlan.NotReady.class, RouterPlan.plan(vip, ctx("n", List.of(), null)))
            .reason();
    assertTrue(reason.startsWith("invalid spec: "), reason);
  }

  private static InetAddress ip(String literal) {
    return IpLiteral.parse(literal).orElseThrow();
  }
}
