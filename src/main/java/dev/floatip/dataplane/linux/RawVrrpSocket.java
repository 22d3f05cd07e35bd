package dev.floatip.dataplane.linux;

import static dev.floatip.dataplane.linux.LibC.*;

import dev.floatip.dataplane.AddressManager;
import dev.floatip.dataplane.Errno;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.PacketIo;
import dev.floatip.dataplane.ReceivedPacket;
import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * {@link PacketIo} over a raw IP socket for protocol 112 (raw(7), ip(7), ipv6(7)).
 *
 * <ul>
 *   <li>SO_BINDTODEVICE: only this interface's packets.
 *   <li>TTL / hop limit 255 for unicast and multicast (RFC 5798 §5.1.1.3, §5.1.2.3), multicast loop
 *       off, DSCP CS6 (TOS / traffic class 0xc0) as keepalived sends.
 *   <li>The source address goes in an IP_PKTINFO / IPV6_PKTINFO control message on every send
 *       rather than bind(2): a raw socket bound to an address only receives packets addressed to
 *       it, which would lose the multicast group and the unicast adverts to other local addresses.
 *   <li>IPv6: no IPV6_CHECKSUM (off by default for raw sockets other than ICMPv6): the VRRPv3
 *       checksum is the codec's; the hop limit and destination come from IPV6_RECVHOPLIMIT and
 *       IPV6_RECVPKTINFO control messages, since IPv6 raw sockets do not deliver the header.
 * </ul>
 */
final class RawVrrpSocket implements PacketIo {
  static final int IPPROTO_VRRP = 112;
  private static final int MAX_PACKET = 65_536;
  private static final int CONTROL = MessageHeader.space(20) + MessageHeader.space(4) + 64;

  private final NativeSocket socket;
  private final String interfaceName;
  private final int ifindex;
  private final IpFamily family;
  private final InetAddress source;
  private final MessageHeader receive;

  private RawVrrpSocket(
      NativeSocket socket, String interfaceName, int ifindex, IpFamily family, InetAddress source) {
    this.socket = socket;
    this.interfaceName = interfaceName;
    this.ifindex = ifindex;
    this.family = family;
    this.source = source;
    this.receive =
        new MessageHeader(
            SocketAddresses.SOCKADDR_IN6, MAX_PACKET, family == IpFamily.IPV6 ? CONTROL : 0);
  }

  static IoResult<PacketIo> open(Options options, AddressManager addresses) {
    String name = options.interfaceName();
    return addresses
        .link(name)
        .flatMap(
            link -> {
              IoResult<InetAddress> source =
                  options
                      .sourceAddress()
                      .map(IoResult::ok)
                      .orElseGet(() -> addresses.primaryAddress(name, options.family(), List.of()));
              return source.flatMap(src -> open(options, link.index(), src));
            });
  }

  private static IoResult<PacketIo> open(Options options, int ifindex, InetAddress source) {
    boolean v4 = options.family() == IpFamily.IPV4;
    String description = "raw " + options.family() + " proto 112 dev " + options.interfaceName();
    return NativeSocket.open(v4 ? AF_INET : AF_INET6, SOCK_RAW, IPPROTO_VRRP, description)
        .flatMap(
            s -> {
              IoResult<Void> setup =
                  s.bindToDevice(options.interfaceName())
                      .flatMap(
                          ok ->
                              v4
                                  ? configure4(s, options, ifindex, source)
                                  : configure6(s, options, ifindex))
                      .flatMap(ok -> s.setReceiveTimeout(options.receiveTimeout()));
              if (setup instanceof IoResult.Failed<Void> f) {
                s.close();
                return f.cast();
              }
              return IoResult.ok(
                  new RawVrrpSocket(s, options.interfaceName(), ifindex, options.family(), source));
            });
  }

  private static IoResult<Void> configure4(
      NativeSocket s, Options options, int ifindex, InetAddress source) {
    InetAddress any = SocketAddresses.inet(new byte[4]);
    IoResult<Void> r =
        s.setInt(IPPROTO_IP, IP_TTL, 255, "IP_TTL")
            .flatMap(ok -> s.setInt(IPPROTO_IP, IP_MULTICAST_TTL, 255, "IP_MULTICAST_TTL"))
            .flatMap(ok -> s.setInt(IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP"))
            .flatMap(ok -> s.setInt(IPPROTO_IP, IP_TOS, 0xc0, "IP_TOS"))
            .flatMap(
                ok ->
                    s.setOption(
                        IPPROTO_IP,
                        IP_MULTICAST_IF,
                        SocketAddresses.ipMreqn(any, source, ifindex),
                        "IP_MULTICAST_IF"));
    if (!options.joinMulticast()) {
      return r;
    }
    return r.flatMap(
        ok ->
            s.setOption(
                IPPROTO_IP,
                IP_ADD_MEMBERSHIP,
                SocketAddresses.ipMreqn(IpFamily.IPV4.multicastGroup(), any, ifindex),
                "IP_ADD_MEMBERSHIP 224.0.0.18"));
  }

  private static IoResult<Void> configure6(NativeSocket s, Options options, int ifindex) {
    IoResult<Void> r =
        s.setInt(IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255, "IPV6_UNICAST_HOPS")
            .flatMap(ok -> s.setInt(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255, "IPV6_MULTICAST_HOPS"))
            .flatMap(ok -> s.setInt(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP"))
            .flatMap(ok -> s.setInt(IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex, "IPV6_MULTICAST_IF"))
            .flatMap(ok -> s.setInt(IPPROTO_IPV6, IPV6_TCLASS, 0xc0, "IPV6_TCLASS"))
            .flatMap(ok -> s.setInt(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT"))
            .flatMap(ok -> s.setInt(IPPROTO_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO"));
    if (!options.joinMulticast()) {
      return r;
    }
    return r.flatMap(
        ok ->
            s.setOption(
                IPPROTO_IPV6,
                IPV6_ADD_MEMBERSHIP,
                SocketAddresses.ipv6Mreq(IpFamily.IPV6.multicastGroup(), ifindex),
                "IPV6_ADD_MEMBERSHIP ff02::12"));
  }

  @Override
  public String interfaceName() {
    return interfaceName;
  }

  @Override
  public IpFamily family() {
    return family;
  }

  @Override
  public InetAddress sourceAddress() {
    return source;
  }

  @Override
  public IoResult<Void> send(InetAddress destination, byte[] vrrpMessage) {
    String op = "send VRRP " + source.getHostAddress() + " -> " + destination.getHostAddress();
    if (!family.contains(destination)) {
      return IoResult.failed(Errno.EINVAL, op, "destination is not " + family);
    }
    boolean v4 = family == IpFamily.IPV4;
    byte[] name = SocketAddresses.sockaddr(destination, ifindex);
    byte[] pktinfo =
        v4
            ? SocketAddresses.inPktinfo(ifindex, source)
            : SocketAddresses.in6Pktinfo(ifindex, source);
    MessageHeader m =
        new MessageHeader(name.length, vrrpMessage.length, MessageHeader.space(pktinfo.length));
    m.name.write(0, name, 0, name.length);
    m.data.write(0, vrrpMessage, 0, vrrpMessage.length);
    m.putControl(v4 ? IPPROTO_IP : IPPROTO_IPV6, v4 ? IP_PKTINFO : IPV6_PKTINFO, pktinfo);
    return socket.use(op, fd -> Syscall.exec(op, () -> LibC.INSTANCE.sendmsg(fd, m.header, 0)));
  }

  @Override
  public synchronized IoResult<Optional<ReceivedPacket>> receive() {
    String op = "receive VRRP on " + interfaceName;
    receive.reset(SocketAddresses.SOCKADDR_IN6, MAX_PACKET, family == IpFamily.IPV6 ? CONTROL : 0);
    IoResult<Long> n =
        socket.use(op, fd -> Syscall.run(op, () -> LibC.INSTANCE.recvmsg(fd, receive.header, 0)));
    if (n instanceof IoResult.Failed<Long> f) {
      return f.errno() == Errno.EAGAIN || f.errno() == Errno.EINTR
          ? IoResult.ok(Optional.empty())
          : f.cast();
    }
    int length = (int) (long) n.orElseThrow();
    if ((receive.flags() & MSG_TRUNC) != 0) {
      return IoResult.failed(Errno.EBADMSG, op, "truncated packet");
    }
    byte[] bytes = receive.data.getByteArray(0, length);
    return family == IpFamily.IPV4 ? parse4(bytes, op) : parse6(bytes, op);
  }

  private IoResult<Optional<ReceivedPacket>> parse4(byte[] packet, String op) {
    return Ipv4Header.parse(packet, packet.length)
        .<IoResult<Optional<ReceivedPacket>>>map(
            h ->
                IoResult.ok(
                    Optional.of(
                        new ReceivedPacket(
                            h.source(), h.destination(), h.ttl(), h.payload(), interfaceName))))
        .orElseGet(() -> IoResult.failed(Errno.EBADMSG, op, "malformed IPv4 header"));
  }

  private IoResult<Optional<ReceivedPacket>> parse6(byte[] payload, String op) {
    if (receive.nameLength() < SocketAddresses.SOCKADDR_IN6) {
      return IoResult.failed(Errno.EBADMSG, op, "no IPv6 source address");
    }
    InetAddress from = SocketAddresses.inet6(receive.name.getByteArray(0, 28), 8);
    int[] hopLimit = {-1};
    InetAddress[] to = {null};
    receive.forEachControl(
        (level, type, value) -> {
          if (level != IPPROTO_IPV6) {
            return;
          }
          if (type == IPV6_HOPLIMIT && value.length >= 4) {
            hopLimit[0] = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
          } else if (type == IPV6_PKTINFO && value.length >= 20) {
            to[0] = SocketAddresses.inet6(value, 0);
          }
        });
    if (to[0] == null) {
      return IoResult.failed(Errno.EBADMSG, op, "no IPV6_PKTINFO control message");
    }
    return IoResult.ok(
        Optional.of(new ReceivedPacket(from, to[0], hopLimit[0], payload, interfaceName)));
  }

  @Override
  public void close() {
    socket.close();
  }

  @Override
  public String toString() {
    return "RawVrrpSocket["
        + family
        + " "
        + interfaceName
        + " from "
        + source.getHostAddress()
        + "]";
  }
}
