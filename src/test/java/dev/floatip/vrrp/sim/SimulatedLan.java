package dev.floatip.vrrp.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.floatip.vrrp.Action.SendAdvertisement;
import dev.floatip.vrrp.Advertisement;
import dev.floatip.vrrp.Demux;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.State;
import dev.floatip.vrrp.SyncGroup;
import dev.floatip.vrrp.VrrpCodec;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * An in-memory Ethernet segment for {@link SimRouter}s, driven by a {@link ManualClock}.
 *
 * <p>Every advert a router sends is encoded with {@link VrrpCodec#encode} (our primary address as
 * the IP source) and delivered as bytes to the hosts its destination reaches: the multicast group
 * reaches every other powered host of the family, a unicast destination the host with that primary
 * address. Each receiving host decodes through its own {@code Demux}, with the sender's TTL (255
 * unless a test changes it).
 *
 * <p>Routers added with the same primary address run on one host (one interface, several VRIDs):
 * they share the host's {@code Demux}, a packet reaches the host once (the router of its VRID, if
 * the host runs one), and a host does not hear itself. {@link #syncGroup} puts routers of one host
 * in a {@link SyncGroup}, which the host consults after every input to any member, as the agent
 * does. Delivery takes a delay from the {@link Jitter} profile and keeps each link FIFO; packets
 * can be lost by rule, by count, or by a partition.
 *
 * <p>The clock jumps from event to event: the earliest of pending deliveries and the routers'
 * {@code nextDeadline()}. At equal times, timers fire before deliveries (so simultaneous timers
 * behave the same with and without delay), timers in the order hosts were added, deliveries in the
 * order they were sent. No wall clock, no threads, no statics: one instance per test.
 */
public final class SimulatedLan {

  /** Virtual time zero of every scenario. */
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final long MAX_STEPS = 5_000_000;

  /** What a loss rule sees: one advert on its way from one host to another. */
  public record Packet(
      SimRouter from, SimRouter to, InetAddress destination, Advertisement advertisement) {}

  private record Delivery(
      Instant at,
      long seq,
      SimRouter from,
      SimRouter to,
      byte[] message,
      InetAddress source,
      InetAddress destination,
      int ttl) {}

  private record Link(SimRouter from, SimRouter to) {}

  /** A host's earliest deadline; ordered by time, then by the order hosts were added. */
  private record Due(Instant at, int host) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Integer.compare(host, o.host);
    }
  }

  private final Jitter jitter;
  private final Jitter.DelaySource delays;
  private final ManualClock clock = new ManualClock(T0);
  private final List<SimRouter> hosts = new ArrayList<>();
  private final PriorityQueue<Delivery> inFlight =
      new PriorityQueue<>(Comparator.comparing(Delivery::at).thenComparingLong(Delivery::seq));
  private final Map<Link, Instant> lastArrival = new HashMap<>();
  private final TreeSet<Due> deadlines = new TreeSet<>();
  private final Map<SimRouter, Due> deadlineOf = new HashMap<>();
  private final List<Predicate<Packet>> lossRules = new ArrayList<>();
  private List<Set<SimRouter>> partition = List.of();
  private long seq;
  private long steps;
  private long deliveries;

  private final Map<InetAddress, Demux<SimRouter>> demuxes = new HashMap<>();

  private record GroupChange(
      SyncGroup<SimRouter> group, SyncGroup.GroupStateChanged<SimRouter> change) {}

  private final List<GroupChange> groupTransitions = new ArrayList<>();

  private final Map<InetAddress, Integer> holders = new HashMap<>();
  private final Map<InetAddress, SimRouter> lastAnnouncer = new HashMap<>();
  private int addressesWithSeveralHolders;
  private Instant severalHoldersSince;
  private Duration severalHoldersTotal = Duration.ZERO;
  private int severalHoldersEpisodes;

  public SimulatedLan(Jitter jitter) {
    this.jitter = jitter;
    this.delays = jitter.source();
  }

  // ---- building

  /**
   * Attaches a powered router (not yet started); one with the primary address of an earlier one
   * runs on the same host.
   */
  public SimRouter add(String name, String primary, int priority, RouterSpec spec) {
    InetAddress address = RouterSpec.ip(primary);
    Demux<SimRouter> demux = demuxes.computeIfAbsent(address, a -> new Demux<>());
    SimRouter host = new SimRouter(this, hosts.size(), name, spec.config(address), priority, demux);
    hosts.add(host);
    return host;
  }

  /**
   * Puts routers of one host into a sync group named {@code name}, now (before or after they
   * start).
   */
  public SyncGroup<SimRouter> syncGroup(String name, SimRouter... members) {
    SyncGroup<SimRouter> group = new SyncGroup<>(name);
    for (SimRouter m : members) {
      if (!m.address().equals(members[0].address())) {
        throw new IllegalArgumentException("a sync group lives on one host: " + m);
      }
      m.joined(group);
    }
    return group;
  }

  void groupChanged(SyncGroup<SimRouter> group, SyncGroup.GroupStateChanged<SimRouter> change) {
    groupTransitions.add(new GroupChange(group, change));
  }

  /** The state changes of {@code member}'s sync group (as a whole), in order. */
  public List<SyncGroup.GroupStateChanged<SimRouter>> groupTransitions(SimRouter member) {
    SyncGroup<SimRouter> group = member.group().orElseThrow();
    return groupTransitions.stream()
        .filter(c -> c.group() == group)
        .map(GroupChange::change)
        .toList();
  }

  /** The routers on {@code router}'s host (the same primary address), itself included. */
  public List<SimRouter> hostOf(SimRouter router) {
    return hosts.stream().filter(h -> h.address().equals(router.address())).toList();
  }

  /** Startup event for every host, at the current time, in the order they were added. */
  public void startAll() {
    hosts.forEach(SimRouter::start);
  }

  // ---- time

  public Instant now() {
    return clock.now();
  }

  public Jitter jitter() {
    return jitter;
  }

  /** T0 plus {@code millis} (fractions allowed: {@code at(3609.375)}). */
  public static Instant at(double millis) {
    return T0.plus(ms(millis));
  }

  /** A duration in milliseconds, exact to the nanosecond for the values VRRP timers produce. */
  public static Duration ms(double millis) {
    return Duration.ofNanos(BigDecimal.valueOf(millis).movePointRight(6).longValueExact());
  }

  /** "t0+3609.375ms", for messages. */
  public static String fmt(Instant t) {
    BigDecimal ms = BigDecimal.valueOf(Duration.between(T0, t).toNanos()).movePointLeft(6);
    return "t0+" + ms.stripTrailingZeros().toPlainString() + "ms";
  }

  String at() {
    return fmt(now());
  }

  /** Processes every event up to and including {@code end}, then sets the clock to {@code end}. */
  public void runUntil(Instant end) {
    while (step(end)) {
      // next event
    }
    clock.advanceTo(end);
  }

  public void runFor(Duration duration) {
    runUntil(now().plus(duration));
  }

  /**
   * Runs until {@code condition} holds (checked now and after every event) and returns that time;
   * fails if it does not hold by {@code deadline}.
   */
  public Instant runUntil(BooleanSupplier condition, Instant deadline, String what) {
    while (!condition.getAsBoolean()) {
      if (!step(deadline)) {
        fail(what + " did not happen by " + fmt(deadline));
      }
    }
    return now();
  }

  private boolean step(Instant end) {
    if (++steps > MAX_STEPS) {
      throw new AssertionError("more than " + MAX_STEPS + " events: a packet storm?");
    }
    Instant timer = deadlines.isEmpty() ? null : deadlines.first().at();
    Delivery head = inFlight.peek();
    boolean timerFirst = timer != null && (head == null || !timer.isAfter(head.at()));
    Instant next = timerFirst ? timer : head == null ? null : head.at();
    if (next == null || next.isAfter(end)) {
      return false;
    }
    clock.advanceTo(next);
    if (timerFirst) {
      // every host due now, in host order; firing re-arms strictly later (SimRouter checks)
      while (!deadlines.isEmpty() && deadlines.first().at().equals(next)) {
        hosts.get(deadlines.first().host()).fire(next);
      }
    } else {
      inFlight.poll();
      if (connected(head.from(), head.to())) {
        deliveries++;
        head.to().receive(head.message(), head.source(), head.destination(), head.ttl());
      }
    }
    return true;
  }

  /** Called after every input a host handled (and on power changes): re-index its deadline. */
  void rescheduled(SimRouter host) {
    Due old = deadlineOf.remove(host);
    if (old != null) {
      deadlines.remove(old);
    }
    host.nextDeadline()
        .ifPresent(
            at -> {
              Due due = new Due(at, host.index());
              deadlines.add(due);
              deadlineOf.put(host, due);
            });
  }

  // ---- the wire

  void transmit(SimRouter from, SendAdvertisement send) {
    if (from.consumeLoss()) {
      return;
    }
    for (InetAddress destination : send.destinations()) {
      byte[] message = VrrpCodec.encode(send.advertisement(), from.address(), destination);
      for (SimRouter to : reachedBy(from, destination, send.advertisement().vrid())) {
        Packet packet = new Packet(from, to, destination, send.advertisement());
        if (!connected(from, to) || lossRules.stream().anyMatch(r -> r.test(packet))) {
          continue;
        }
        Link link = new Link(from, to);
        Instant arrival = now().plus(delays.next());
        Instant previous = lastArrival.get(link);
        if (previous != null && previous.isAfter(arrival)) {
          arrival = previous; // a link does not reorder
        }
        lastArrival.put(link, arrival);
        inFlight.add(
            new Delivery(
                arrival, seq++, from, to, message, from.address(), destination, from.sendTtl()));
      }
    }
  }

  /**
   * One router per reached host: the one running the advert's VRID, else the host's first (its
   * demux counts the foreign VRID).
   */
  private List<SimRouter> reachedBy(SimRouter from, InetAddress destination, int vrid) {
    Map<InetAddress, SimRouter> reached = new LinkedHashMap<>();
    for (SimRouter h : hosts) {
      if (h.address().equals(from.address()) || !h.powered()) {
        continue; // a host does not hear itself
      }
      boolean reaches =
          destination.isMulticastAddress()
              ? IpFamily.of(h.address()) == IpFamily.of(destination)
              : h.address().equals(destination);
      if (!reaches) {
        continue;
      }
      SimRouter previous = reached.get(h.address());
      if (previous == null || (!runsVrid(previous, vrid) && runsVrid(h, vrid))) {
        reached.put(h.address(), h);
      }
    }
    return List.copyOf(reached.values());
  }

  private static boolean runsVrid(SimRouter h, int vrid) {
    return h.router().config().vrid() == vrid;
  }

  private boolean connected(SimRouter a, SimRouter b) {
    if (!a.powered() || !b.powered()) {
      return false;
    }
    if (partition.isEmpty()) {
      return true;
    }
    return partition.stream().anyMatch(g -> g.contains(a) && g.contains(b));
  }

  /**
   * Splits the segment: hosts reach only hosts of their own group (packets in flight between groups
   * are lost too). A host in no group is cut off from everyone.
   */
  @SafeVarargs
  public final void partition(Collection<SimRouter>... groups) {
    List<Set<SimRouter>> p = new ArrayList<>();
    for (Collection<SimRouter> g : groups) {
      p.add(Set.copyOf(g));
    }
    partition = List.copyOf(p);
  }

  /** Joins the segment again (loss rules stay). */
  public void heal() {
    partition = List.of();
  }

  /** Drops every packet the rule matches, until {@link #clearLoss()}. */
  public void lose(Predicate<Packet> rule) {
    lossRules.add(rule);
  }

  public void clearLoss() {
    lossRules.clear();
  }

  /**
   * Puts raw bytes on the wire to {@code to} now, as if sent from {@code source} to {@code
   * destination} with this TTL: for malformed and forged packets.
   */
  public void inject(
      SimRouter to, byte[] message, InetAddress source, InetAddress destination, int ttl) {
    deliveries++;
    to.receive(message.clone(), source, destination, ttl);
  }

  public long deliveries() {
    return deliveries;
  }

  // ---- address holdings across hosts

  void acquired(InetAddress address) {
    int n = holders.merge(address, 1, Integer::sum);
    if (n == 2) {
      if (addressesWithSeveralHolders++ == 0) {
        severalHoldersSince = now();
        severalHoldersEpisodes++;
      }
    }
  }

  void released(InetAddress address) {
    int n = holders.merge(address, -1, Integer::sum);
    if (n == 1) {
      if (--addressesWithSeveralHolders == 0) {
        severalHoldersTotal =
            severalHoldersTotal.plus(Duration.between(severalHoldersSince, now()));
        severalHoldersSince = null;
      }
    }
  }

  void announced(SimRouter by, List<InetAddress> addresses) {
    for (InetAddress a : addresses) {
      lastAnnouncer.put(a, by);
    }
  }

  /** Who sent the latest gratuitous ARP / unsolicited NA for {@code address}, if anyone did. */
  public SimRouter lastAnnouncerOf(InetAddress address) {
    return lastAnnouncer.get(address);
  }

  /** Total virtual time during which some address was held by more than one host. */
  public Duration severalHoldersTotal() {
    return severalHoldersSince == null
        ? severalHoldersTotal
        : severalHoldersTotal.plus(Duration.between(severalHoldersSince, now()));
  }

  /** How many times some address went from one holder to several (zero-length overlaps count). */
  public int severalHoldersEpisodes() {
    return severalHoldersEpisodes;
  }

  // ---- observations and shared assertions

  public List<SimRouter> hosts() {
    return List.copyOf(hosts);
  }

  /** Powered hosts in MASTER. */
  public List<SimRouter> masters() {
    return hosts.stream().filter(SimRouter::isMaster).toList();
  }

  public List<SimRouter> holdersOf(InetAddress address) {
    return hosts.stream().filter(h -> h.holds().contains(address)).toList();
  }

  /**
   * The settled picture: the {@code masters} (one per virtual router) are the only powered masters,
   * each holds all its virtual addresses, no other router holds any, every other powered router is
   * Backup, Fault or Initialize, and the latest announcement of each address came from its master.
   */
  public void assertSettled(SimRouter... masters) {
    List<SimRouter> expected = List.of(masters);
    assertEquals(
        expected.stream().sorted(Comparator.comparingInt(SimRouter::index)).toList(),
        masters(),
        "masters at " + at());
    Set<InetAddress> elsewhere = new HashSet<>();
    for (SimRouter h : hosts) {
      if (!expected.contains(h)) {
        elsewhere.addAll(h.holds());
        assertTrue(!h.powered() || h.state() != State.MASTER, h + " must not be master at " + at());
      }
    }
    assertEquals(Set.of(), elsewhere, "addresses held by non-masters at " + at());
    for (SimRouter master : masters) {
      Set<InetAddress> vips = Set.copyOf(master.router().config().addresses());
      assertEquals(vips, master.holds(), master.name() + " holds all its addresses");
      for (InetAddress vip : vips) {
        assertEquals(List.of(master), holdersOf(vip), vip + " held by exactly one host");
        // the neighbours' caches point at the master: its announcement was the last one
        assertEquals(master, lastAnnouncerOf(vip), "last announcement of " + vip);
      }
    }
  }

  /**
   * Asserts that {@code actual} is {@code expected} when delivery is instant, and otherwise no
   * earlier and less than {@code hops} delivery bounds later (the only lateness jitter can add).
   */
  public void assertAt(Instant expected, Instant actual, int hops, String what) {
    Duration tolerance = jitter.tolerance(hops);
    if (tolerance.isZero()) {
      assertEquals(fmt(expected), fmt(actual), what);
      return;
    }
    assertTrue(
        !actual.isBefore(expected) && actual.isBefore(expected.plus(tolerance)),
        what
            + ": expected "
            + fmt(expected)
            + " (+ < "
            + tolerance.toNanos()
            + " ns), was "
            + fmt(actual));
  }
}
