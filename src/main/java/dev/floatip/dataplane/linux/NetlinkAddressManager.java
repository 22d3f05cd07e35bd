package dev.floatip.dataplane.linux;

import dev.floatip.dataplane.AddressManager;
import dev.floatip.dataplane.Errno;
import dev.floatip.dataplane.InterfaceAddress;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.LinkInfo;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AddressManager} over rtnetlink (rtnetlink(7)); never shells out to ip(8). */
final class NetlinkAddressManager implements AddressManager, AutoCloseable {
  private final NetlinkRequester netlink;

  private final boolean marks;

  NetlinkAddressManager(NetlinkRequester netlink) {
    this(netlink, KernelVersion.atLeast(System.getProperty("os.version", ""), 6, 3));
  }

  NetlinkAddressManager(NetlinkRequester netlink, boolean marks) {
    this.netlink = netlink;
    this.marks = marks;
  }

  /** IFA_PROTO came with Linux 6.3 (commit 47f0bd503210, "net: Add new protocol attribute"). */
  @Override
  public boolean marksAddresses() {
    return marks;
  }

  @Override
  public IoResult<LinkInfo> link(String interfaceName) {
    if (interfaceName.isEmpty() || interfaceName.length() > Rtnetlink.MAX_NAME) {
      return IoResult.failed(Errno.ENODEV, "RTM_GETLINK " + interfaceName, "invalid name");
    }
    return single(
        netlink.request(
            seq -> RouteCodec.getLink(seq, interfaceName), "RTM_GETLINK " + interfaceName),
        "RTM_GETLINK " + interfaceName);
  }

  IoResult<LinkInfo> link(int index) {
    return single(
        netlink.request(seq -> RouteCodec.getLink(seq, index), "RTM_GETLINK index " + index),
        "RTM_GETLINK index " + index);
  }

  private static IoResult<LinkInfo> single(IoResult<List<NetlinkMessage>> reply, String op) {
    return reply.flatMap(
        ms ->
            ms.stream()
                .filter(m -> m.type() == Rtnetlink.RTM_NEWLINK)
                .findFirst()
                .flatMap(RouteCodec::decodeLink)
                .<IoResult<LinkInfo>>map(IoResult::ok)
                .orElseGet(() -> IoResult.failed(Errno.ENODEV, op, "no RTM_NEWLINK in reply")));
  }

  @Override
  public IoResult<List<InterfaceAddress>> list(String interfaceName) {
    return link(interfaceName).flatMap(l -> list(l.index()));
  }

  IoResult<List<InterfaceAddress>> list(int index) {
    return netlink
        .request(RouteCodec::getAddresses, "RTM_GETADDR dump")
        .map(
            ms ->
                ms.stream()
                    .filter(m -> m.type() == Rtnetlink.RTM_NEWADDR)
                    .map(RouteCodec::decodeAddress)
                    .flatMap(Optional::stream)
                    .filter(a -> index < 0 || a.interfaceIndex() == index)
                    .toList());
  }

  @Override
  public IoResult<Map<String, List<InterfaceAddress>>> listAll() {
    IoResult<List<LinkInfo>> links =
        netlink
            .request(RouteCodec::getLinks, "RTM_GETLINK dump")
            .map(
                ms ->
                    ms.stream()
                        .filter(m -> m.type() == Rtnetlink.RTM_NEWLINK)
                        .map(RouteCodec::decodeLink)
                        .flatMap(Optional::stream)
                        .toList());
    return links.flatMap(
        all ->
            list(-1)
                .map(
                    addresses -> {
                      Map<String, List<InterfaceAddress>> out = new LinkedHashMap<>();
                      for (LinkInfo link : all) {
                        out.put(
                            link.name(),
                            addresses.stream()
                                .filter(a -> a.interfaceIndex() == link.index())
                                .toList());
                      }
                      return out;
                    }));
  }

  @Override
  public IoResult<Void> add(String interfaceName, AddressSpec spec) {
    String op = "RTM_NEWADDR " + spec + " dev " + interfaceName;
    if (spec.label().isPresent()) {
      String label = spec.label().get();
      if (spec.address() instanceof Inet6Address) {
        return IoResult.failed(Errno.EINVAL, op, "address labels are IPv4 only");
      }
      // The kernel rejects labels that do not start with the device name (devinet.c).
      if (!label.startsWith(interfaceName) || label.length() > Rtnetlink.MAX_NAME) {
        return IoResult.failed(
            Errno.EINVAL,
            op,
            "label must start with the interface name and have at most "
                + Rtnetlink.MAX_NAME
                + " characters");
      }
    }
    return link(interfaceName)
        .flatMap(l -> netlink.request(seq -> RouteCodec.newAddress(seq, l.index(), spec), op))
        .map(ignored -> null);
  }

  @Override
  public IoResult<Void> remove(String interfaceName, InetAddress address) {
    return link(interfaceName).flatMap(l -> remove(l.index(), interfaceName, address));
  }

  private IoResult<Void> remove(int index, String interfaceName, InetAddress address) {
    IoResult<List<InterfaceAddress>> present = list(index);
    if (present instanceof IoResult.Failed<List<InterfaceAddress>> f) {
      return f.cast();
    }
    for (InterfaceAddress a : present.orElseThrow()) {
      if (!a.address().equals(address) || (marks && !a.addedByFloatip())) {
        continue; // never an address floatip did not add
      }
      String op = "RTM_DELADDR " + a + " dev " + interfaceName;
      IoResult<List<NetlinkMessage>> r =
          netlink.request(
              seq -> RouteCodec.deleteAddress(seq, index, address, a.prefixLength()), op);
      // EADDRNOTAVAIL: someone else removed it between the dump and the delete.
      if (r instanceof IoResult.Failed<List<NetlinkMessage>> f
          && f.errno() != Errno.EADDRNOTAVAIL) {
        return f.cast();
      }
    }
    return IoResult.ok();
  }

  @Override
  public void close() {
    netlink.close();
  }
}
