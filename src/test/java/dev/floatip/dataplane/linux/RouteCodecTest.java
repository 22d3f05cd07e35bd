package dev.floatip.dataplane.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.floatip.dataplane.AddressManager.AddressSpec;
import dev.floatip.dataplane.InterfaceAddress;
import dev.floatip.dataplane.LinkInfo;
import dev.floatip.dataplane.MacAddress;
import dev.floatip.dataplane.OperState;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Exact bytes of the rtnetlink requests and replies (host order = little-endian here). */
class RouteCodecTest {

  @BeforeAll
  static void littleEndian() {
    assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "expected bytes are x86/arm64");
  }

  @Test
  void newIpv4AddressWithLabel() throws Exception {
    var spec = new AddressSpec(InetAddress.getByName("192.0.2.100"), 24, Optional.of("eth0:vip"));
    assertArrayEquals(
        Vectors.hex(
            """
            40 00 00 00 14 00 05 05 01 00 00 00 00 00 00 00
            02 18 00 00 03 00 00 00
            08 00 02 00 c0 00 02 64
            08 00 01 00 c0 00 02 64
            0d 00 03 00 65 74 68 30 3a 76 69 70 00 00 00 00
            05 00 0b 00 66 00 00 00
            """),
        RouteCodec.newAddress(1, 3, spec));
  }

  @Test
  void newIpv6AddressIsNoDad() throws Exception {
    var spec = new AddressSpec(InetAddress.getByName("2001:db8::200"), 64);
    assertArrayEquals(
        Vectors.hex(
            """
            3c 00 00 00 14 00 05 05 07 00 00 00 00 00 00 00
            0a 40 02 00 03 00 00 00
            14 00 01 00 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 02 00
            08 00 08 00 02 00 00 00
            05 00 0b 00 66 00 00 00
            """),
        RouteCodec.newAddress(7, 3, spec));
  }

  @Test
  void deleteIpv4Address() throws Exception {
    assertArrayEquals(
        Vectors.hex(
            """
            28 00 00 00 15 00 05 00 02 00 00 00 00 00 00 00
            02 18 00 00 03 00 00 00
            08 00 02 00 c0 00 02 64
            08 00 01 00 c0 00 02 64
            """),
        RouteCodec.deleteAddress(2, 3, InetAddress.getByName("192.0.2.100"), 24));
  }

  @Test
  void getLinkByName() {
    assertArrayEquals(
        Vectors.hex(
            """
            2c 00 00 00 12 00 01 00 09 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            09 00 03 00 65 74 68 30 00 00 00 00
            """),
        RouteCodec.getLink(9, "eth0"));
  }

  @Test
  void dumpAddresses() {
    assertArrayEquals(
        Vectors.hex("18 00 00 00 16 00 01 03 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"),
        RouteCodec.getAddresses(4));
  }

  @Test
  void decodesAddressDumpUntilDone() throws Exception {
    byte[] datagram =
        Vectors.hex(
            """
            40 00 00 00 14 00 02 00 04 00 00 00 d2 04 00 00
            02 18 80 00 03 00 00 00
            08 00 01 00 c0 00 02 64
            08 00 02 00 c0 00 02 64
            0d 00 03 00 65 74 68 30 3a 76 69 70 00 00 00 00
            08 00 08 00 81 00 00 00
            14 00 00 00 03 00 02 00 04 00 00 00 d2 04 00 00 00 00 00 00
            """);
    List<NetlinkMessage> ms = NetlinkMessage.parseAll(datagram, datagram.length);
    assertEquals(2, ms.size());
    assertEquals(Rtnetlink.RTM_NEWADDR, ms.get(0).type());
    assertEquals(4, ms.get(0).sequence());
    assertEquals(1234, ms.get(0).portId());
    assertEquals(Rtnetlink.NLMSG_DONE, ms.get(1).type());
    InterfaceAddress a = RouteCodec.decodeAddress(ms.get(0)).orElseThrow();
    assertEquals(InetAddress.getByName("192.0.2.100"), a.address());
    assertEquals(24, a.prefixLength());
    assertEquals(3, a.interfaceIndex());
    assertEquals(Optional.of("eth0:vip"), a.label());
    assertEquals(0x81, a.flags(), "IFA_FLAGS wins over ifa_flags");
    assertTrue(a.secondary());
    assertFalse(a.tentative());
  }

  @Test
  void decodesIpv6AddressWithoutLocal() throws Exception {
    byte[] datagram =
        Vectors.hex(
            """
            2c 00 00 00 14 00 00 00 00 00 00 00 00 00 00 00
            0a 40 c0 fd 03 00 00 00
            14 00 01 00 fe 80 00 00 00 00 00 00 00 fd 00 ff fe 00 00 01
            """);
    InterfaceAddress a =
        RouteCodec.decodeAddress(NetlinkMessage.parseAll(datagram, datagram.length).get(0))
            .orElseThrow();
    assertEquals(InetAddress.getByName("fe80::fd:ff:fe00:1"), a.address());
    assertTrue(a.ipv6LinkLocal());
    assertTrue(a.tentative());
    assertEquals(InterfaceAddress.RT_SCOPE_LINK, a.scope());
  }

  @Test
  void decodesLink() {
    byte[] datagram =
        Vectors.hex(
            """
            48 00 00 00 10 00 00 00 01 00 00 00 00 00 00 00
            00 00 01 00 02 00 00 00 43 10 01 00 00 00 00 00
            09 00 03 00 65 74 68 30 00 00 00 00
            08 00 04 00 dc 05 00 00
            05 00 10 00 06 00 00 00
            0a 00 01 00 02 fd 00 00 00 01 00 00
            """);
    LinkInfo link =
        RouteCodec.decodeLink(NetlinkMessage.parseAll(datagram, datagram.length).get(0))
            .orElseThrow();
    assertEquals(
        new LinkInfo(
            2,
            "eth0",
            Optional.of(MacAddress.parse("02:fd:00:00:00:01")),
            0x11043,
            OperState.UP,
            1500),
        link);
    assertTrue(link.operational());
  }

  @Test
  void decodesErrorWithExtendedAck() {
    byte[] datagram =
        Vectors.hex(
            """
            30 00 00 00 02 00 00 03 05 00 00 00 d2 04 00 00
            ef ff ff ff
            38 00 00 00 14 00 05 05 05 00 00 00 00 00 00 00
            0b 00 01 00 65 78 69 73 74 73 00 00
            """);
    NetlinkMessage m = NetlinkMessage.parseAll(datagram, datagram.length).get(0);
    assertEquals(new RouteCodec.Ack(17, 5, "exists"), RouteCodec.decodeError(m));
  }

  @Test
  void decodesPlainAck() {
    byte[] datagram =
        Vectors.hex(
            "24 00 00 00 02 00 00 01 06 00 00 00 00 00 00 00 00 00 00 00"
                + " 38 00 00 00 14 00 05 05 06 00 00 00 00 00 00 00");
    NetlinkMessage m = NetlinkMessage.parseAll(datagram, datagram.length).get(0);
    assertEquals(new RouteCodec.Ack(0, 6, ""), RouteCodec.decodeError(m));
  }

  @Test
  void truncatedTailIsDropped() {
    byte[] datagram = Vectors.hex("40 00 00 00 14 00 02 00 04 00 00 00 d2 04 00 00 02 18");
    assertTrue(NetlinkMessage.parseAll(datagram, datagram.length).isEmpty());
  }
}
