package dev.floatip.dataplane.linux;

import dev.floatip.dataplane.MacAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;

/**
 * Complete Ethernet frames announcing an address, in the format keepalived sends (golden frames in
 * shared/vectors): a gratuitous ARP request and an unsolicited Neighbour Advertisement.
 */
final class AnnouncementFrames {
  static final int ETH_P_IP = 0x0800;
  static final int ETH_P_ARP = 0x0806;
  static final int ETH_P_IPV6 = 0x86dd;
  static final int ARP_FRAME_LENGTH = 42;
  static final int NA_FRAME_LENGTH = 86;

  /** ff02::1, all nodes (RFC 4291 §2.7.1). */
  private static final byte[] ALL_NODES = {
    (byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
  };

  /** 33:33 + the low 32 bits of ff02::1 (RFC 2464 §7). */
  private static final byte[] ALL_NODES_MAC = {0x33, 0x33, 0, 0, 0, 1};

  private AnnouncementFrames() {}

  /**
   * Gratuitous ARP (RFC 5227 §3 "ARP Announcement", RFC 826 packet): an ARP request (op 1) to the
   * Ethernet broadcast address, sender = target = the address, sender MAC = ours, target MAC
   * ff:ff:ff:ff:ff:ff as keepalived sends it (RFC 5227 would allow zero).
   */
  static byte[] gratuitousArp(MacAddress mac, Inet4Address address) {
    byte[] hw = mac.octets();
    byte[] ip = address.getAddress();
    byte[] bcast = MacAddress.BROADCAST.octets();
    return ByteBuffer.allocate(ARP_FRAME_LENGTH)
        .put(bcast)
        .put(hw)
        .putShort((short) ETH_P_ARP)
        .putShort((short) 1) // hardware type Ethernet
        .putShort((short) ETH_P_IP) // protocol type IPv4
        .put((byte) 6)
        .put((byte) 4)
        .putShort((short) 1) // op: request
        .put(hw)
        .put(ip)
        .put(bcast)
        .put(ip)
        .array();
  }

  /**
   * Unsolicited Neighbour Advertisement (RFC 4861 §4.4, §7.2.6): from the address itself to
   * ff02::1, hop limit 255, traffic class and flow label 0, flags Override only (Router and
   * Solicited clear), target = the address, with a Target Link-Layer Address option (type 2, length
   * 1 × 8 bytes).
   */
  static byte[] unsolicitedNeighbourAdvertisement(MacAddress mac, Inet6Address address) {
    byte[] hw = mac.octets();
    byte[] src = address.getAddress();
    int icmpLength = 32;
    ByteBuffer icmp =
        ByteBuffer.allocate(icmpLength)
            .put((byte) 136) // type: Neighbor Advertisement
            .put((byte) 0) // code
            .putShort((short) 0) // checksum, filled below
            .putInt(0x2000_0000) // R=0 S=0 O=1, reserved
            .put(src) // target address
            .put((byte) 2) // option: Target Link-Layer Address
            .put((byte) 1) // length in units of 8 octets
            .put(hw);
    byte[] body = icmp.array();
    int sum = icmpv6Checksum(src, ALL_NODES, body);
    body[2] = (byte) (sum >> 8);
    body[3] = (byte) sum;
    return ByteBuffer.allocate(NA_FRAME_LENGTH)
        .put(ALL_NODES_MAC)
        .put(hw)
        .putShort((short) ETH_P_IPV6)
        .putInt(0x6000_0000) // version 6, traffic class 0, flow label 0
        .putShort((short) icmpLength)
        .put((byte) 58) // next header: ICMPv6
        .put((byte) 255) // hop limit: RFC 4861 §7.1.2 requires 255
        .put(src)
        .put(ALL_NODES)
        .put(body)
        .array();
  }

  /**
   * RFC 4443 §2.3: the Internet checksum over the IPv6 pseudo-header (RFC 8200 §8.1) and message.
   */
  static int icmpv6Checksum(byte[] source, byte[] destination, byte[] message) {
    ByteBuffer pseudo =
        ByteBuffer.allocate(40 + message.length)
            .put(source)
            .put(destination)
            .putInt(message.length)
            .putInt(58)
            .put(message);
    return InternetChecksum.compute(pseudo.array());
  }
}
