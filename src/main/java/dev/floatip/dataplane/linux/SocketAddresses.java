package dev.floatip.dataplane.linux;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Byte layouts of the socket structures (LP64 Linux). sa_family and ifindex fields are host order;
 * ports and addresses are network order (ip(7), ipv6(7), packet(7)).
 */
final class SocketAddresses {
  static final int SOCKADDR_IN = 16;
  static final int SOCKADDR_IN6 = 28;

  private SocketAddresses() {}

  /** sockaddr_in / sockaddr_in6; {@code scopeId} is used for link-local IPv6 destinations. */
  static byte[] sockaddr(InetAddress address, int scopeId) {
    if (address instanceof Inet4Address) {
      ByteBuffer b = NativeSocket.nativeBytes(SOCKADDR_IN);
      b.putShort((short) LibC.AF_INET).putShort((short) 0).put(address.getAddress());
      return b.array();
    }
    Inet6Address a6 = (Inet6Address) address;
    boolean linkScoped = a6.isLinkLocalAddress() || a6.isMCLinkLocal();
    return NativeSocket.nativeBytes(SOCKADDR_IN6)
        .putShort((short) LibC.AF_INET6)
        .putShort((short) 0) // port: 0, the socket's protocol (raw(7))
        .putInt(0) // flow info
        .put(address.getAddress())
        .putInt(linkScoped ? scopeId : 0)
        .array();
  }

  /** struct ip_mreqn {in_addr multiaddr; in_addr address; int ifindex} (12 bytes). */
  static byte[] ipMreqn(InetAddress group, InetAddress local, int ifindex) {
    return NativeSocket.nativeBytes(12)
        .put(group.getAddress())
        .put(local.getAddress())
        .putInt(ifindex)
        .array();
  }

  /** struct ipv6_mreq {in6_addr multiaddr; unsigned ifindex} (20 bytes). */
  static byte[] ipv6Mreq(InetAddress group, int ifindex) {
    return NativeSocket.nativeBytes(20).put(group.getAddress()).putInt(ifindex).array();
  }

  /** struct in_pktinfo {int ifindex; in_addr spec_dst; in_addr addr} (12 bytes). */
  static byte[] inPktinfo(int ifindex, InetAddress source) {
    return NativeSocket.nativeBytes(12)
        .putInt(ifindex)
        .put(source.getAddress())
        .put(new byte[4])
        .array();
  }

  /** struct in6_pktinfo {in6_addr addr; unsigned ifindex} (20 bytes). */
  static byte[] in6Pktinfo(int ifindex, InetAddress source) {
    return NativeSocket.nativeBytes(20).put(source.getAddress()).putInt(ifindex).array();
  }

  /** struct sockaddr_ll for sending (packet(7)): 20 bytes; protocol in network order. */
  static byte[] sockaddrLl(int protocol, int ifindex, byte[] destinationMac) {
    ByteBuffer b = NativeSocket.nativeBytes(20).putShort((short) LibC.AF_PACKET);
    b.order(java.nio.ByteOrder.BIG_ENDIAN).putShort((short) protocol);
    return b.order(java.nio.ByteOrder.nativeOrder())
        .putInt(ifindex)
        .putShort((short) 0) // hatype
        .put((byte) 0) // pkttype
        .put((byte) destinationMac.length)
        .put(Arrays.copyOf(destinationMac, 8))
        .array();
  }

  static InetAddress inet(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
