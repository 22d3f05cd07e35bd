package dev.floatip.dataplane.linux;

import dev.floatip.dataplane.AddressManager;
import dev.floatip.dataplane.Announcer;
import dev.floatip.dataplane.Dataplane;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.LinkMonitor;
import dev.floatip.dataplane.PacketIo;

/**
 * The Linux {@link Dataplane}: rtnetlink for addresses, links and events, raw IP sockets for VRRP,
 * AF_PACKET for announcements. Everything, including sockets opened later from other threads,
 * belongs to the network namespace of the thread that called {@link #open()}. Needs CAP_NET_ADMIN
 * and CAP_NET_RAW.
 */
public final class LinuxDataplane implements Dataplane {
  private final NamespaceBinding namespace;
  private final NetlinkAddressManager addresses;
  private final PacketAnnouncer announcer;
  private final NetlinkLinkMonitor linkMonitor;

  private LinuxDataplane(NetlinkRequester netlink) {
    this.namespace = NamespaceBinding.current();
    this.addresses = new NetlinkAddressManager(netlink);
    this.announcer = new PacketAnnouncer(addresses, namespace);
    this.linkMonitor = new NetlinkLinkMonitor(addresses, namespace);
  }

  /** Opens the rtnetlink request socket (and tries the packet socket, see {@link Announcer}). */
  public static IoResult<LinuxDataplane> open() {
    return NetlinkRequester.open().map(LinuxDataplane::new);
  }

  @Override
  public IoResult<PacketIo> openPacketIo(PacketIo.Options options) {
    return namespace.run("open " + options, () -> RawVrrpSocket.open(options, addresses));
  }

  @Override
  public AddressManager addresses() {
    return addresses;
  }

  @Override
  public Announcer announcer() {
    return announcer;
  }

  @Override
  public LinkMonitor linkMonitor() {
    return linkMonitor;
  }

  @Override
  public void close() {
    announcer.close();
    addresses.close();
    namespace.close();
  }
}
