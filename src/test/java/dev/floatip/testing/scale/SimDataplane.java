package dev.floatip.testing.scale;

import dev.floatip.dataplane.AddressManager;
import dev.floatip.dataplane.Announcer;
import dev.floatip.dataplane.Dataplane;
import dev.floatip.dataplane.Errno;
import dev.floatip.dataplane.InterfaceAddress;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.LinkEvent;
import dev.floatip.dataplane.LinkInfo;
import dev.floatip.dataplane.LinkMonitor;
import dev.floatip.dataplane.OperState;
import dev.floatip.dataplane.PacketIo;
import dev.floatip.dataplane.ReceivedPacket;
import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A simulated node's dataplane on a {@link SimLan}: one interface {@code eth0} with one IPv4
 * address, a VRRP socket whose packets travel over the segment, the virtual addresses kept in a set
 * (marked as floatip's, as Linux 6.3+ marks them), announcements counted, link down and up on
 * request. IPv4 only: the benchmark's VirtualIPs are IPv4.
 */
public final class SimDataplane implements Dataplane {

  static final String IFACE = "eth0";
  private static final int INDEX = 2;

  private final SimLan lan;
  private final InetAddress primary;
  private final int prefixLength;
  private final BlockingQueue<ReceivedPacket> inbound = new LinkedBlockingQueue<>();
  private final Set<InetAddress> virtual = ConcurrentHashMap.newKeySet();
  private final List<Consumer<LinkEvent>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean linkUp = true;

  SimDataplane(SimLan lan, InetAddress primary, int prefixLength) {
    this.lan = lan;
    this.primary = primary;
    this.prefixLength = prefixLength;
  }

  public InetAddress primary() {
    return primary;
  }

  public boolean linkUp() {
    return linkUp;
  }

  /** The virtual addresses the agent holds now. */
  public Set<InetAddress> virtualAddresses() {
    return Set.copyOf(virtual);
  }

  /** Takes the link down or up, and tells the agent as the kernel would (RTM_NEWLINK). */
  public void setLink(boolean up) {
    linkUp = up;
    inbound.clear();
    listeners.forEach(l -> l.accept(new LinkEvent.LinkChanged(link(), false)));
  }

  void inbound(ReceivedPacket packet) {
    inbound.add(packet);
  }

  private LinkInfo link() {
    int flags = linkUp ? LinkInfo.IFF_UP | LinkInfo.IFF_RUNNING | LinkInfo.IFF_LOWER_UP : 0;
    return new LinkInfo(
        INDEX, IFACE, Optional.empty(), flags, linkUp ? OperState.UP : OperState.DOWN, 1500);
  }

  @Override
  public IoResult<PacketIo> openPacketIo(PacketIo.Options options) {
    if (!IFACE.equals(options.interfaceName())) {
      return IoResult.failed(Errno.ENODEV, "open " + options.interfaceName());
    }
    if (options.family() != IpFamily.IPV4) {
      return IoResult.failed(Errno.EADDRNOTAVAIL, "open", "the simulated node is IPv4 only");
    }
    Duration timeout = options.receiveTimeout();
    return IoResult.ok(
        new PacketIo() {
          private volatile boolean closed;

          @Override
          public String interfaceName() {
            return IFACE;
          }

          @Override
          public IpFamily family() {
            return IpFamily.IPV4;
          }

          @Override
          public InetAddress sourceAddress() {
            return options.sourceAddress().orElse(primary);
          }

          @Override
          public IoResult<Void> send(InetAddress destination, byte[] message) {
            if (closed) {
              return IoResult.failed(Errno.EBADF, "send", "socket closed");
            }
            lan.send(SimDataplane.this, destination, message);
            return IoResult.ok();
          }

          @Override
          public IoResult<Optional<ReceivedPacket>> receive() {
            if (closed) {
              return IoResult.failed(Errno.EBADF, "receive", "socket closed");
            }
            try {
              return IoResult.ok(
                  Optional.ofNullable(inbound.poll(timeout.toMillis(), TimeUnit.MILLISECONDS)));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return IoResult.ok(Optional.empty());
            }
          }

          @Override
          public void close() {
            closed = true;
          }
        });
  }

  @Override
  public AddressManager addresses() {
    return new AddressManager() {
      @Override
      public IoResult<LinkInfo> link(String name) {
        return IFACE.equals(name)
            ? IoResult.ok(SimDataplane.this.link())
            : IoResult.failed(Errno.ENODEV, "link " + name);
      }

      @Override
      public IoResult<List<InterfaceAddress>> list(String name) {
        if (!IFACE.equals(name)) {
          return IoResult.failed(Errno.ENODEV, "list " + name);
        }
        List<InterfaceAddress> out = new ArrayList<>();
        out.add(new InterfaceAddress(INDEX, primary, prefixLength, 0, 0, Optional.empty()));
        virtual.forEach(
            a ->
                out.add(
                    new InterfaceAddress(
                        INDEX, a, 32, 0, 0, Optional.empty(), InterfaceAddress.FLOATIP_PROTOCOL)));
        return IoResult.ok(out);
      }

      @Override
      public IoResult<Map<String, List<InterfaceAddress>>> listAll() {
        Map<String, List<InterfaceAddress>> all = new LinkedHashMap<>();
        all.put(IFACE, list(IFACE).orElseThrow());
        return IoResult.ok(all);
      }

      @Override
      public IoResult<Void> add(String name, AddressSpec spec) {
        virtual.add(spec.address());
        return IoResult.ok();
      }

      @Override
      public IoResult<Void> remove(String name, InetAddress address) {
        virtual.remove(address);
        return IoResult.ok();
      }

      @Override
      public boolean marksAddresses() {
        return true;
      }
    };
  }

  @Override
  public Announcer announcer() {
    return (name, address) -> IoResult.ok();
  }

  @Override
  public LinkMonitor linkMonitor() {
    return listener -> {
      listeners.add(listener);
      return IoResult.ok(() -> listeners.remove(listener));
    };
  }

  @Override
  public void close() {}
}
