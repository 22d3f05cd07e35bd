package dev.floatip.agent;

import dev.floatip.dataplane.Dataplane;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.PacketIo;
import dev.floatip.dataplane.ReceivedPacket;
import dev.floatip.vrrp.Demux;
import dev.floatip.vrrp.DropReason;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.RouterKey;
import dev.floatip.vrrp.VrrpCodec;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * The VRRP sockets of the agent, one per (interface, family), each with a receive thread that only
 * hands packets to the event loop, and a {@link Demux} that picks the router. Loop thread only,
 * except the receive threads.
 *
 * <p>The receive thread drops, before anything is queued or decoded, what a few byte reads reject
 * ({@link VrrpCodec#precheck}: length, version, type, TTL) and adverts of VRIDs that no router here
 * runs once the loop has heard a well-formed one of them (a foreign router, or a flood): a flood of
 * junk costs the loop nothing. Every drop is counted ({@code dropped}).
 */
final class Sockets implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Sockets.class);

  /** An open socket and who uses it. */
  final class Entry {
    final SocketKey key;
    final PacketIo io;
    final boolean multicast;
    final Demux<ManagedRouter> demux;
    final Set<RouterId> users = new HashSet<>();

    /** The VRIDs routers here run: published by the loop, read by the receive thread. */
    private volatile Set<Integer> vrids = Set.of();

    /** VRIDs the loop found foreign ({@link Demux#isForeign}): dropped on the receive thread. */
    private final Set<Integer> foreign = ConcurrentHashMap.newKeySet();

    private volatile boolean open = true;

    // Sends run on the routers' workers, after the loop thread queued them. A socket whose last
    // user is detached is closed only once the sends queued on it have run: otherwise the
    // priority-0 advert of a resigning router (queued just before the detach) would find the
    // socket closed whenever its worker is slower than the loop thread, and the backups would
    // wait a whole Master_Down_Interval instead of Skew_Time.
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closing;
    private final AtomicBoolean closed = new AtomicBoolean();

    Entry(SocketKey key, PacketIo io, boolean multicast) {
      this.key = key;
      this.io = io;
      this.multicast = multicast;
      this.demux = new Demux<>(reason -> dropped.accept(key.family(), reason));
    }

    private void register(RouterKey routerKey, ManagedRouter managed) {
      demux.register(routerKey, managed);
      Set<Integer> next = new HashSet<>(vrids);
      next.add(routerKey.vrid());
      vrids = Set.copyOf(next);
    }

    private void unregister(RouterKey routerKey) {
      demux.unregister(routerKey);
      Set<Integer> next = new HashSet<>(vrids);
      next.remove(routerKey.vrid());
      vrids = Set.copyOf(next);
    }

    /** Loop thread: after {@link Demux#route} dropped an advert, learn whether it was foreign. */
    void learnForeign(byte[] message) {
      if (message.length > 1 && demux.isForeign(VrrpCodec.vrid(message))) {
        foreign.add(VrrpCodec.vrid(message));
      }
    }

    /** Receive thread: why {@code packet} can be dropped before it is queued, or null. */
    private DropReason early(ReceivedPacket packet) {
      byte[] message = packet.payload();
      DropReason cheap = VrrpCodec.precheck(message, packet.ttlOrHopLimit());
      if (cheap != null) {
        return cheap;
      }
      int vrid = VrrpCodec.vrid(message);
      return !vrids.contains(vrid) && foreign.contains(vrid) ? DropReason.UNKNOWN_VRID : null;
    }

    private void receiveLoop() {
      while (open) {
        switch (io.receive()) {
          case IoResult.Ok<Optional<ReceivedPacket>> ok ->
              ok.value()
                  .ifPresent(
                      packet -> {
                        DropReason drop = early(packet);
                        if (drop == null) {
                          deliver.accept(this, packet);
                        } else {
                          dropped.accept(key.family(), drop);
                        }
                      });
          case IoResult.Failed<Optional<ReceivedPacket>> failed -> {
            if (!open) {
              return;
            }
            LOG.warnf("receive on %s: %s", key, failed.message());
            LockSupport.parkNanos(100_000_000L); // do not spin on a persistent error
          }
        }
      }
    }

    /**
     * Runs {@code send} (which uses {@link #io}) on {@code worker}; the socket stays open for it.
     */
    void send(Executor worker, Runnable send) {
      pending.incrementAndGet();
      worker.execute(
          () -> {
            try {
              send.run();
            } finally {
              if (pending.decrementAndGet() == 0 && closing) {
                close();
              }
            }
          });
    }

    /** Closes the socket once the sends queued on it have run (at once if none is). */
    void closeWhenIdle() {
      closing = true;
      if (pending.get() == 0) {
        close();
      }
    }

    void close() {
      if (closed.compareAndSet(false, true)) {
        open = false;
        io.close();
      }
    }
  }

  private final Dataplane dataplane;
  private final BiConsumer<Entry, ReceivedPacket> deliver;
  private final BiConsumer<IpFamily, DropReason> dropped;
  private final Map<SocketKey, Entry> entries = new HashMap<>();
  private final Map<RouterId, ManagedRouter> registrations = new HashMap<>();

  /** Foreign VRIDs heard on sockets since closed (see {@link #foreignVrids()}). */
  private final Set<Integer> retiredForeignVrids = new java.util.TreeSet<>();

  /** Detached sockets still sending; closed for good by {@link #close()}. */
  private final Set<Entry> draining = ConcurrentHashMap.newKeySet();

  /**
   * @param deliver called on a receive thread for every packet that passed the early checks; must
   *     only enqueue
   * @param dropped called for every packet dropped before a router took it, on a receive thread or
   *     the loop thread; must be thread-safe and quick
   */
  Sockets(
      Dataplane dataplane,
      BiConsumer<Entry, ReceivedPacket> deliver,
      BiConsumer<IpFamily, DropReason> dropped) {
    this.dataplane = dataplane;
    this.deliver = deliver;
    this.dropped = dropped;
  }

  /** Registers a router on its socket, opening (or reopening, to join multicast) as needed. */
  IoResult<Entry> attach(ManagedRouter managed) {
    RouterSpec spec = managed.spec();
    SocketKey key = spec.socketKey();
    boolean multicast = !spec.config().unicast() && !spec.silent();
    Entry entry = entries.get(key);
    if (entry != null && multicast && !entry.multicast) {
      IoResult<Entry> reopened = open(key, spec.config().primaryAddress(), true);
      if (reopened instanceof IoResult.Ok<Entry>(Entry fresh)) {
        fresh.users.addAll(entry.users);
        moveRegistrations(entry, fresh);
        retire(entry);
        entry = fresh;
      } else {
        return reopened;
      }
    }
    if (entry == null) {
      IoResult<Entry> opened = open(key, spec.config().primaryAddress(), multicast);
      if (!(opened instanceof IoResult.Ok<Entry>(Entry fresh))) {
        return opened;
      }
      entry = fresh;
    }
    entry.users.add(spec.id());
    entry.register(routerKey(spec), managed);
    registrations.put(spec.id(), managed);
    return IoResult.ok(entry);
  }

  /** Unregisters a router; the last user closes the socket. */
  void detach(ManagedRouter managed) {
    RouterSpec spec = managed.spec();
    Entry entry = entries.get(spec.socketKey());
    registrations.remove(spec.id());
    if (entry == null) {
      return;
    }
    entry.users.remove(spec.id());
    entry.unregister(routerKey(spec));
    if (entry.users.isEmpty()) {
      entries.remove(spec.socketKey());
      retire(entry);
    }
  }

  /** Closes a socket no router uses any more, once the sends queued on it have run. */
  private void retire(Entry entry) {
    retiredForeignVrids.addAll(entry.demux.foreignVrids());
    draining.removeIf(e -> e.closed.get());
    draining.add(entry);
    entry.closeWhenIdle();
  }

  /** The VRIDs heard on any socket so far that no router of this agent took. */
  Set<Integer> foreignVrids() {
    Set<Integer> all = new java.util.TreeSet<>(retiredForeignVrids);
    entries.values().forEach(e -> all.addAll(e.demux.foreignVrids()));
    return all;
  }

  Optional<Entry> entry(SocketKey key) {
    return Optional.ofNullable(entries.get(key));
  }

  private void moveRegistrations(Entry from, Entry to) {
    for (RouterId id : from.users) {
      ManagedRouter m = registrations.get(id);
      if (m != null) {
        to.register(routerKey(m.spec()), m);
      }
    }
  }

  private IoResult<Entry> open(SocketKey key, InetAddress source, boolean multicast) {
    PacketIo.Options options =
        PacketIo.Options.of(key.interfaceName(), key.family())
            .withSource(source)
            .withMulticast(multicast);
    return dataplane
        .openPacketIo(options)
        .map(
            io -> {
              Entry entry = new Entry(key, io, multicast);
              entries.put(key, entry);
              Thread.ofPlatform()
                  .daemon()
                  .name("vrrp-rx-" + key.interfaceName() + "-" + key.family())
                  .start(entry::receiveLoop);
              return entry;
            });
  }

  private static RouterKey routerKey(RouterSpec spec) {
    return new RouterKey(spec.config().vrid(), spec.id().family());
  }

  @Override
  public void close() {
    entries.values().forEach(Entry::close);
    entries.clear();
    draining.forEach(Entry::close);
    draining.clear();
  }
}
