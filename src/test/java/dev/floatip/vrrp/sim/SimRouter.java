package dev.floatip.vrrp.sim;

import dev.floatip.vrrp.Action;
import dev.floatip.vrrp.Action.AddAddresses;
import dev.floatip.vrrp.Action.AddressListMismatch;
import dev.floatip.vrrp.Action.AnnounceAddresses;
import dev.floatip.vrrp.Action.RemoveAddresses;
import dev.floatip.vrrp.Action.SendAdvertisement;
import dev.floatip.vrrp.Action.StateChanged;
import dev.floatip.vrrp.Action.StopAnnouncing;
import dev.floatip.vrrp.Advertisement;
import dev.floatip.vrrp.Counters;
import dev.floatip.vrrp.Demux;
import dev.floatip.vrrp.Input;
import dev.floatip.vrrp.Reason;
import dev.floatip.vrrp.RouterConfig;
import dev.floatip.vrrp.RouterKey;
import dev.floatip.vrrp.State;
import dev.floatip.vrrp.SyncGroup;
import dev.floatip.vrrp.VirtualRouter;
import dev.floatip.vrrp.VrrpCodec;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One simulated host on a {@link SimulatedLan}: a {@link VirtualRouter} behind its own {@link
 * Demux}, plus a record of everything it did (state changes, adverts sent and received, address
 * holdings, announcements) with virtual timestamps. Applying the router's actions is the runtime's
 * job, done here the simplest possible way; after every input the holdings must match the state
 * (all VIPs while Master, none otherwise).
 *
 * <p>Several routers may share a host (the same primary address, one demux). A router in a {@link
 * SyncGroup} has the group settled after each of its inputs, and the inputs the group feeds to the
 * members are recorded and checked like any other.
 */
public final class SimRouter {

  public record Transition(Instant at, State from, State to, Reason reason, int priority) {}

  public record Sent(Instant at, Advertisement advertisement, List<InetAddress> destinations) {}

  public record Received(Instant at, InetAddress source, Advertisement advertisement) {}

  public record Announcement(Instant at, List<InetAddress> addresses) {}

  private final SimulatedLan lan;
  private final int index;
  private final String name;
  private final int basePriority;
  private final Demux<SimRouter> demux;
  private VirtualRouter router;
  private SyncGroup<SimRouter> group;
  private boolean powered = true;
  private int sendTtl = VrrpCodec.TTL;
  private int advertsToLose;
  private final Set<InetAddress> held = new LinkedHashSet<>();
  private final List<Transition> transitions = new ArrayList<>();
  private final List<Sent> sent = new ArrayList<>();
  private final List<Received> received = new ArrayList<>();
  private final List<Announcement> announcements = new ArrayList<>();
  private final List<Instant> stopAnnouncing = new ArrayList<>();
  private final List<AddressListMismatch> mismatches = new ArrayList<>();

  SimRouter(
      SimulatedLan lan,
      int index,
      String name,
      RouterConfig config,
      int priority,
      Demux<SimRouter> demux) {
    this.lan = lan;
    this.demux = demux;
    this.index = index;
    this.name = name;
    this.basePriority = priority;
    this.router = new VirtualRouter(config, priority);
    demux.register(key(), this);
  }

  private RouterKey key() {
    return new RouterKey(router.config().vrid(), router.config().family());
  }

  // ---- driving the router (all at the LAN's current time)

  /** RFC 5798 §6.4.1 Startup. */
  public SimRouter start() {
    return handle(new Input.Startup(lan.now()));
  }

  /** Graceful stop (SIGTERM): RFC 5798 §6.4.3 Shutdown, a master resigns with priority 0. */
  public SimRouter shutdown() {
    return handle(new Input.Shutdown(lan.now()));
  }

  /**
   * Hard failure: the host loses power, with every router on it. They stop sending and receiving at
   * once, say nothing, and their addresses go with them.
   */
  public SimRouter crash() {
    for (SimRouter r : lan.hostOf(this)) {
      r.powerOff();
    }
    return this;
  }

  private void powerOff() {
    powered = false;
    for (InetAddress a : List.copyOf(held)) {
      held.remove(a);
      lan.released(a);
    }
    lan.rescheduled(this);
  }

  /** The host comes back with a fresh router (base priority, no fault) and starts it. */
  public SimRouter reboot() {
    if (group != null) {
      throw new UnsupportedOperationException("reboot of sync-group member " + name);
    }
    router = new VirtualRouter(router.config(), basePriority);
    demux.register(key(), this);
    powered = true;
    return start();
  }

  /** Tracking changed the effective priority. */
  public SimRouter setPriority(int priority) {
    return handle(new Input.PriorityChanged(lan.now(), priority));
  }

  public SimRouter fault(String cause) {
    return handle(new Input.FaultChanged(lan.now(), true, cause));
  }

  public SimRouter clearFault() {
    return handle(new Input.FaultChanged(lan.now(), false, ""));
  }

  /** Node maintenance begins ({@code true}) or ends: {@link Input.Standby}. */
  public SimRouter standby(boolean on) {
    return handle(new Input.Standby(lan.now(), on));
  }

  public SimRouter reconfigure(RouterConfig config) {
    return handle(new Input.ConfigChanged(lan.now(), config));
  }

  /** TTL of this host's outgoing adverts (255 unless a test pretends they crossed a router). */
  public SimRouter sendTtl(int ttl) {
    this.sendTtl = ttl;
    return this;
  }

  /** The next {@code count} adverts this host sends are lost on the wire (to every receiver). */
  public SimRouter loseNextAdverts(int count) {
    this.advertsToLose = count;
    return this;
  }

  SimRouter handle(Input input) {
    if (!powered) {
      throw new IllegalStateException(name + " is powered off");
    }
    for (Action action : router.handle(input)) {
      apply(action);
    }
    checkHoldings(input);
    lan.rescheduled(this);
    if (group != null) {
      performGroup(group.settle(lan.now()));
    }
    return this;
  }

  void joined(SyncGroup<SimRouter> group) {
    this.group = group;
    performGroup(group.add(this, router, lan.now()));
  }

  /** What the group did after an input: each member performs the actions of what it was fed. */
  private void performGroup(List<SyncGroup.Event<SimRouter>> events) {
    for (SyncGroup.Event<SimRouter> event : events) {
      switch (event) {
        case SyncGroup.Fed<SimRouter> fed -> fed.member().performFed(fed.input(), fed.actions());
        case SyncGroup.GroupStateChanged<SimRouter> change -> lan.groupChanged(group, change);
      }
    }
  }

  private void performFed(Input input, List<Action> actions) {
    if (!powered) {
      throw new IllegalStateException(name + " is powered off");
    }
    for (Action action : actions) {
      apply(action);
    }
    checkHoldings(input);
    lan.rescheduled(this);
  }

  private void apply(Action action) {
    Instant now = lan.now();
    switch (action) {
      case SendAdvertisement s -> {
        sent.add(new Sent(now, s.advertisement(), s.destinations()));
        lan.transmit(this, s);
      }
      case AddAddresses a -> {
        for (InetAddress address : a.addresses()) {
          if (held.add(address)) {
            lan.acquired(address);
          }
        }
      }
      case RemoveAddresses r -> {
        for (InetAddress address : r.addresses()) {
          if (held.remove(address)) {
            lan.released(address);
          }
        }
      }
      case AnnounceAddresses a -> {
        announcements.add(new Announcement(now, a.addresses()));
        lan.announced(this, a.addresses());
      }
      case StopAnnouncing s -> stopAnnouncing.add(now);
      case StateChanged c ->
          transitions.add(new Transition(c.at(), c.from(), c.to(), c.reason(), c.priority()));
      case AddressListMismatch m -> mismatches.add(m);
    }
  }

  /** The runtime contract: all virtual addresses while Master, none in any other state. */
  private void checkHoldings(Input after) {
    Set<InetAddress> expected =
        router.state() == State.MASTER ? Set.copyOf(router.config().addresses()) : Set.of();
    if (!held.equals(expected)) {
      throw new AssertionError(
          name
              + " in "
              + router.state()
              + " holds "
              + held
              + " after "
              + after
              + " at "
              + lan.at());
    }
  }

  /** Called by the LAN when this host's earliest deadline has come. */
  void fire(Instant at) {
    handle(new Input.TimerFired(at));
    nextDeadline()
        .filter(d -> !d.isAfter(at))
        .ifPresent(
            d -> {
              throw new AssertionError(name + " left a deadline " + d + " armed after firing");
            });
  }

  /** Called by the LAN for each packet that reaches this host. */
  void receive(byte[] message, InetAddress source, InetAddress destination, int ttl) {
    if (!powered) {
      return;
    }
    Optional<Demux.Delivery<SimRouter>> delivery =
        demux.route(lan.now(), message, source, destination, ttl);
    delivery
        .filter(d -> d.target().powered)
        .ifPresent(
            d -> {
              d.target().received.add(new Received(lan.now(), source, d.input().advertisement()));
              d.target().handle(d.input());
            });
  }

  boolean consumeLoss() {
    if (advertsToLose > 0) {
      advertsToLose--;
      return true;
    }
    return false;
  }

  Optional<Instant> nextDeadline() {
    return powered ? router.nextDeadline() : Optional.empty();
  }

  int index() {
    return index;
  }

  int sendTtl() {
    return sendTtl;
  }

  // ---- observations

  public String name() {
    return name;
  }

  public InetAddress address() {
    return router.config().primaryAddress();
  }

  public boolean powered() {
    return powered;
  }

  public VirtualRouter router() {
    return router;
  }

  /** The sync group this router is in, if any. */
  public Optional<SyncGroup<SimRouter>> group() {
    return Optional.ofNullable(group);
  }

  public State state() {
    return router.state();
  }

  public boolean isMaster() {
    return powered && router.state() == State.MASTER;
  }

  public int priority() {
    return router.priority();
  }

  public Set<InetAddress> holds() {
    return Set.copyOf(held);
  }

  public Counters.Snapshot counters() {
    return router.counters();
  }

  public Counters.Snapshot demuxCounters() {
    return demux.counters();
  }

  public List<Transition> transitions() {
    return List.copyOf(transitions);
  }

  /** Transitions at or after {@code since}. */
  public List<Transition> transitionsSince(Instant since) {
    return transitions.stream().filter(t -> !t.at().isBefore(since)).toList();
  }

  /** The first transition into {@code state} at or after {@code since}. */
  public Transition firstTransitionTo(State state, Instant since) {
    return transitionsSince(since).stream()
        .filter(t -> t.to() == state)
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(name + " never entered " + state + " since " + since));
  }

  public Transition lastTransition() {
    if (transitions.isEmpty()) {
      throw new AssertionError(name + " never changed state");
    }
    return transitions.getLast();
  }

  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  public List<Sent> sentSince(Instant since) {
    return sent.stream().filter(s -> !s.at().isBefore(since)).toList();
  }

  /** The last advert this host sent before {@code before} (strictly). */
  public Sent lastSentBefore(Instant before) {
    return sent.stream()
        .filter(s -> s.at().isBefore(before))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError(name + " sent nothing before " + before));
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Adverts from {@code from} that reached this router (after the demux), oldest first. */
  public List<Received> receivedFrom(SimRouter from) {
    return received.stream().filter(r -> r.source().equals(from.address())).toList();
  }

  /** The last advert from {@code from} received strictly before {@code before}. */
  public Received lastReceivedFrom(SimRouter from, Instant before) {
    return receivedFrom(from).stream()
        .filter(r -> r.at().isBefore(before))
        .reduce((a, b) -> b)
        .orElseThrow(
            () ->
                new AssertionError(
                    name + " heard nothing from " + from.name + " before " + before));
  }

  public List<Announcement> announcements() {
    return List.copyOf(announcements);
  }

  public List<Announcement> announcementsSince(Instant since) {
    return announcements.stream().filter(a -> !a.at().isBefore(since)).toList();
  }

  public List<Instant> stopAnnouncing() {
    return List.copyOf(stopAnnouncing);
  }

  public List<AddressListMismatch> mismatches() {
    return List.copyOf(mismatches);
  }

  @Override
  public String toString() {
    return name + "(" + address().getHostAddress() + ", " + router.state() + ")";
  }
}
