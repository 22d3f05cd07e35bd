package dev.floatip.dataplane.linux;

import static dev.floatip.dataplane.linux.LibC.*;

import com.sun.jna.LastErrorException;
import dev.floatip.dataplane.AddressManager;
import dev.floatip.dataplane.Errno;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.PacketIo;
import dev.floatip.dataplane.ReceivedPacket;
import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
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
 *
 * <p>The steady state allocates no native memory: each direction has one {@link MessageHeader},
 * made when the socket opens (the send side's source control message is written once), and a
 * receive waits in poll(2) ({@link NativeSocket#awaitReadable}), so neither a send nor an idle
 * receive allocates or throws.
 */
final class RawVrrpSocket implements PacketIo {
  static final int IPPROTO_VRRP = 112;
  private static final int MAX_PACKET = 65_536;
  private static final int CONTROL = MessageHeader.space(20) + MessageHeader.space(4) + 64;

  /**
   * The largest VRRP message: 8-byte header, 255 IPv6 addresses, 8 bytes of VRRPv2 authentication
   * (RFC 3768 §5.1, RFC 5798 §5.1): 4 096 bytes.
   */
  static final int MAX_MESSAGE = 8 + 255 * 16 + 8;

  private static final IoResult<Optional<ReceivedPacket>> NOTHING = IoResult.ok(Optional.empty());

  private final NativeSocket socket;
  private final String interfaceName;
  private final int ifindex;
  private final IpFamily family;
  private final InetAddress source;
  private final int timeoutMillis;

  /** Guarded by {@code this} (one receiver). */
  private final MessageHeader receive;

  /** The IPv4 packet copied out of {@link #receive} for parsing. Guarded by {@code this}. */
  private final byte[] packet;

  /** Guarded by itself (senders on several threads). */
  private final MessageHeader send;

  /** What the last IPv6 packet's control messages held. Guarded by {@code this}. */
  private int hopLimit;

  private int pktinfoOffset;
  private final MessageHeader.ControlVisitor controlVisitor = this::control6;

  /** The address {@link #send}'s name holds; rewritten when a send goes elsewhere. */
  private InetAddress sendName;

  private RawVrrpSocket(
      NativeSocket socket,
      String interfaceName,
      int ifindex,
      IpFamily family,
      InetAddress source,
      int timeoutMillis) {
    this.socket = socket;
    this.interfaceName = interfaceName;
    this.ifindex = ifindex;
    this.family = family;
    this.source = source;
    this.timeoutMillis = timeoutMillis;
    boolean v4 = family == IpFamily.IPV4;
    this.receive = new MessageHeader(SocketAddresses.SOCKADDR_IN6, MAX_PACKET, v4 ? 0 : CONTROL);
    this.packet = v4 ? new byte[MAX_PACKET] : null;
    byte[] pktinfo =
        v4
            ? SocketAddresses.inPktinfo(ifindex, source)
            : SocketAddresses.in6Pktinfo(ifindex, source);
    this.send =
        new MessageHeader(
            SocketAddresses.SOCKADDR_IN6, MAX_MESSAGE, MessageHeader.space(pktinfo.length));
    send.putControl(v4 ? IPPROTO_IP : IPPROTO_IPV6, v4 ? IP_PKTINFO : IPV6_PKTINFO, pktinfo);
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
                      .flatMap(ok -> s.enableWakeup());
              if (setup instanceof IoResult.Failed<Void> f) {
                s.close();
                return f.cast();
              }
              int timeout = (int) Math.clamp(options.receiveTimeout().toMillis(), 1, 86_400_000L);
              return IoResult.ok(
                  new RawVrrpSocket(
                      s, options.interfaceName(), ifindex, options.family(), source, timeout));
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
    if (!family.contains(destination)) {
      return IoResult.failed(
          Errno.EINVAL, sendOperation(destination), "destination is not " + family);
    }
    if (vrrpMessage.length > MAX_MESSAGE) {
      return IoResult.failed(
          Errno.EMSGSIZE,
          sendOperation(destination),
          vrrpMessage.length + " bytes, a VRRP message has at most " + MAX_MESSAGE);
    }
    synchronized (send) {
      if (!socket.acquire()) {
        return IoResult.failed(Errno.EBADF, sendOperation(destination), "socket closed");
      }
      try {
        if (!destination.equals(sendName)) {
          byte[] name = SocketAddresses.sockaddr(destination, ifindex);
          send.name.write(0, name, 0, name.length);
          send.nameLength(name.length);
          sendName = destination;
        }
        send.setData(vrrpMessage);
        LibC.sendmsg(socket.fd(), send.header, 0);
        return IoResult.ok();
      } catch (LastErrorException e) {
        return IoResult.failed(e.getErrorCode(), sendOperation(destination));
      } finally {
        socket.release();
      }
    }
  }

  /** The operation named in a send's error, built only when there is one. */
  private String sendOperation(InetAddress destination) {
    return "send VRRP " + source.getHostAddress() + " -> " + destination.getHostAddress();
  }

  @Override
  public synchronized IoResult<Optional<ReceivedPacket>> receive() {
    if (!socket.acquire()) {
      return IoResult.failed(Errno.EBADF, receiveOperation(), "socket closed");
    }
    int length;
    try {
      int ready = socket.awaitReadable(timeoutMillis);
      if (ready < 0) {
        return IoResult.failed(Errno.EBADF, receiveOperation(), "socket closed");
      }
      if (ready == 0) {
        return NOTHING;
      }
      receive.prepareReceive();
      length = (int) LibC.recvmsg(socket.fd(), receive.header, MSG_DONTWAIT);
    } catch (LastErrorException e) {
      return e.getErrorCode() == Errno.EAGAIN || e.getErrorCode() == Errno.EINTR
          ? NOTHING
          : IoResult.failed(e.getErrorCode(), receiveOperation());
    } finally {
      socket.release();
    }
    if ((receive.flags() & MSG_TRUNC) != 0) {
      return IoResult.failed(Errno.EBADMSG, receiveOperation(), "truncated packet");
    }
    return family == IpFamily.IPV4 ? parse4(length) : parse6(length);
  }

  private String receiveOperation() {
    return "receive VRRP on " + interfaceName;
  }

  private IoResult<Optional<ReceivedPacket>> parse4(int length) {
    receive.data.read(0, packet, 0, length);
    return Ipv4Header.parse(packet, length)
        .<IoResult<Optional<ReceivedPacket>>>map(
            h ->
                IoResult.ok(
                    Optional.of(
                        new ReceivedPacket(
                            h.source(), h.destination(), h.ttl(), h.payload(), interfaceName))))
        .orElseGet(
            () -> IoResult.failed(Errno.EBADMSG, receiveOperation(), "malformed IPv4 header"));
  }

  private IoResult<Optional<ReceivedPacket>> parse6(int length) {
    if (receive.nameLength() < SocketAddresses.SOCKADDR_IN6) {
      return IoResult.failed(Errno.EBADMSG, receiveOperation(), "no IPv6 source address");
    }
    hopLimit = -1;
    pktinfoOffset = -1;
    receive.forEachControl(controlVisitor);
    if (pktinfoOffset < 0) {
      return IoResult.failed(Errno.EBADMSG, receiveOperation(), "no IPV6_PKTINFO control message");
    }
    InetAddress from = SocketAddresses.inet(receive.name.getByteArray(8, 16));
    InetAddress to = SocketAddresses.inet(receive.control.getByteArray(pktinfoOffset, 16));
    byte[] payload = receive.data.getByteArray(0, length);
    return IoResult.ok(Optional.of(new ReceivedPacket(from, to, hopLimit, payload, interfaceName)));
  }

  private void control6(int level, int type, int offset, int length) {
    if (level != IPPROTO_IPV6) {
      return;
    }
    if (type == IPV6_HOPLIMIT && length >= 4) {
      hopLimit = receive.control.getInt(offset);
    } else if (type == IPV6_PKTINFO && length >= 20) {
      pktinfoOffset = offset;
    }
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
