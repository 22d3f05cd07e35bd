package dev.floatip.agent;

import dev.floatip.config.IpLiteral;
import dev.floatip.dataplane.AddressManager;
import dev.floatip.dataplane.Announcer;
import dev.floatip.dataplane.Dataplane;
import dev.floatip.dataplane.InterfaceAddress;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.LinkEvent;
import dev.floatip.dataplane.LinkInfo;
import dev.floatip.dataplane.LinkMonitor;
import dev.floatip.dataplane.OperState;
import dev.floatip.dataplane.PacketIo;
import dev.floatip.dataplane.ReceivedPacket;
import dev.floatip.vrrp.DecodeResult;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.VrrpCodec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** An in-memory node with one interface {@code eth0}, recording what the agent does to it. */
final class FakeDataplane implements Dataplane {

  static final String IFACE = "eth0";
  static final InetAddress PRIMARY = IpLiteral.parse("192.0.2.11").orElseThrow();

  /** An advert the agent sent, decoded. */
  record Sent(InetAddress destination, DecodeResult decoded) {}

  /** Addresses the agent added (the kernel's IFA_PROTO mark says floatip). */
  final Set<InetAddress> addresses = ConcurrentHashMap.newKeySet();

  /** The last spec (prefix, label) each address was added with. */
  final Map<InetAddress, AddressManager.AddressSpec> addedSpecs = new ConcurrentHashMap<>();

  /** Addresses someone else added: the node's own, an administrator's (no floatip mark). */
  final Set<InetAddress> foreign = ConcurrentHashMap.newKeySet();

  /** Every address the agent asked to remove, in order. */
  final List<InetAddress> removeCalls = new CopyOnWriteArrayList<>();

  final List<Sent> sent = new CopyOnWriteArrayList<>();
  final List<InetAddress> announced = new CopyOnWriteArrayList<>();

  /** Packets the sockets receive next (another router's adverts on the segment). */
  final BlockingQueue<ReceivedPacket> inbound = new LinkedBlockingQueue<>();

  /** When set, sends wait until it opens (a slow worker); {@link #sendsWaiting} counts them. */
  volatile CountDownLatch blockSends;

  final AtomicInteger sendsWaiting = new AtomicInteger();

  /** Address adds of these addresses wait until the latch opens. */
  final Map<InetAddress, CountDownLatch> blockAdd = new ConcurrentHashMap<>();

  private final List<Consumer<LinkEvent>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean linkUp = true;

  void setLink(boolean up) {
    linkUp = up;
    listeners.forEach(l -> l.accept(new LinkEvent.LinkChanged(link(), false)));
  }

  void removeExternally(InetAddress address) {
    addresses.remove(address);
    listeners.forEach(
        l ->
            l.accept(
                new LinkEvent.AddressRemoved(
                    IFACE, new InterfaceAddress(2, address, 32, 0, 0, Optional.empty()))));
  }

  List<Sent> sentWithPriority(int priority) {
    return sent.stream()
        .filter(
            s ->
                s.decoded() instanceof DecodeResult.Decoded d
                    && d.advertisement().priority() == priority)
        .toList();
  }

  private LinkInfo link() {
    int flags = linkUp ? LinkInfo.IFF_UP | LinkInfo.IFF_RUNNING | LinkInfo.IFF_LOWER_UP : 0;
    return new LinkInfo(
        2, IFACE, Optional.empty(), flags, linkUp ? OperState.UP : OperState.DOWN, 1500);
  }

  @Override
  public IoResult<PacketIo> openPacketIo(PacketIo.Options options) {
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
            return PRIMARY;
          }

          @Override
          public IoResult<Void> send(InetAddress destination, byte[] message) {
            CountDownLatch gate = blockSends;
            if (gate != null) {
              sendsWaiting.incrementAndGet();
              try {
                gate.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            if (closed) {
              return IoResult.failed(9, "send", "socket closed"); // EBADF
            }
            sent.add(new Sent(destination, VrrpCodec.decode(message, PRIMARY, destination)));
            return IoResult.ok();
          }

          @Override
          public IoResult<Optional<ReceivedPacket>> receive() {
            try {
              return IoResult.ok(Optional.ofNullable(inbound.poll(50, TimeUnit.MILLISECONDS)));
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
        return IoResult.ok(FakeDataplane.this.link());
      }

      @Override
      public IoResult<List<InterfaceAddress>> list(String name) {
        List<InterfaceAddress> out = new ArrayList<>();
        out.add(new InterfaceAddress(2, PRIMARY, 24, 0, 0, Optional.empty()));
        foreign.forEach(a -> out.add(new InterfaceAddress(2, a, 32, 1, 0, Optional.empty())));
        addresses.forEach(
            a ->
                out.add(
                    new InterfaceAddress(
                        2, a, 32, 1, 0, Optional.empty(), InterfaceAddress.FLOATIP_PROTOCOL)));
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
        CountDownLatch gate = blockAdd.get(spec.address());
        if (gate != null) {
          try {
            gate.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        addedSpecs.put(spec.address(), spec);
        addresses.add(spec.address());
        return IoResult.ok();
      }

      @Override
      public IoResult<Void> remove(String name, InetAddress address) {
        removeCalls.add(address);
        addresses.remove(address); // as the kernel: only entries with floatip's mark
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
    return (name, address) -> {
      announced.add(address);
      return IoResult.ok();
    };
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
