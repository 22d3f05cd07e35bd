package dev.floatip.dataplane.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.floatip.dataplane.MacAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AnnouncementFramesTest {
  private static final MacAddress KEEPALIVED_MAC = MacAddress.parse("4a:c2:73:78:7c:f3");

  @Test
  void gratuitousArpMatchesKeepalivedCapture() throws Exception {
    byte[] frame =
        AnnouncementFrames.gratuitousArp(
            KEEPALIVED_MAC, (Inet4Address) InetAddress.getByName("192.0.2.200"));
    assertArrayEquals(Vectors.frame("garp-ipv4.hex"), frame);
  }

  @Test
  void neighbourAdvertisementMatchesKeepalivedCapture() throws Exception {
    byte[] frame =
        AnnouncementFrames.unsolicitedNeighbourAdvertisement(
            KEEPALIVED_MAC, (Inet6Address) InetAddress.getByName("2001:db8::200"));
    assertArrayEquals(Vectors.frame("unsolicited-na-ipv6.hex"), frame);
  }

  @Test
  void neighbourAdvertisementChecksumFollowsAddressAndMac() throws Exception {
    var mac = MacAddress.parse("02:fd:00:00:00:01");
    var vip = (Inet6Address) InetAddress.getByName("2001:db8::1:7");
    byte[] frame = AnnouncementFrames.unsolicitedNeighbourAdvertisement(mac, vip);
    // The ICMPv6 message with the pseudo-header sums to zero when the checksum is right.
    byte[] icmp = Arrays.copyOfRange(frame, 54, frame.length);
    byte[] src = Arrays.copyOfRange(frame, 22, 38);
    byte[] dst = Arrays.copyOfRange(frame, 38, 54);
    assertEquals(0, AnnouncementFrames.icmpv6Checksum(src, dst, icmp));
    assertArrayEquals(vip.getAddress(), Arrays.copyOfRange(frame, 62, 78), "target");
    assertArrayEquals(mac.octets(), Arrays.copyOfRange(frame, 80, 86), "TLLA option");
    assertArrayEquals(mac.octets(), Arrays.copyOfRange(frame, 6, 12), "Ethernet source");
    assertEquals((byte) 0x20, frame[58], "flags: Override only");
    assertEquals((byte) 255, frame[21], "hop limit");
  }

  @Test
  void gratuitousArpCarriesTheGivenMacAndAddress() throws Exception {
    var mac = MacAddress.parse("02:fd:00:00:00:01");
    byte[] frame =
        AnnouncementFrames.gratuitousArp(mac, (Inet4Address) InetAddress.getByName("203.0.113.9"));
    assertEquals(42, frame.length);
    assertArrayEquals(mac.octets(), Arrays.copyOfRange(frame, 22, 28), "sender MAC");
    assertArrayEquals(
        Arrays.copyOfRange(frame, 28, 32), Arrays.copyOfRange(frame, 38, 42), "sender = target");
  }
}
