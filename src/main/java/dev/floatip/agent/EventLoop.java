package dev.floatip.agent;

import dev.floatip.dataplane.AddressManager.AddressSpec;
import dev.floatip.dataplane.Dataplane;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.LinkEvent;
import dev.floatip.dataplane.LinkInfo;
import dev.floatip.dataplane.PacketIo;
import dev.floatip.dataplane.ReceivedPacket;
import dev.floatip.vrrp.Action;
import dev.floatip.vrrp.DropReason;
import dev.floatip.vrrp.Input;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.Reason;
import dev.floatip.vrrp.State;
import dev.floatip.vrrp.SyncGroup;
import dev.floatip.vrrp.VrrpCodec;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The agent's one thread that owns every {@link dev.floatip.vrrp.VirtualRouter} (DESIGN §2 rule 4).
 * Receive threads, the link monitor and config sources only enqueue; the loop feeds the routers and
 * executes their actions through the dataplane ports. Each router's dataplane work (adverts,
 * address changes, announcements) runs in order on its own {@link SerialExecutor}, over a pool of
 * at most {@link #WORKERS} threads whatever the number of routers and the advert rate: a slow
 * netlink call stalls at most one worker, and a new master's first advert leaves only after its
 * addresses are up and announced.
 *
 * <p>The routers' next deadlines wait in a {@link TimerQueue}, re-armed each time a router is fed:
 * a wake-up costs O(log n), not a scan of every router.
 *
 * <p>Received packets wait in a bounded queue of their own ({@link #PACKET_QUEUE}; beyond it they
 * are dropped as {@link DropReason#QUEUE_FULL}, undecoded) and the loop handles at most {@link
 * #PACKETS_PER_TURN} of them before it serves the timers: a flood of adverts costs memory and time
 * bounded by the queue and never starves Master_Down_Timer (issue 12: a 50k packets/s flood made a
 * backup's receive path fall behind and a second master for a second). A timer fires once every
 * packet received before its deadline has been handled, so a master's advert that arrived in time
 * still counts; the queue bounds how late that makes the timer.
 */
public final class EventLoop implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(EventLoop.class);
  private static final Duration MAX_IDLE = Duration.ofSeconds(1);

  /**
   * The loop checks its timers at least every {@link #MAX_IDLE}; one that has not for this long is
   * stuck (a handler that blocks, a queue it cannot drain) and liveness fails.
   */
  public static final Duration STALLED_AFTER = MAX_IDLE.multipliedBy(5);

  private static final String LINK_DOWN = "interface %s down";
  private static final String NO_SOCKET = "no VRRP socket";
  private static final Duration SOCKET_RETRY = Duration.ofSeconds(1);

  /** Received packets waiting for the loop; more are dropped ({@link DropReason#QUEUE_FULL}). */
  static final int PACKET_QUEUE = 1024;

  /** Packets handled between two looks at the timers. */
  static final int PACKETS_PER_TURN = 64;

  private static final Runnable WAKE = () -> {};

  /**
   * Dataplane worker threads. Netlink requests are serialized on one socket anyway; sends and
   * announcements take microseconds: more threads would only cost memory. Two, as the cores of a
   * small node: 100 VIPs at 100 ms keep two busy far less than 1 % (issue 15, threads ≤ 24).
   */
  static final int WORKERS = 2;

  private static final Duration WORKER_IDLE = Duration.ofSeconds(30);

  /** Told of every state change, on the loop thread: must return quickly. */
  public interface Listener {
    void stateChanged(RouterSpec spec, Action.StateChanged change);

    /** A new master sent its first announcement this long after the old master's last advert. */
    default void failedOver(RouterSpec spec, Duration duration) {}

    /** Gratuitous ARPs / unsolicited NAs sent. Called on a worker thread. */
    default void announced(RouterSpec spec, int packets) {}

    /** A link or address changed on the node: plans that depend on addresses may change. */
    default void networkChanged() {}

    /** The node entered ({@code true}) or left node maintenance ({@link #standby(boolean)}). */
    default void standbyChanged(boolean on) {}

    /**
     * A received packet was dropped before any router took it (undecodable, a VRID nobody here
     * runs, the receive queue full). Called on a receive thread or the loop thread: must be
     * thread-safe and quick. Drops a router counts itself are in its {@link RouterStatus}.
     */
    default void dropped(IpFamily family, DropReason reason) {}
  }

  /** A packet as received, stamped on the receive thread. */
  private record Inbound(Sockets.Entry entry, ReceivedPacket packet, Instant at) {}

  private final InstantSource clock;
  private final Dataplane dataplane;
  private final List<Listener> listeners;
  private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
  private final BlockingQueue<Inbound> packets = new ArrayBlockingQueue<>(PACKET_QUEUE);

  /** A {@link #WAKE} is queued for packets that arrived since the loop last took packets. */
  private final AtomicBoolean wakeQueued = new AtomicBoolean();

  private final Map<RouterId, ManagedRouter> routers = new LinkedHashMap<>();
  private final AnnouncementSchedule<RouterId> announcements = new AnnouncementSchedule<>();

  /** Each running router's next deadline ({@link dev.floatip.vrrp.VirtualRouter#nextDeadline}). */
  private final TimerQueue<ManagedRouter> timers = new TimerQueue<>();

  /** The routers {@link #fireTimers} found due, reused. */
  private final List<ManagedRouter> due = new ArrayList<>();

  private final SyncGroups syncGroups = new SyncGroups();
  private final ExecutorService workers;
  private final Sockets sockets;
  private final Thread thread;
  private volatile boolean running = true;

  /** When the loop last checked its timers: its heartbeat, read by liveness. */
  private volatile Instant lastTick;

  private Instant lastSocketRetry = Instant.MIN;

  /** Node maintenance: every router, running or started later, is held in Backup. Loop only. */
  private boolean standby;

  public EventLoop(InstantSource clock, Dataplane dataplane, List<Listener> listeners) {
    this.clock = clock;
    this.dataplane = dataplane;
    this.listeners = List.copyOf(listeners);
    this.workers = workerPool();
    this.sockets = new Sockets(dataplane, this::received, this::dropped);
    this.thread = Thread.ofPlatform().name("vrrp-loop").unstarted(this::run);
    this.lastTick = clock.instant();
  }

  /** At most {@link #WORKERS} threads, started on demand and ended after 30 s idle. */
  static ExecutorService workerPool() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            WORKER_IDLE.toSeconds(),
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            Thread.ofPlatform().daemon().name("dataplane-", 0).factory());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * How long ago the loop last checked its timers, on its own clock; more than {@link
   * #STALLED_AFTER} means it no longer advances.
   */
  public Duration sinceLastTick() {
    Duration ago = Duration.between(lastTick, clock.instant());
    return ago.isNegative() ? Duration.ZERO : ago;
  }

  public void start() {
    thread.start();
    dataplane
        .linkMonitor()
        .subscribe(event -> execute(() -> linkEvent(event)))
        .ifFailed(f -> LOG.errorf("link monitor unavailable: %s", f.message()));
  }

  /** Runs {@code task} on the loop thread. */
  public void execute(Runnable task) {
    queue.add(task);
  }

  /**
   * Makes the running routers match {@code desired}; unchanged routers are not disturbed.
   *
   * @return completes once the routers this stopped have resigned and their addresses are gone
   */
  public CompletableFuture<Void> apply(List<RouterSpec> desired) {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    execute(() -> whenIdle(reconcile(desired), stopped));
    return stopped;
  }

  /** Completes {@code done} once the dataplane work queued so far for {@code routers} has run. */
  private static void whenIdle(List<ManagedRouter> routers, CompletableFuture<Void> done) {
    if (routers.isEmpty()) {
      done.complete(null);
      return;
    }
    java.util.concurrent.atomic.AtomicInteger left =
        new java.util.concurrent.atomic.AtomicInteger(routers.size());
    routers.forEach(
        m ->
            m.worker.execute(
                () -> {
                  if (left.decrementAndGet() == 0) {
                    done.complete(null);
                  }
                }));
  }

  /** Sets the effective priority of one router (tracking). */
  public void priority(RouterId id, int priority) {
    execute(() -> on(id, m -> feed(m, new Input.PriorityChanged(clock.instant(), priority))));
  }

  /** Sets or clears one fault source of one router (tracking). */
  public void fault(RouterId id, String cause, boolean on) {
    execute(() -> on(id, m -> setFault(m, cause, on)));
  }

  /**
   * Node maintenance (the node is drained: cordoned, or labelled {@code
   * floatip.dev/maintenance=true}) begins ({@code true}) or ends. Every master resigns gracefully
   * (a priority-0 advertisement, so its backups take over after Skew_Time; its addresses removed)
   * and every router stays Backup, routers started later included, until it ends; then the election
   * resumes by the usual rules (Master_Down_Interval from then on). {@link Input.Standby} for each
   * router; repeating the current value does nothing.
   */
  public void standby(boolean on) {
    execute(() -> setStandby(on));
  }

  public CompletableFuture<List<RouterStatus>> status() {
    CompletableFuture<List<RouterStatus>> result = new CompletableFuture<>();
    execute(() -> result.complete(routers.values().stream().map(this::status).toList()));
    return result;
  }

  /**
   * The VRIDs of adverts heard on this agent's sockets that none of its routers took: other VRRP
   * routers on its segments, or VirtualIPs this node does not run.
   */
  public CompletableFuture<Set<Integer>> foreignVrids() {
    CompletableFuture<Set<Integer>> result = new CompletableFuture<>();
    execute(() -> result.complete(sockets.foreignVrids()));
    return result;
  }

  /**
   * Resigns every master (priority-0 advert), removes the addresses and stops; waits at most {@code
   * timeout} for the address removals to finish.
   */
  public void shutdown(Duration timeout) {
    CompletableFuture<CountDownLatch> resigned = new CompletableFuture<>();
    execute(
        () -> {
          List<ManagedRouter> all = List.copyOf(routers.values());
          new ArrayList<>(routers.keySet()).forEach(this::stop);
          // each worker counts down once its priority-0 advert and address removals are done
          CountDownLatch drained = new CountDownLatch(all.size());
          all.forEach(m -> m.worker.execute(drained::countDown));
          running = false;
          resigned.complete(drained);
        });
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      resigned
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS)
          .await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warnf("shutdown did not finish in %s: %s", timeout, e.toString());
    }
    close();
  }

  @Override
  public void close() {
    running = false;
    queue.add(() -> {});
    sockets.close();
    workers.shutdownNow();
  }

  // ---- the loop

  private void run() {
    while (running) {
      try {
        Duration wait = packets.isEmpty() ? waitTime() : Duration.ZERO;
        Runnable task = queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        while (task != null) {
          task.run();
          task = running ? queue.poll() : null;
        }
        if (running) {
          handlePackets();
        }
        if (running) {
          Instant now = clock.instant();
          fireTimers(timerClock(now));
          lastTick = now;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // a bug in one handler must not take every router down with it
        LOG.error("event loop task failed", e);
      }
    }
  }

  private Duration waitTime() {
    Instant now = clock.instant();
    Instant next = timers.next();
    Optional<Instant> announce = announcements.nextDeadline();
    Instant deadline = now.plus(MAX_IDLE);
    if (next != null && next.isBefore(deadline)) {
      deadline = next;
    }
    if (announce.isPresent() && announce.get().isBefore(deadline)) {
      deadline = announce.get();
    }
    Duration wait = Duration.between(now, deadline);
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  /** At most {@link #PACKETS_PER_TURN} received packets, oldest first. */
  private void handlePackets() {
    wakeQueued.set(false); // packets queued from now on queue a new WAKE
    for (int i = 0; i < PACKETS_PER_TURN; i++) {
      Inbound in = packets.poll();
      if (in == null) {
        return;
      }
      route(in);
    }
  }

  /**
   * The time up to which timers may fire: now, or just before the oldest packet still queued, so
   * that a packet received before a deadline is handled before its timer fires.
   */
  private Instant timerClock(Instant now) {
    Inbound oldest = packets.peek();
    return oldest == null || !oldest.at().isBefore(now) ? now : oldest.at().minusNanos(1);
  }

  private void fireTimers(Instant now) {
    retrySockets(now);
    due.clear();
    timers.drainDue(now, due);
    for (ManagedRouter m : due) {
      if (routers.get(m.spec().id()) != m) {
        continue; // stopped meanwhile
      }
      // a router fed earlier in this pass (a sync group) may no longer be due
      Optional<Instant> deadline = m.router.nextDeadline();
      if (deadline.isPresent() && !now.isBefore(deadline.get())) {
        feed(m, new Input.TimerFired(now));
      } else {
        rearm(m);
      }
    }
    due.clear();
    for (AnnouncementSchedule.Burst<RouterId> burst : announcements.due(now)) {
      ManagedRouter m = routers.get(burst.router());
      if (m != null) {
        announce(m, burst.addresses(), burst.repeat());
      }
    }
  }

  // ---- inputs

  /** On a receive thread: queue the packet for the loop, or drop it when the queue is full. */
  private void received(Sockets.Entry entry, ReceivedPacket packet) {
    Instant at = clock.instant(); // stamped on the receive thread, as close to the wire as we get
    if (!packets.offer(new Inbound(entry, packet, at))) {
      dropped(entry.key.family(), DropReason.QUEUE_FULL);
      return;
    }
    if (!wakeQueued.getAndSet(true)) {
      queue.add(WAKE);
    }
  }

  private void dropped(IpFamily family, DropReason reason) {
    for (Listener l : listeners) {
      l.dropped(family, reason);
    }
  }

  private void route(Inbound in) {
    ReceivedPacket packet = in.packet();
    Optional<dev.floatip.vrrp.Demux.Delivery<ManagedRouter>> delivery =
        in.entry()
            .demux
            .route(
                in.at(),
                packet.payload(),
                packet.source(),
                packet.destination(),
                packet.ttlOrHopLimit());
    if (delivery.isPresent()) {
      feed(delivery.get().target(), delivery.get().input());
    } else {
      in.entry().learnForeign(packet.payload());
    }
  }

  private void linkEvent(LinkEvent event) {
    switch (event) {
      case LinkEvent.LinkChanged changed -> linkChanged(changed.link(), changed.removed());
      case LinkEvent.AddressRemoved removed ->
          addressChanged(removed.interfaceName(), removed.address().address(), false);
      case LinkEvent.AddressAdded added ->
          addressChanged(added.interfaceName(), added.address().address(), true);
      case LinkEvent.ResyncNeeded resync -> resync(resync.reason());
    }
    listeners.forEach(Listener::networkChanged);
  }

  private void linkChanged(LinkInfo link, boolean removed) {
    boolean down = removed || !link.operational();
    for (ManagedRouter m : List.copyOf(routers.values())) {
      if (m.spec().interfaceName().equals(link.name())) {
        setFault(m, LINK_DOWN.formatted(link.name()), down);
      }
    }
  }

  /**
   * Keeps the interface matching the state: a master whose address someone removed puts it back; a
   * router that is not master removes a virtual address that appeared (no two holders).
   */
  private void addressChanged(String interfaceName, InetAddress address, boolean present) {
    for (ManagedRouter m : routers.values()) {
      RouterSpec spec = m.spec();
      if (!spec.interfaceName().equals(interfaceName)
          || !spec.config().allAddresses().contains(address)) {
        continue;
      }
      boolean master = m.router.state() == State.MASTER;
      if (master && !present) {
        LOG.warnf(
            "%s: %s was removed from %s by someone else; restoring it",
            spec.id(), address.getHostAddress(), interfaceName);
        addAddresses(m, List.of(address));
        announce(m, List.of(address), spec.announce().repeat());
      } else if (!master && present) {
        LOG.warnf(
            "%s: %s appeared on %s while %s; removing it",
            spec.id(), address.getHostAddress(), interfaceName, m.router.state());
        removeAddresses(m, List.of(address));
      }
    }
  }

  private void resync(String reason) {
    LOG.warnf("link events lost (%s); re-reading interfaces", reason);
    for (ManagedRouter m : List.copyOf(routers.values())) {
      checkLink(m);
      reconcileAddresses(m);
    }
  }

  // ---- configuration

  /** Returns the routers it stopped. */
  private List<ManagedRouter> reconcile(List<RouterSpec> desired) {
    Map<RouterId, RouterSpec> wanted =
        desired.stream()
            .collect(
                Collectors.toMap(
                    RouterSpec::id, Function.identity(), (a, b) -> b, LinkedHashMap::new));
    List<ManagedRouter> stopped = new ArrayList<>();
    for (RouterId id : List.copyOf(routers.keySet())) {
      if (!wanted.containsKey(id) || !routers.get(id).spec().sameIdentity(wanted.get(id))) {
        stopped.add(routers.get(id));
        stop(id);
      }
    }
    wanted.values().forEach(this::startOrUpdate);
    return stopped;
  }

  private void startOrUpdate(RouterSpec spec) {
    Instant now = clock.instant();
    ManagedRouter m = routers.get(spec.id());
    if (m == null) {
      start(spec);
      return;
    }
    RouterSpec previous = m.spec();
    m.spec(spec);
    if (!previous.config().equals(spec.config())) {
      feed(m, new Input.ConfigChanged(now, spec.config()));
      if (previous.config().unicast() != spec.config().unicast()) {
        sockets.detach(m);
        attach(m);
      }
    }
    if (!previous.syncGroup().equals(spec.syncGroup())) {
      perform(syncGroups.leave(spec.id(), now));
      spec.syncGroup().ifPresent(g -> perform(syncGroups.join(spec.id(), g, m.router, now)));
    }
    if (previous.priority() != spec.priority()) {
      feed(m, new Input.PriorityChanged(now, spec.priority()));
    }
  }

  private void start(RouterSpec spec) {
    ManagedRouter m = new ManagedRouter(spec, new SerialExecutor(workers));
    routers.put(spec.id(), m);
    // no orphans: whatever a crashed predecessor left, we are not master yet
    removeAddresses(m, spec.config().allAddresses());
    attach(m);
    checkLink(m);
    spec.syncGroup()
        .ifPresent(g -> perform(syncGroups.join(spec.id(), g, m.router, clock.instant())));
    if (standby) {
      feed(m, new Input.Standby(clock.instant(), true)); // recorded in Initialize: starts held
    }
    // Start the Master_Down timer from now, not from when the reconcile began: opening the first
    // socket and the first netlink calls take 100+ ms in a fresh JVM, and a timer started before
    // we could hear the master would make a lower-priority backup master for a moment (GARPs,
    // the VIP taken from the live master) whenever that delay nears Master_Down_Interval.
    feed(m, new Input.Startup(clock.instant()));
    LOG.infof(
        "%s: VRID %d on %s, priority %d, %s",
        spec.id(),
        spec.config().vrid(),
        spec.interfaceName(),
        spec.priority(),
        spec.config().unicast() ? "unicast to " + spec.config().destinations() : "multicast");
  }

  /** Opens (or shares) the router's socket; without one it stays in FAULT, retried every second. */
  private void attach(ManagedRouter m) {
    switch (sockets.attach(m)) {
      case IoResult.Ok<Sockets.Entry> ok -> setFault(m, NO_SOCKET, false);
      case IoResult.Failed<Sockets.Entry> f -> {
        if (!m.faults().contains(NO_SOCKET)) {
          LOG.errorf("%s: %s: %s (retrying every second)", m.spec().id(), NO_SOCKET, f.message());
        }
        setFault(m, NO_SOCKET, true);
      }
    }
  }

  private void retrySockets(Instant now) {
    if (now.isBefore(lastSocketRetry.plus(SOCKET_RETRY))) {
      return;
    }
    lastSocketRetry = now;
    for (ManagedRouter m : List.copyOf(routers.values())) {
      if (m.faults().contains(NO_SOCKET)) {
        attach(m);
      }
    }
  }

  private void stop(RouterId id) {
    ManagedRouter m = routers.get(id);
    feed(m, new Input.Shutdown(clock.instant()));
    perform(syncGroups.leave(id, clock.instant()));
    announcements.stop(id);
    sockets.detach(m);
    routers.remove(id);
    timers.cancel(m);
  }

  private void checkLink(ManagedRouter m) {
    String name = m.spec().interfaceName();
    IoResult<LinkInfo> link = dataplane.addresses().link(name);
    boolean down = !(link instanceof IoResult.Ok<LinkInfo>(LinkInfo info) && info.operational());
    setFault(m, LINK_DOWN.formatted(name), down);
  }

  private void reconcileAddresses(ManagedRouter m) {
    if (m.router.state() == State.MASTER) {
      addAddresses(m, m.spec().config().allAddresses());
    } else {
      removeAddresses(m, m.spec().config().allAddresses());
    }
  }

  private void setStandby(boolean on) {
    if (standby == on) {
      return;
    }
    standby = on;
    LOG.info(on ? "node maintenance: every router stays Backup" : "node maintenance over");
    Instant now = clock.instant();
    for (ManagedRouter m : List.copyOf(routers.values())) {
      feed(m, new Input.Standby(now, on));
    }
    listeners.forEach(l -> l.standbyChanged(on));
  }

  private void setFault(ManagedRouter m, String cause, boolean on) {
    Input.FaultChanged change = m.fault(cause, on, clock.instant());
    if (change != null) {
      feed(m, change);
    }
  }

  private void on(RouterId id, java.util.function.Consumer<ManagedRouter> action) {
    ManagedRouter m = routers.get(id);
    if (m != null) {
      action.accept(m);
    }
  }

  // ---- outputs

  private void feed(ManagedRouter m, Input input) {
    List<Action> actions = m.router.handle(input);
    rearm(m);
    for (Action action : actions) {
      perform(m, action);
    }
    perform(syncGroups.settle(m.spec().id(), input.at()));
  }

  /** Every input may move a router's timers: its entry in {@link #timers} follows. */
  private void rearm(ManagedRouter m) {
    if (routers.get(m.spec().id()) == m) {
      timers.arm(m, m.router.nextDeadline().orElse(null));
    } else {
      timers.cancel(m);
    }
  }

  /** Performs what a sync group did to its members (it already fed them the inputs). */
  private void perform(List<SyncGroup.Event<RouterId>> events) {
    for (SyncGroup.Event<RouterId> event : events) {
      switch (event) {
        case SyncGroup.Fed<RouterId> fed -> {
          ManagedRouter member = routers.get(fed.member());
          if (member != null) {
            rearm(member);
            fed.actions().forEach(a -> perform(member, a));
          }
        }
        case SyncGroup.GroupStateChanged<RouterId> changed ->
            LOG.infof("sync group %s: %s -> %s", changed.group(), changed.from(), changed.to());
      }
    }
  }

  private void perform(ManagedRouter m, Action action) {
    RouterSpec spec = m.spec();
    switch (action) {
      case Action.SendAdvertisement send -> send(m, send);
      case Action.AddAddresses add -> addAddresses(m, add.addresses());
      case Action.RemoveAddresses remove -> removeAddresses(m, remove.addresses());
      case Action.AnnounceAddresses announce -> {
        AnnouncementSchedule.Burst<RouterId> burst =
            announcements.start(spec.id(), announce.addresses(), spec.announce(), clock.instant());
        announce(m, burst.addresses(), burst.repeat());
      }
      case Action.StopAnnouncing stop -> announcements.stop(spec.id());
      case Action.StateChanged change -> {
        LOG.infof(
            "%s: %s -> %s (%s, priority %d)",
            spec.id(), change.from(), change.to(), change.reason(), change.priority());
        if (change.to() == State.MASTER) {
          measureFailover(m, change.reason());
        }
        for (Listener l : listeners) {
          l.stateChanged(spec, change);
        }
      }
      case Action.AddressListMismatch mismatch ->
          LOG.warnf(
              "%s: %s advertises %s, we have %s (RFC 5798 §7.1); still used for election",
              spec.id(), mismatch.source().getHostAddress(), mismatch.theirs(), mismatch.ours());
    }
  }

  private void send(ManagedRouter m, Action.SendAdvertisement send) {
    Optional<Sockets.Entry> entry = sockets.entry(m.spec().socketKey());
    if (entry.isEmpty() || m.spec().silent()) {
      return; // no socket (the router is in FAULT for it), or no peer to send to
    }
    Sockets.Entry socket = entry.get();
    PacketIo io = socket.io;
    RouterId id = m.spec().id();
    // through the socket entry: a socket released meanwhile stays open until this has run
    socket.send(
        m.worker,
        () -> {
          for (InetAddress destination : send.destinations()) {
            byte[] bytes = VrrpCodec.encode(send.advertisement(), io.sourceAddress(), destination);
            io.send(destination, bytes)
                .ifFailed(f -> LOG.debugf("%s: advert to %s: %s", id, destination, f.message()));
          }
        });
  }

  private void addAddresses(ManagedRouter m, List<InetAddress> addresses) {
    RouterSpec spec = m.spec();
    Map<InetAddress, AddressSpec> specs = new HashMap<>();
    spec.addresses().forEach(a -> specs.put(a.address(), a));
    m.worker.execute(
        () -> {
          for (InetAddress address : addresses) {
            AddressSpec as = specs.get(address);
            dataplane
                .addresses()
                .add(spec.interfaceName(), as)
                .ifFailed(f -> LOG.errorf("%s: add %s: %s", spec.id(), as, f.message()));
          }
        });
  }

  private void removeAddresses(ManagedRouter m, List<InetAddress> addresses) {
    RouterSpec spec = m.spec();
    m.worker.execute(
        () -> {
          for (InetAddress address : addresses) {
            dataplane
                .addresses()
                .remove(spec.interfaceName(), address)
                .ifFailed(
                    f ->
                        LOG.errorf(
                            "%s: remove %s: %s", spec.id(), address.getHostAddress(), f.message()));
          }
        });
  }

  /**
   * Failover duration: from the old master's last advert to our first announcement on the wire,
   * measured on the worker right after it sent the addresses' first burst and our advert. Only for
   * takeovers from a master that stopped or resigned; preemption and the first election are not
   * failovers.
   */
  private void measureFailover(ManagedRouter m, Reason reason) {
    Optional<Instant> start = m.router.lastMasterAdvert();
    if (start.isEmpty() || (reason != Reason.MASTER_DOWN && reason != Reason.MASTER_RESIGNED)) {
      return;
    }
    RouterSpec spec = m.spec();
    m.worker.execute(
        () -> {
          Duration d = Duration.between(start.get(), clock.instant());
          listeners.forEach(l -> l.failedOver(spec, d));
        });
  }

  private void announce(ManagedRouter m, List<InetAddress> addresses, int repeat) {
    RouterSpec spec = m.spec();
    m.worker.execute(
        () -> {
          listeners.forEach(l -> l.announced(spec, repeat * addresses.size()));
          for (int i = 0; i < repeat; i++) {
            for (InetAddress address : addresses) {
              dataplane
                  .announcer()
                  .announce(spec.interfaceName(), address)
                  .ifFailed(
                      f ->
                          LOG.debugf(
                              "%s: announce %s: %s",
                              spec.id(), address.getHostAddress(), f.message()));
            }
          }
        });
  }

  private static Set<String> faults(ManagedRouter m) {
    Set<String> all = new java.util.TreeSet<>(m.faults());
    if (m.router.groupFault()) {
      all.add(m.router.groupFaultCause());
    }
    return all;
  }

  private RouterStatus status(ManagedRouter m) {
    return new RouterStatus(
        m.spec().id(),
        m.spec().interfaceName(),
        m.spec().config().vrid(),
        m.router.state(),
        m.router.priority(),
        m.router.masterAddress(),
        m.router.lastTransition(),
        m.router.lastReason(),
        faults(m),
        m.router.standby(),
        m.router.counters(),
        m.spec().config().primaryAddress(),
        addressTexts(m.spec()));
  }

  /** The addresses for status: advertised ones first, excluded ones marked. */
  static List<String> addressTexts(RouterSpec spec) {
    int advertised = spec.config().addresses().size();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < spec.addresses().size(); i++) {
      AddressSpec a = spec.addresses().get(i);
      out.add(
          a.address().getHostAddress()
              + "/"
              + a.prefixLength()
              + a.label().map(l -> " label " + l).orElse("")
              + (i >= advertised ? " excluded" : ""));
    }
    return out;
  }
}
