package dev.floatip.dataplane.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Ipv4HeaderTest {

  @Test
  void parsesKeepalivedAdvert() throws Exception {
    byte[] frame = Vectors.frame("v3-ipv4-mcast-prio150-adv10cs.hex");
    byte[] packet = Arrays.copyOfRange(frame, 14, frame.length); // strip Ethernet
    Ipv4Header h = Ipv4Header.parse(packet, packet.length).orElseThrow();
    assertEquals(20, h.headerLength());
    assertEquals(32, h.totalLength());
    assertEquals(255, h.ttl());
    assertEquals(112, h.protocol());
    assertEquals(InetAddress.getByName("192.0.2.11"), h.source());
    assertEquals(InetAddress.getByName("224.0.0.18"), h.destination());
    assertArrayEquals(Arrays.copyOfRange(packet, 20, 32), h.payload());
  }

  @Test
  void skipsOptions() throws Exception {
    // IHL 6: a 4-byte Router Alert option (RFC 2113) before the payload.
    byte[] packet =
        Vectors.hex(
            "46 c0 00 1c 00 01 00 00 ff 70 00 00 c6 33 64 01 c6 33 64 02"
                + " 94 04 00 00 aa bb cc dd");
    Ipv4Header h = Ipv4Header.parse(packet, packet.length).orElseThrow();
    assertEquals(24, h.headerLength());
    assertEquals(InetAddress.getByName("198.51.100.1"), h.source());
    assertEquals(InetAddress.getByName("198.51.100.2"), h.destination());
    assertArrayEquals(Vectors.hex("aa bb cc dd"), h.payload());
  }

  @Test
  void ignoresBytesBeyondTotalLength() {
    byte[] packet =
        Vectors.hex("45 00 00 16 00 01 00 00 40 70 00 00 c0 00 02 01 c0 00 02 02 01 02 ff ff");
    assertArrayEquals(
        Vectors.hex("01 02"), Ipv4Header.parse(packet, packet.length).orElseThrow().payload());
  }

  @Test
  void rejectsGarbage() {
    assertTrue(Ipv4Header.parse(new byte[10], 10).isEmpty(), "too short");
    byte[] v6 = new byte[40];
    v6[0] = 0x60;
    assertTrue(Ipv4Header.parse(v6, 40).isEmpty(), "not IPv4");
    byte[] badIhl = Vectors.hex("4f 00 00 14 00 01 00 00 40 70 00 00 c0 00 02 01 c0 00 02 02");
    assertTrue(Ipv4Header.parse(badIhl, badIhl.length).isEmpty(), "IHL beyond the data");
  }
}
