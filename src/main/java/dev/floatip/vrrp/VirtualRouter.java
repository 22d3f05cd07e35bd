package dev.floatip.vrrp;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One virtual router (a VRID on one address family): the RFC 5798 §6 state machine, plus the FAULT
 * state keepalived adds for failed tracking. Sans-I/O: {@link #handle(Input)} takes an input
 * stamped with its time and returns the actions to perform; timers are data, exposed through {@link
 * #nextDeadline()}. Not thread-safe: one thread owns it. The state is a {@link RouterState} that
 * carries what only it knows (Backup: Master_Down_Timer, Master_Adver_Interval, the master it
 * follows; Master: Adver_Timer, the answers it owes), so none of it outlives its state.
 *
 * <p>Rules beyond the RFC text, each chosen deliberately:
 *
 * <ul>
 *   <li>A master that hears a lower-priority advertisement answers at once with its own and
 *       re-announces its addresses, now and again with its next advertisement (RFC 9568 §6.4.3 lets
 *       the lower router learn of us right away; the re-announcements repair neighbour caches after
 *       a split brain heals, keepalived #160/#166, even when the other router's own announcements
 *       reach the neighbours after our first ones). Lower adverts arriving within {@link
 *       #ANSWER_HOLDOFF_FRACTION a tenth} of the Advertisement_Interval after an answer get one
 *       more answer (and re-announcement) when that tenth has passed, instead of one each. When
 *       many routers become master at once (equal priorities: after the master dies, every backup's
 *       timer fires at the same instant) each would otherwise answer every lower one: O(n²)
 *       multicasts, 32 000 for 255 routers. Priority-0 adverts share the holdoff: the first is
 *       answered at once (RFC 5798 §6.4.3), a flood of forged ones gets one answer per holdoff.
 *   <li>A master that steps down for a higher-priority advertisement sends one last advertisement
 *       of its own first (keepalived's {@code higher_prio_send_advert}). When two masters meet
 *       after a partition and the winner's advert crosses first, this is how the winner learns of
 *       the loser and re-announces; otherwise the neighbours that followed the loser's
 *       announcements would keep sending to a router that no longer holds the addresses.
 *   <li>An advertisement whose address list differs from ours is counted and reported as {@link
 *       Action.AddressListMismatch}, and still takes part in the election. RFC 5798 §7.1 makes the
 *       check a MAY; dropping would turn a config drift (one VIP added on one node first) into two
 *       masters.
 *   <li>Preempt delay (keepalived's {@code preempt_delay}): a backup keeps accepting a
 *       lower-priority master's adverts for this long after it first sees one, then discards them
 *       and takes over when Master_Down_Timer fires.
 *   <li>FAULT: silent, without addresses; entering it from MASTER sends priority 0 first; leaving
 *       it goes to BACKUP, never straight to MASTER.
 *   <li>A new master adds and announces its addresses before its first advertisement (RFC 5798
 *       §6.4.2 lists the advertisement first). A preempted master gives the addresses up when that
 *       advertisement reaches it, and by then the neighbours already follow our announcement: the
 *       hand-over loses nothing.
 *   <li>Sync groups ({@link SyncGroup} feeds the {@code SyncGroup*} inputs): a member whose
 *       Master_Down_Timer fires does not become master on its own but waits in Backup ({@link
 *       #waitingForGroup()}) until every member can be master; hearing a master again ends the
 *       wait. The group's fault is a second fault source beside tracking: FAULT while either holds.
 *       A master the group sends to Backup resigns with priority 0 first, as for FAULT.
 *   <li>Standby (node maintenance, {@link Input.Standby}; not in the RFCs): a master resigns as on
 *       Shutdown (priority 0, addresses removed) but goes to Backup and keeps listening. In standby
 *       the router never becomes master: when Master_Down_Timer fires it is only re-armed (no state
 *       change), a lower-priority master's adverts are followed rather than discarded to preempt,
 *       and a sync group counts it as a member that cannot be master. Leaving standby restarts
 *       Master_Down_Timer from then: takeover and preemption follow the usual rules, never at once.
 *   <li>Departing unicast peers: a peer that a new configuration drops from the unicast peer list
 *       is still heard (its adverts are not {@link DropReason#UNKNOWN_PEER}) and still sent to,
 *       until it has been silent for Master_Down_Interval or has resigned with priority 0. Peer
 *       lists change on each node at its own moment (cluster mode: when its informers see a Node or
 *       VirtualIP change), so a master can still advertise to a router that has already dropped it;
 *       ignoring it there would make that router a second master while the first still holds the
 *       addresses. A node that really leaves resigns first, or falls silent.
 * </ul>
 */
public final class VirtualRouter {

  /** RFC 5798 §6.1: Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time. */
  public static final int DOWN_TIMER_ADVERTS = 3;

  /** A master answers lower-priority adverts at most once per this fraction of its interval. */
  public static final int ANSWER_HOLDOFF_FRACTION = 10;

  private static final Duration ONE_SECOND = Duration.ofSeconds(1);

  private RouterConfig config;
  private int priority;

  /** The state and what only it knows: timers, the master followed, pending answers. */
  private RouterState state = new RouterState.Initialize(null, null);

  // held across states: each is an input's standing value, not a state's
  private boolean fault;
  private String faultCause = "";
  private String syncGroup = "";
  private boolean groupFault;
  private String groupFaultCause = "";
  private boolean standby;

  private Mismatch lastMismatch;
  private final Counters counters = new Counters();

  /** Peers dropped from the unicast list, heard until silent: when each was last heard from. */
  private final Map<InetAddress, Instant> departing = new HashMap<>();

  private record Mismatch(InetAddress source, Set<InetAddress> theirs) {}

  /**
   * @param priority the initial effective priority, 1..254 (255 is the address owner's, which
   *     floatip never is: it never owns the address it moves)
   */
  public VirtualRouter(RouterConfig config, int priority) {
    this.config = Objects.requireNonNull(config, "config");
    this.priority = checkPriority(priority);
  }

  /** Feeds one input; returns the actions to perform, in order. */
  public List<Action> handle(Input input) {
    List<Action> out = new ArrayList<>();
    expireDeparted(input.at());
    switch (input) {
      case Input.Startup s -> startup(s.at(), out);
      case Input.Shutdown s -> shutdown(s.at(), out);
      case Input.TimerFired t -> timersFired(t.at(), out);
      case Input.AdvertisementReceived r -> received(r, out);
      case Input.PriorityChanged p -> priority = checkPriority(p.priority());
      case Input.FaultChanged f -> faultChanged(f, out);
      case Input.ConfigChanged c -> reconfigure(c.at(), c.config(), out);
      case Input.Standby s -> standbyChanged(s.at(), s.on(), out);
      case Input.SyncGroupMembership m -> membership(m.at(), m.group(), out);
      case Input.SyncGroupFault f -> groupFaultChanged(f, out);
      case Input.SyncGroupMaster m -> {
        if (state instanceof RouterState.Backup b && b.waitingForGroup() && !standby) {
          becomeMaster(m.at(), b, out);
        }
      }
      case Input.SyncGroupBackup b -> {
        if (state instanceof RouterState.Master) {
          resign(out);
          enterBackup(b.at(), Reason.SYNC_GROUP, out);
        }
      }
    }
    return out;
  }

  /** The earliest armed timer, if any; feed {@link Input.TimerFired} at or after it. */
  public Optional<Instant> nextDeadline() {
    return switch (state) {
      case RouterState.Backup b -> Optional.ofNullable(b.masterDownTimer);
      case RouterState.Master m -> Optional.of(m.adverTimer);
      case RouterState.Initialize i -> Optional.empty();
      case RouterState.Fault f -> Optional.empty();
    };
  }

  // ---- RFC 5798 §6.4.1 Initialize

  private void startup(Instant at, List<Action> out) {
    if (!(state instanceof RouterState.Initialize)) {
      return;
    }
    if (faulted()) {
      transition(new RouterState.Fault(at, fault ? Reason.FAULT : Reason.SYNC_GROUP), out);
      return;
    }
    // Priority 255 would go straight to Master; floatip never owns the address, so always Backup.
    enterBackup(at, Reason.STARTUP, out);
  }

  // ---- RFC 5798 §6.4.2 Backup / §6.4.3 Master: Input.Shutdown

  private void shutdown(Instant at, List<Action> out) {
    if (state instanceof RouterState.Master) {
      resign(out);
    }
    if (!(state instanceof RouterState.Initialize)) {
      transition(new RouterState.Initialize(at, Reason.SHUTDOWN), out);
    }
  }

  private void timersFired(Instant at, List<Action> out) {
    switch (state) {
      case RouterState.Backup b when b.masterDownTimer != null && !at.isBefore(b.masterDownTimer) ->
          masterDown(at, b, out);
      case RouterState.Master m when !at.isBefore(m.adverTimer) -> adverTimerFired(at, m, out);
      default -> {}
    }
  }

  /** RFC 5798 §6.4.2: Master_Down_Timer fired. */
  private void masterDown(Instant at, RouterState.Backup b, List<Action> out) {
    if (standby) {
      // held in Backup: the master is gone as far as we know; keep watching, stay put
      b.masterAddress = null;
      b.masterDownReason = Reason.MASTER_DOWN;
      b.masterDownTimer = at.plus(masterDownInterval(b.masterAdverInterval));
    } else if (syncGroup.isEmpty()) {
      becomeMaster(at, b, out);
    } else {
      // the group decides (Input.SyncGroupMaster): every member must be able to become master
      b.masterDownTimer = null;
    }
  }

  /** RFC 5798 §6.4.3: Adver_Timer fired; it also carries the answers held off until now. */
  private void adverTimerFired(Instant at, RouterState.Master m, List<Action> out) {
    advertise(at, m, out);
    if (m.resignationAnswerPending) {
      m.resignationAnswerPending = false;
      m.lastAnswer = at; // this advert was a deferred answer: the holdoff starts again
    }
    if (m.answerPending) {
      m.answerPending = false;
      m.lastAnswer = at;
      out.add(new Action.AnnounceAddresses(config.allAddresses()));
    }
  }

  // ---- RFC 5798 §7.1 receive validation, then §6.4.2 / §6.4.3

  private void received(Input.AdvertisementReceived r, List<Action> out) {
    Advertisement adv = r.advertisement();
    DropReason drop = validate(r.source(), r.ttl(), adv);
    if (drop != null) {
      counters.drop(drop);
      return;
    }
    counters.received(adv.priority());
    heardDeparting(r.at(), r.source(), adv.priority());
    checkAddressList(r.at(), r.source(), adv, out);
    switch (state) {
      case RouterState.Backup b -> backupReceived(r.at(), r.source(), adv, b);
      case RouterState.Master m -> masterReceived(r.at(), r.source(), adv, m, out);
      case RouterState.Initialize i -> {} // not participating
      case RouterState.Fault f -> {} // not participating
    }
  }

  private DropReason validate(InetAddress source, int ttl, Advertisement adv) {
    if (ttl != VrrpCodec.TTL) {
      return DropReason.BAD_TTL; // RFC 5798 §7.1: MUST verify TTL/hop limit 255
    }
    if (adv.vrid() != config.vrid()) {
      return DropReason.UNKNOWN_VRID;
    }
    if (!config.family().contains(source)) {
      return DropReason.UNSUPPORTED_FAMILY;
    }
    if (adv.version() != config.version()) {
      return DropReason.VERSION_MISMATCH;
    }
    if (source.equals(config.primaryAddress())) {
      return DropReason.OWN_ADVERTISEMENT;
    }
    if (config.unicast()
        && !config.unicastPeers().contains(source)
        && !departing.containsKey(source)) {
      return DropReason.UNKNOWN_PEER;
    }
    if (!adv.authentication().equals(config.authentication())) {
      return DropReason.AUTH_MISMATCH; // RFC 2338 §7.1
    }
    if (config.version() == VrrpVersion.V2 && !adv.adverInterval().equals(config.adverInterval())) {
      return DropReason.INTERVAL_MISMATCH; // RFC 3768 §7.1: MUST verify, MUST drop
    }
    return null;
  }

  private void checkAddressList(
      Instant at, InetAddress source, Advertisement adv, List<Action> out) {
    if (adv.priority() == 0) {
      return; // a resigning master's list does not matter
    }
    Set<InetAddress> theirs = Set.copyOf(adv.addresses());
    if (theirs.equals(Set.copyOf(config.addresses()))) {
      return;
    }
    counters.addressListMismatch();
    Mismatch m = new Mismatch(source, theirs);
    if (!m.equals(lastMismatch)) {
      lastMismatch = m;
      out.add(new Action.AddressListMismatch(at, source, adv.addresses(), config.addresses()));
    }
  }

  private void backupReceived(
      Instant at, InetAddress source, Advertisement adv, RouterState.Backup b) {
    if (adv.priority() == 0) {
      // RFC 5798 §6.4.2: the master resigned; wait only Skew_Time (a group wait ends too)
      b.lastMasterAdvert = at;
      b.masterDownTimer = at.plus(skewTime(b.masterAdverInterval));
      b.masterDownReason = Reason.MASTER_RESIGNED;
      return;
    }
    boolean lower = adv.priority() < priority;
    // in standby we may not preempt: follow the lower master like any other
    if (!standby && config.preempt() && lower && !withinPreemptDelay(at, b)) {
      b.masterDownReason = Reason.PREEMPTED; // discard: we take over when Master_Down_Timer fires
      return;
    }
    if (!lower || standby) {
      b.lowerPriorityMasterSince = null;
    }
    if (config.version() == VrrpVersion.V3) {
      b.masterAdverInterval = adv.adverInterval(); // RFC 5798 §6.4.2: adopt the master's interval
    }
    follow(at, source, b);
  }

  /** RFC 5798 §6.4.2: an accepted advert resets Master_Down_Timer (and ends a group wait). */
  private void follow(Instant at, InetAddress source, RouterState.Backup b) {
    b.masterAddress = source;
    b.lastMasterAdvert = at;
    b.masterDownReason = Reason.MASTER_DOWN;
    b.masterDownTimer = at.plus(masterDownInterval(b.masterAdverInterval));
  }

  private boolean withinPreemptDelay(Instant at, RouterState.Backup b) {
    if (config.preemptDelay().isZero()) {
      return false;
    }
    if (b.lowerPriorityMasterSince == null) {
      b.lowerPriorityMasterSince = at;
    }
    return at.isBefore(b.lowerPriorityMasterSince.plus(config.preemptDelay()));
  }

  private void masterReceived(
      Instant at, InetAddress source, Advertisement adv, RouterState.Master m, List<Action> out) {
    if (adv.priority() == 0) {
      answerResignation(at, m, out);
      return;
    }
    boolean higher =
        adv.priority() > priority
            || (adv.priority() == priority
                && Addresses.ORDER.compare(source, config.primaryAddress()) > 0);
    if (higher) {
      // RFC 5798 §6.4.3: step down, after one last advert of ours so that the winner learns there
      // were two masters and re-announces (below): neighbours may still follow our announcements
      send(priority, out);
      RouterState.Backup b =
          new RouterState.Backup(
              at,
              Reason.HIGHER_PRIORITY_MASTER,
              config.version() == VrrpVersion.V3 ? adv.adverInterval() : config.adverInterval());
      follow(at, source, b);
      out.add(new Action.StopAnnouncing());
      out.add(new Action.RemoveAddresses(config.allAddresses()));
      transition(b, out);
    } else {
      // A lower router thinks it is master (start-up, or a healed partition): tell it now, and
      // repair the neighbours' caches it may have pointed at itself.
      answerLowerMaster(at, m, out);
    }
  }

  /**
   * RFC 5798 §6.4.3: a priority-0 advert makes the master send one of its own at once. A genuine
   * resignation is answered at once; more of them within the holdoff (forged ones, an amplifier
   * otherwise) get one answer when the holdoff ends, as lower-priority adverts do.
   */
  private void answerResignation(Instant at, RouterState.Master m, List<Action> out) {
    Instant holdoffEnd = holdoffEnd(at, m);
    if (!at.isBefore(holdoffEnd)) {
      m.lastAnswer = at;
      advertise(at, m, out);
    } else {
      m.resignationAnswerPending = true;
      m.pullAdverTimerIn(holdoffEnd);
    }
  }

  private Instant holdoffEnd(Instant at, RouterState.Master m) {
    return m.lastAnswer == null
        ? at
        : m.lastAnswer.plus(config.adverInterval().dividedBy(ANSWER_HOLDOFF_FRACTION));
  }

  private void answerLowerMaster(Instant at, RouterState.Master m, List<Action> out) {
    Instant holdoffEnd = holdoffEnd(at, m);
    if (!at.isBefore(holdoffEnd)) {
      m.lastAnswer = at;
      advertise(at, m, out);
      out.add(new Action.AnnounceAddresses(config.allAddresses()));
      // and once more with the next advert: the other router's own announcements may still be on
      // their way (its worker was slower than ours) and would leave neighbours on it
      m.answerPending = true;
    } else {
      // answered a moment ago: answer once more when the holdoff ends (the Adver_Timer, pulled in)
      m.answerPending = true;
      m.pullAdverTimerIn(holdoffEnd);
    }
  }

  // ---- tracking input (keepalived FAULT)

  private void faultChanged(Input.FaultChanged f, List<Action> out) {
    boolean before = faulted();
    fault = f.fault();
    faultCause = f.fault() ? f.cause() : "";
    faultMoved(f.at(), before, Reason.FAULT, Reason.FAULT_CLEARED, out);
  }

  // ---- node maintenance (not in the RFCs)

  private void standbyChanged(Instant at, boolean on, List<Action> out) {
    if (standby == on) {
      return;
    }
    standby = on;
    switch (state) {
      case RouterState.Master master -> {
        // standby is never on in Master: it resigns when it goes on, and keeps it from Master
        resign(out); // as RFC 5798 §6.4.3 Shutdown: priority 0, backups wait only Skew_Time
        enterBackup(at, Reason.MAINTENANCE, out);
      }
      case RouterState.Backup b -> {
        b.lowerPriorityMasterSince = null;
        if (!on) {
          // resume as a backup that just started listening: no shortcut to master or preemption
          b.masterDownReason = Reason.MASTER_DOWN;
          b.masterDownTimer = at.plus(masterDownInterval(b.masterAdverInterval));
        } else if (b.waitingForGroup()) {
          // we can no longer be master, so we no longer wait to be
          b.masterDownTimer = at.plus(masterDownInterval(b.masterAdverInterval));
        }
      }
      case RouterState.Initialize
              i -> {} // recorded; they leave for RouterState.Backup, where it holds
      case RouterState.Fault f -> {} // recorded; they leave for RouterState.Backup, where it holds
    }
  }

  // ---- sync group (SyncGroup feeds these)

  private void groupFaultChanged(Input.SyncGroupFault f, List<Action> out) {
    boolean before = faulted();
    groupFault = f.fault();
    groupFaultCause = f.fault() ? f.cause() : "";
    faultMoved(f.at(), before, Reason.SYNC_GROUP, Reason.SYNC_GROUP, out);
  }

  private void membership(Instant at, String group, List<Action> out) {
    syncGroup = Objects.requireNonNull(group, "group");
    if (!syncGroup.isEmpty()) {
      return;
    }
    // alone again: the group's fault no longer holds us, and nobody else has a say
    boolean before = faulted();
    groupFault = false;
    groupFaultCause = "";
    faultMoved(at, before, Reason.SYNC_GROUP, Reason.SYNC_GROUP, out);
    if (state instanceof RouterState.Backup b && b.waitingForGroup()) {
      becomeMaster(at, b, out);
    }
  }

  /** FAULT follows either source: tracking ({@link Input.FaultChanged}) or the sync group. */
  private void faultMoved(
      Instant at, boolean before, Reason enter, Reason leave, List<Action> out) {
    boolean after = faulted();
    if (before == after) {
      return;
    }
    if (after) {
      if (state instanceof RouterState.Master) {
        resign(out);
      }
      if (!(state instanceof RouterState.Initialize)) {
        transition(new RouterState.Fault(at, enter), out);
      }
    } else if (state instanceof RouterState.Fault) {
      enterBackup(at, leave, out);
    }
  }

  private boolean faulted() {
    return fault || groupFault;
  }

  private void reconfigure(Instant at, RouterConfig next, List<Action> out) {
    if (next.vrid() != config.vrid()
        || next.family() != config.family()
        || next.version() != config.version()) {
      throw new IllegalArgumentException("VRID, family and version identify a router; replace it");
    }
    RouterConfig previous = config;
    config = next;
    lastMismatch = null;
    peersChanged(at, previous);
    if (state instanceof RouterState.Backup b && config.version() == VrrpVersion.V2) {
      b.masterAdverInterval = config.adverInterval(); // v2 never learns it from the master
    }
    if (!(state instanceof RouterState.Master m)) {
      return;
    }
    Set<InetAddress> removed = new HashSet<>(previous.allAddresses());
    removed.removeAll(next.allAddresses());
    List<InetAddress> added =
        next.allAddresses().stream().filter(a -> !previous.allAddresses().contains(a)).toList();
    if (!removed.isEmpty()) {
      out.add(
          new Action.RemoveAddresses(
              previous.allAddresses().stream().filter(removed::contains).toList()));
    }
    if (!added.isEmpty()) {
      out.add(new Action.AddAddresses(added));
      out.add(new Action.AnnounceAddresses(added));
    }
    if (!removed.isEmpty()
        || !added.isEmpty()
        || !previous.adverInterval().equals(next.adverInterval())) {
      advertise(at, m, out);
    }
  }

  // ---- departing unicast peers (see the class comment)

  private void peersChanged(Instant at, RouterConfig previous) {
    if (!config.unicast()) {
      departing.clear(); // every source is heard, and adverts go to the group
      return;
    }
    departing.keySet().removeAll(config.unicastPeers());
    if (previous.unicast()) {
      for (InetAddress p : previous.unicastPeers()) {
        if (!config.unicastPeers().contains(p)) {
          departing.putIfAbsent(p, at); // silent from now on, as far as the timer goes
        }
      }
    }
  }

  private void heardDeparting(Instant at, InetAddress source, int advertisedPriority) {
    if (!departing.containsKey(source)) {
      return;
    }
    if (advertisedPriority == 0) {
      departing.remove(source); // it resigned: this advert is its last word
    } else {
      departing.put(source, at);
    }
  }

  /** Drops the departing peers silent for Master_Down_Interval. */
  private void expireDeparted(Instant at) {
    if (!departing.isEmpty()) {
      Duration silence = masterDownInterval();
      departing.values().removeIf(heard -> !at.isBefore(heard.plus(silence)));
    }
  }

  /** The peers still heard after leaving the unicast list, sorted; empty when none. */
  public List<InetAddress> departingPeers() {
    return departing.keySet().stream().sorted(Addresses.ORDER).toList();
  }

  private List<InetAddress> destinations() {
    if (departing.isEmpty()) {
      return config.destinations();
    }
    Set<InetAddress> all = new HashSet<>(config.unicastPeers());
    all.addAll(departing.keySet());
    return all.stream().sorted(Addresses.ORDER).toList();
  }

  // ---- transitions

  /**
   * RouterState.Backup afresh: our own Master_Adver_Interval, no master known, Master_Down_Timer
   * armed.
   */
  private void enterBackup(Instant at, Reason reason, List<Action> out) {
    RouterState.Backup b = new RouterState.Backup(at, reason, config.adverInterval());
    b.masterDownTimer = at.plus(masterDownInterval(b.masterAdverInterval));
    transition(b, out);
  }

  /** RFC 5798 §6.4.2 Master_Down_Timer fired: advertise, take the addresses, announce them. */
  private void becomeMaster(Instant at, RouterState.Backup from, List<Action> out) {
    counters.becameMaster();
    // addresses first, then the advert: see the class comment
    out.add(new Action.AddAddresses(config.allAddresses()));
    out.add(new Action.AnnounceAddresses(config.allAddresses()));
    send(priority, out);
    transition(
        new RouterState.Master(
            at, from.masterDownReason, at.plus(config.adverInterval()), from.lastMasterAdvert),
        out);
  }

  /**
   * Leave MASTER: a priority-0 advert so backups wait only Skew_Time, then drop the addresses. The
   * caller moves to the next state at once.
   */
  private void resign(List<Action> out) {
    send(0, out);
    out.add(new Action.StopAnnouncing());
    out.add(new Action.RemoveAddresses(config.allAddresses()));
  }

  /** Sends our advertisement and restarts Adver_Timer (RFC 5798 §6.4.3). */
  private void advertise(Instant at, RouterState.Master m, List<Action> out) {
    send(priority, out);
    m.adverTimer = at.plus(config.adverInterval());
  }

  private void send(int advertisedPriority, List<Action> out) {
    counters.sent(advertisedPriority);
    out.add(
        new Action.SendAdvertisement(
            new Advertisement(
                config.version(),
                config.vrid(),
                advertisedPriority,
                config.adverInterval(),
                config.addresses(),
                config.authentication()),
            destinations()));
  }

  private void transition(RouterState to, List<Action> out) {
    State from = state.kind();
    state = to;
    out.add(new Action.StateChanged(to.since(), from, to.kind(), to.reason(), priority));
  }

  // ---- timer arithmetic (RFC 5798 §6.1, RFC 3768 §6.1), in nanoseconds. Exact except for
  // v3 intervals of an odd number of centiseconds with an odd 256 − priority, where the skew has
  // half a nanosecond, which is dropped (10 ms at priority 1: 9 960 937.5 ns → 9 960 937 ns)

  /** Skew_Time from the current effective priority. */
  public Duration skewTime() {
    return skewTime(masterAdverInterval());
  }

  /** Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time. */
  public Duration masterDownInterval() {
    return masterDownInterval(masterAdverInterval());
  }

  private Duration skewTime(Duration masterAdverInterval) {
    Duration base = config.version() == VrrpVersion.V3 ? masterAdverInterval : ONE_SECOND;
    return Duration.ofNanos((256L - priority) * base.toNanos() / 256);
  }

  private Duration masterDownInterval(Duration masterAdverInterval) {
    return masterAdverInterval.multipliedBy(DOWN_TIMER_ADVERTS).plus(skewTime(masterAdverInterval));
  }

  private static int checkPriority(int priority) {
    if (priority < 1 || priority > 254) {
      throw new IllegalArgumentException("effective priority must be 1..254, was " + priority);
    }
    return priority;
  }

  // ---- read-only view for status, metrics and tests

  public State state() {
    return state.kind();
  }

  public int priority() {
    return priority;
  }

  public RouterConfig config() {
    return config;
  }

  /**
   * Master_Adver_Interval: in Backup the one learned from the master (v3, RFC 5798 §6.4.2), in
   * every other state our own Advertisement_Interval.
   */
  public Duration masterAdverInterval() {
    return state instanceof RouterState.Backup b ? b.masterAdverInterval : config.adverInterval();
  }

  /** The current master's address as far as we know: ours when master, none when not running. */
  public Optional<InetAddress> masterAddress() {
    return switch (state) {
      case RouterState.Backup b -> Optional.ofNullable(b.masterAddress);
      case RouterState.Master master -> Optional.of(config.primaryAddress());
      case RouterState.Initialize i -> Optional.empty();
      case RouterState.Fault f -> Optional.empty();
    };
  }

  /**
   * The start of a failover, for its duration metric: in Backup when the last advertisement we
   * followed arrived (a priority-0 one included); in Master the one heard before this takeover.
   * Empty when this Backup has heard none yet, and in Initialize and FAULT.
   */
  public Optional<Instant> lastMasterAdvert() {
    return switch (state) {
      case RouterState.Backup b -> Optional.ofNullable(b.lastMasterAdvert);
      case RouterState.Master m -> Optional.ofNullable(m.previousMasterAdvert);
      case RouterState.Initialize i -> Optional.empty();
      case RouterState.Fault f -> Optional.empty();
    };
  }

  /** The deadline of {@code timer}, armed only in its state (RFC 5798 §6.2). */
  public Optional<Instant> deadline(Timer timer) {
    return switch (timer) {
      case MASTER_DOWN ->
          state instanceof RouterState.Backup b
              ? Optional.ofNullable(b.masterDownTimer)
              : Optional.empty();
      case ADVERTISEMENT ->
          state instanceof RouterState.Master m ? Optional.of(m.adverTimer) : Optional.empty();
    };
  }

  /** When the current state was entered; empty before the first transition. */
  public Optional<Instant> lastTransition() {
    return Optional.ofNullable(state.since());
  }

  /** Why the current state was entered; empty before the first transition. */
  public Optional<Reason> lastReason() {
    return Optional.ofNullable(state.reason());
  }

  /** Whether tracking holds the router in FAULT ({@link Input.FaultChanged}); the group aside. */
  public boolean fault() {
    return fault;
  }

  public String faultCause() {
    return faultCause;
  }

  /** The sync group this router is a member of; empty when none. */
  public String syncGroup() {
    return syncGroup;
  }

  /** Whether the sync group holds the router in FAULT (another member's tracking failed). */
  public boolean groupFault() {
    return groupFault;
  }

  public String groupFaultCause() {
    return groupFaultCause;
  }

  /**
   * Whether the router is held in Backup for node maintenance ({@link Input.Standby}); recorded in
   * every state, it keeps the router from becoming master.
   */
  public boolean standby() {
    return standby;
  }

  /**
   * A sync-group member in Backup whose Master_Down_Timer fired: it would be master, and waits
   * until every member of its group can be (keepalived: "wants master").
   */
  public boolean waitingForGroup() {
    return state instanceof RouterState.Backup b && b.waitingForGroup();
  }

  /**
   * In Backup, following a live master: the last advertisement was accepted (not a resignation, not
   * a lower-priority one we discard to preempt) and Master_Down_Timer has not fired since. A sync
   * group cannot be master while one of its members follows a master elsewhere.
   */
  public boolean followsMaster() {
    return state instanceof RouterState.Backup b
        && !b.waitingForGroup()
        && b.masterAddress != null
        && b.masterDownReason == Reason.MASTER_DOWN;
  }

  public Counters.Snapshot counters() {
    return counters.snapshot();
  }
}
