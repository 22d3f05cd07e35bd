package dev.floatip.dataplane.linux;

import dev.floatip.dataplane.AddressManager;
import dev.floatip.dataplane.Announcer;
import dev.floatip.dataplane.Errno;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.LinkInfo;
import dev.floatip.dataplane.MacAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * {@link Announcer} that writes whole Ethernet frames to an AF_PACKET socket (packet(7)). Both the
 * gratuitous ARP and the Neighbour Advertisement are built here, so the NA's source can be the
 * virtual address whatever the kernel's source selection would pick. The socket is opened with
 * protocol 0: it sends but receives nothing.
 */
final class PacketAnnouncer implements Announcer, AutoCloseable {
  private final AddressManager addresses;
  private final NamespaceBinding namespace;
  private NativeSocket socket;
  private boolean closed;

  /**
   * Opens the packet socket now, so that it belongs to the caller's network namespace; if that
   * fails (no CAP_NET_RAW), each announcement retries and reports the error.
   */
  PacketAnnouncer(AddressManager addresses, NamespaceBinding namespace) {
    this.addresses = addresses;
    this.namespace = namespace;
    socket();
  }

  @Override
  public IoResult<Void> announce(String interfaceName, InetAddress address) {
    String op = "announce " + address.getHostAddress() + " on " + interfaceName;
    return addresses.link(interfaceName).flatMap(link -> send(link, address, op));
  }

  private IoResult<Void> send(LinkInfo link, InetAddress address, String op) {
    if (link.hardwareAddress().isEmpty()) {
      return IoResult.failed(Errno.EOPNOTSUPP, op, "the interface has no Ethernet address");
    }
    MacAddress mac = link.hardwareAddress().get();
    byte[] frame;
    int protocol;
    if (address instanceof Inet4Address a4) {
      frame = AnnouncementFrames.gratuitousArp(mac, a4);
      protocol = AnnouncementFrames.ETH_P_ARP;
    } else {
      frame = AnnouncementFrames.unsolicitedNeighbourAdvertisement(mac, (Inet6Address) address);
      protocol = AnnouncementFrames.ETH_P_IPV6;
    }
    byte[] destination = java.util.Arrays.copyOfRange(frame, 0, 6);
    byte[] sll = SocketAddresses.sockaddrLl(protocol, link.index(), destination);
    return socket()
        .flatMap(
            s ->
                s.use(
                    op,
                    fd ->
                        Syscall.exec(
                            op, () -> LibC.sendto(fd, frame, frame.length, 0, sll, sll.length))));
  }

  private synchronized IoResult<NativeSocket> socket() {
    if (closed) {
      return IoResult.failed(Errno.EBADF, "announcer", "closed");
    }
    if (socket == null) {
      IoResult<NativeSocket> opened =
          namespace.run(
              "socket(AF_PACKET)",
              () -> NativeSocket.open(LibC.AF_PACKET, LibC.SOCK_RAW, 0, "packet (send only)"));
      if (opened instanceof IoResult.Ok<NativeSocket> ok) {
        socket = ok.value();
      }
      return opened;
    }
    return IoResult.ok(socket);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (socket != null) {
      socket.close();
    }
  }
}
