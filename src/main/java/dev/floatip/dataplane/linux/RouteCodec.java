package dev.floatip.dataplane.linux;

import static dev.floatip.dataplane.linux.Rtnetlink.*;

import dev.floatip.dataplane.AddressManager.AddressSpec;
import dev.floatip.dataplane.InterfaceAddress;
import dev.floatip.dataplane.LinkInfo;
import dev.floatip.dataplane.MacAddress;
import dev.floatip.dataplane.OperState;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Encodes and decodes the rtnetlink messages of rtnetlink(7): ifaddrmsg (8 bytes: family u8,
 * prefixlen u8, flags u8, scope u8, index u32) and ifinfomsg (16 bytes: family u8, pad u8, type
 * u16, index i32, flags u32, change u32), both host order; addresses in attributes are network
 * order.
 */
final class RouteCodec {
  static final int IFADDRMSG_LENGTH = 8;
  static final int IFINFOMSG_LENGTH = 16;

  private RouteCodec() {}

  static int family(InetAddress address) {
    return address instanceof Inet4Address ? AF_INET : AF_INET6;
  }

  /** RTM_GETADDR dump of all addresses (filtered by the caller; older kernels ignore filters). */
  static byte[] getAddresses(int sequence) {
    return new NetlinkMessage.Builder(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, sequence)
        .u8(AF_UNSPEC)
        .u8(0)
        .u8(0)
        .u8(0)
        .u32(0)
        .build();
  }

  /**
   * RTM_NEWADDR with NLM_F_CREATE|NLM_F_REPLACE (add, or refresh when present) and NLM_F_ACK. IPv4
   * gets IFA_LOCAL and IFA_ADDRESS (equal: not point-to-point) and the optional IFA_LABEL; IPv6
   * gets IFA_ADDRESS and IFA_F_NODAD. Both get IFA_PROTO {@link InterfaceAddress#FLOATIP_PROTOCOL}:
   * the kernel's mark of an address floatip added.
   */
  static byte[] newAddress(int sequence, int ifindex, AddressSpec spec) {
    boolean v4 = spec.address() instanceof Inet4Address;
    int flags = v4 ? 0 : InterfaceAddress.IFA_F_NODAD;
    var b =
        new NetlinkMessage.Builder(
                RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE, sequence)
            .u8(family(spec.address()))
            .u8(spec.prefixLength())
            .u8(flags)
            .u8(InterfaceAddress.RT_SCOPE_UNIVERSE)
            .u32(ifindex);
    byte[] addr = spec.address().getAddress();
    if (v4) {
      b.attribute(IFA_LOCAL, addr).attribute(IFA_ADDRESS, addr);
      spec.label().ifPresent(l -> b.attributeString(IFA_LABEL, l));
    } else {
      b.attribute(IFA_ADDRESS, addr).attributeU32(IFA_FLAGS, flags);
    }
    // older kernels ignore the attribute (RTM_NEWADDR is parsed leniently): no marker, no error
    b.attribute(IFA_PROTO, new byte[] {(byte) InterfaceAddress.FLOATIP_PROTOCOL});
    return b.build();
  }

  /**
   * RTM_DELADDR for one entry. IPv4 matches on IFA_LOCAL and, with IFA_ADDRESS, on the prefix
   * length; IPv6 always matches the prefix length.
   */
  static byte[] deleteAddress(int sequence, int ifindex, InetAddress address, int prefixLength) {
    boolean v4 = address instanceof Inet4Address;
    var b =
        new NetlinkMessage.Builder(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, sequence)
            .u8(family(address))
            .u8(prefixLength)
            .u8(0)
            .u8(0)
            .u32(ifindex);
    if (v4) {
      b.attribute(IFA_LOCAL, address.getAddress());
    }
    b.attribute(IFA_ADDRESS, address.getAddress());
    return b.build();
  }

  /** RTM_GETLINK for one interface by name (index 0 + IFLA_IFNAME); ENODEV when absent. */
  static byte[] getLink(int sequence, String name) {
    return new NetlinkMessage.Builder(RTM_GETLINK, NLM_F_REQUEST, sequence)
        .u8(AF_UNSPEC)
        .u8(0)
        .u16(0)
        .u32(0)
        .u32(0)
        .u32(0)
        .attributeString(IFLA_IFNAME, name)
        .build();
  }

  /** RTM_GETLINK dump of every interface. */
  static byte[] getLinks(int sequence) {
    return new NetlinkMessage.Builder(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, sequence)
        .u8(AF_UNSPEC)
        .u8(0)
        .u16(0)
        .u32(0)
        .u32(0)
        .u32(0)
        .build();
  }

  /** RTM_GETLINK for one interface by index. */
  static byte[] getLink(int sequence, int index) {
    return new NetlinkMessage.Builder(RTM_GETLINK, NLM_F_REQUEST, sequence)
        .u8(AF_UNSPEC)
        .u8(0)
        .u16(0)
        .u32(index)
        .u32(0)
        .u32(0)
        .build();
  }

  /** Decodes RTM_NEWADDR / RTM_DELADDR; empty for other families or a message without address. */
  static Optional<InterfaceAddress> decodeAddress(NetlinkMessage m) {
    ByteBuffer p = m.payload();
    if (p.limit() < IFADDRMSG_LENGTH) {
      return Optional.empty();
    }
    int family = Byte.toUnsignedInt(p.get(0));
    if (family != AF_INET && family != AF_INET6) {
      return Optional.empty();
    }
    int prefix = Byte.toUnsignedInt(p.get(1));
    int headerFlags = Byte.toUnsignedInt(p.get(2));
    int scope = Byte.toUnsignedInt(p.get(3));
    int index = p.getInt(4);
    Map<Integer, byte[]> attrs = m.attributes(IFADDRMSG_LENGTH);
    byte[] raw = attrs.containsKey(IFA_LOCAL) ? attrs.get(IFA_LOCAL) : attrs.get(IFA_ADDRESS);
    if (raw == null || raw.length != (family == AF_INET ? 4 : 16)) {
      return Optional.empty(); // an address of another family than ifa_family names
    }
    byte[] wide = attrs.get(IFA_FLAGS);
    int flags =
        wide != null && wide.length == 4
            ? ByteBuffer.wrap(wide).order(NetlinkMessage.ORDER).getInt()
            : headerFlags;
    Optional<String> label = Optional.ofNullable(attrs.get(IFA_LABEL)).map(RouteCodec::string);
    byte[] proto = attrs.get(IFA_PROTO);
    int protocol = proto != null && proto.length >= 1 ? Byte.toUnsignedInt(proto[0]) : 0;
    return address(raw)
        .map(a -> new InterfaceAddress(index, a, prefix, flags, scope, label, protocol));
  }

  /** Decodes RTM_NEWLINK / RTM_DELLINK. */
  static Optional<LinkInfo> decodeLink(NetlinkMessage m) {
    ByteBuffer p = m.payload();
    if (p.limit() < IFINFOMSG_LENGTH) {
      return Optional.empty();
    }
    int index = p.getInt(4);
    int flags = p.getInt(8);
    Map<Integer, byte[]> attrs = m.attributes(IFINFOMSG_LENGTH);
    String name = Optional.ofNullable(attrs.get(IFLA_IFNAME)).map(RouteCodec::string).orElse("");
    Optional<MacAddress> mac =
        Optional.ofNullable(attrs.get(IFLA_ADDRESS)).filter(a -> a.length == 6).map(MacAddress::of);
    OperState oper =
        Optional.ofNullable(attrs.get(IFLA_OPERSTATE))
            .filter(a -> a.length >= 1)
            .map(a -> OperState.of(Byte.toUnsignedInt(a[0])))
            .orElse(OperState.UNKNOWN);
    int mtu =
        Optional.ofNullable(attrs.get(IFLA_MTU))
            .filter(a -> a.length == 4)
            .map(a -> ByteBuffer.wrap(a).order(NetlinkMessage.ORDER).getInt())
            .orElse(0);
    return Optional.of(new LinkInfo(index, name, mac, flags, oper, mtu));
  }

  /**
   * An NLMSG_ERROR payload: int error (0 = ACK, else -errno), the request's header (and body unless
   * NLM_F_CAPPED), then extended-ack TLVs when NLM_F_ACK_TLVS is set.
   */
  record Ack(int errno, int sequence, String message) {}

  static Ack decodeError(NetlinkMessage m) {
    ByteBuffer p = m.payload();
    int error = p.limit() >= 4 ? p.getInt(0) : -Rtnetlink.NLMSG_ERROR;
    String text = "";
    if ((m.flags() & NLM_F_ACK_TLVS) != 0 && p.limit() >= 4 + NetlinkMessage.HEADER_LENGTH) {
      int origLength = p.getInt(4);
      int offset =
          4
              + ((m.flags() & NLM_F_CAPPED) != 0
                  ? NetlinkMessage.HEADER_LENGTH
                  : NetlinkMessage.align(origLength));
      // a request length below a header, or one whose alignment overflows, leaves no TLVs to read
      if (offset >= 4 + NetlinkMessage.HEADER_LENGTH && offset <= p.limit()) {
        byte[] msg = NetlinkMessage.attributes(p, offset).get(NLMSGERR_ATTR_MSG);
        text = msg == null ? "" : string(msg);
      }
    }
    return new Ack(-error, m.sequence(), text);
  }

  static String string(byte[] zeroTerminated) {
    int n = 0;
    while (n < zeroTerminated.length && zeroTerminated[n] != 0) {
      n++;
    }
    return new String(zeroTerminated, 0, n, StandardCharsets.US_ASCII);
  }

  static Optional<InetAddress> address(byte[] raw) {
    if (raw.length != 4 && raw.length != 16) {
      return Optional.empty();
    }
    try {
      // an IPv6 address stays IPv6: InetAddress.getByAddress would turn ::ffff:a.b.c.d into IPv4
      return Optional.of(
          raw.length == 4
              ? InetAddress.getByAddress(raw)
              : Inet6Address.getByAddress(null, raw, -1));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
