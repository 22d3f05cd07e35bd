package dev.floatip.vrrp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A sync group on one node (keepalived's {@code vrrp_sync_group}, the {@code syncGroup} field of a
 * VirtualIP): routers that change state together. Pure and level-triggered: after any input to any
 * member, {@link #settle} looks at every member and feeds the members what the group requires,
 * until nothing changes. Not thread-safe: the thread that owns the routers owns the group.
 *
 * <p>The rules, as keepalived's maintainer describes sync groups (acassen/keepalived#2169: "The
 * members of a sync group can only be master if ALL member instances are eligible to become
 * master"; #624; #542):
 *
 * <ul>
 *   <li><b>FAULT together.</b> While a member is in FAULT by its own tracking, every other member
 *       is in FAULT too ({@link Input.SyncGroupFault}, cause naming the members); a master among
 *       them resigns with priority 0 first, as for any FAULT. When the last member's own fault
 *       clears, all go to Backup together. The group fault is a second fault source in each router
 *       beside tracking ({@link Input.FaultChanged}), so the runtime's own fault bookkeeping is
 *       untouched.
 *   <li><b>Master only all together.</b> A member whose Master_Down_Timer fires does not take over:
 *       it waits ({@link VirtualRouter#waitingForGroup()}). When every running member waits or is
 *       already master, the waiting ones become master at once ({@link Input.SyncGroupMaster}),
 *       each with its own reason. A member that follows a live master elsewhere (or a lower one it
 *       may not preempt) keeps the whole group in Backup. So a loss of one VRID's adverts from the
 *       master host does not split the VIPs across hosts: the member that stops hearing its master
 *       waits, the other still follows the same host, and nothing moves until it too loses its
 *       master (the host is really gone) or the adverts come back. The suggested alternative, "one
 *       member becomes master, the others follow at once", makes that member's partner advertise
 *       against a higher master, step down, pull the group down, and start over every
 *       Master_Down_Interval: the constant re-election keepalived's man page warns about.
 *   <li><b>Backup together.</b> When a member follows a master elsewhere (it stepped down for a
 *       higher-priority advertisement, or a new member heard one) while others are master, those
 *       resign: a priority-0 advertisement, then Backup ({@link Input.SyncGroupBackup}, reason
 *       {@link Reason#SYNC_GROUP}). Priority 0 because on their VRIDs nothing else tells the
 *       backups that the addresses left: they would wait a whole Master_Down_Interval with the
 *       addresses nowhere. The peer's members then take over after Skew_Time if their own group
 *       lets them (a keepalived peer's group applies the same rule), and otherwise wait as above.
 *   <li><b>Standby holds the group in Backup.</b> A member in standby (node maintenance, {@link
 *       Input.Standby}) can never be master, so neither can the group: it counts like a member that
 *       follows a master elsewhere, and masters among the others resign with priority 0 ({@link
 *       Input.SyncGroupBackup}). Putting every member in standby (the agent does it node-wide) thus
 *       resigns the whole group at the instant the first member goes; the group may be master again
 *       only after every member has left standby and the usual rule lets it.
 *   <li><b>Stopped members do not count.</b> A member in Initialize (not started, or shut down)
 *       neither holds the group back nor faults it: shutting one member down is not a group event.
 *   <li><b>No loops.</b> The group only feeds inputs that bring members to what it requires (FAULT
 *       flag as required, waiting members to master, masters to backup), and those do not create a
 *       new requirement, so a settle ends after at most three rounds; more is a bug and throws.
 * </ul>
 *
 * <p>Call protocol for a runtime (the agent's event loop, or the simulated LAN):
 *
 * <ol>
 *   <li>{@link #add} each member's router when it is created (before or after its Startup), and
 *       {@link #remove} it when it leaves the group or is deleted (after its Shutdown).
 *   <li>After feeding any input to a member's router and performing its actions, call {@link
 *       #settle} with the same time.
 *   <li>Perform every returned event in order: for {@link Fed}, the group has already fed the input
 *       to that member's router; perform its {@code actions} exactly as for actions the runtime got
 *       from {@code handle} (then re-read that router's {@code nextDeadline()}). Do not call {@code
 *       settle} again for these; {@link GroupStateChanged} is for the group's notify ({@code GROUP
 *       <name> <STATE>}), status and logs.
 * </ol>
 *
 * @param <K> how the runtime names a member (its router id); {@code toString()} appears in causes
 */
public final class SyncGroup<K> {

  /** What a settle did, in order. */
  public sealed interface Event<K> {}

  /**
   * The group fed {@code input} to {@code member}'s router, which returned {@code actions}: the
   * runtime performs them.
   */
  public record Fed<K>(K member, Input input, List<Action> actions) implements Event<K> {
    public Fed {
      actions = List.copyOf(actions);
    }
  }

  /**
   * The group as a whole changed state: FAULT while any running member is in FAULT, MASTER when all
   * are master, INITIALIZE when none runs, BACKUP otherwise.
   */
  public record GroupStateChanged<K>(Instant at, String group, State from, State to)
      implements Event<K> {}

  /** Rounds a settle may take; the rules need at most three (fault, then backup or master). */
  private static final int MAX_ROUNDS = 8;

  private final String name;
  private final Map<K, VirtualRouter> members = new LinkedHashMap<>();
  private State state = State.INITIALIZE;

  public SyncGroup(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a sync group needs a name");
    }
    this.name = name;
  }

  /** Makes {@code router} a member; returns what that did (and what the group then required). */
  public List<Event<K>> add(K member, VirtualRouter router, Instant at) {
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(router, "router");
    if (members.containsKey(member) || members.containsValue(router)) {
      throw new IllegalArgumentException(member + " is already a member of " + name);
    }
    if (!router.syncGroup().isEmpty()) {
      throw new IllegalArgumentException(member + " is in sync group " + router.syncGroup());
    }
    members.put(member, router);
    List<Event<K>> out = new ArrayList<>();
    feed(member, new Input.SyncGroupMembership(at, name), out);
    settle(at, out);
    return out;
  }

  /**
   * Takes {@code member} out of the group: it no longer waits for the others nor shares their
   * faults (it may become master at once if it was waiting). Unknown members are ignored.
   */
  public List<Event<K>> remove(K member, Instant at) {
    if (!members.containsKey(member)) {
      return List.of();
    }
    List<Event<K>> out = new ArrayList<>();
    feed(member, new Input.SyncGroupMembership(at, ""), out);
    members.remove(member);
    settle(at, out);
    return out;
  }

  /** After any input to any member: brings the others in line (see the class comment). */
  public List<Event<K>> settle(Instant at) {
    List<Event<K>> out = new ArrayList<>();
    settle(at, out);
    return out;
  }

  private void settle(Instant at, List<Event<K>> out) {
    for (int round = 0; ; round++) {
      if (round == MAX_ROUNDS) {
        throw new IllegalStateException("sync group " + name + " did not settle: " + members);
      }
      if (!round(at, out)) {
        break;
      }
    }
    State now = groupState();
    if (now != state) {
      out.add(new GroupStateChanged<>(at, name, state, now));
      state = now;
    }
  }

  /** One round of rules; true if it fed anything. */
  private boolean round(Instant at, List<Event<K>> out) {
    // FAULT together: each member's group fault = some other running member's own fault
    boolean fed = false;
    for (Map.Entry<K, VirtualRouter> e : members.entrySet()) {
      String cause = faultsBesides(e.getKey());
      VirtualRouter r = e.getValue();
      boolean fault = !cause.isEmpty();
      if (r.groupFault() != fault || !r.groupFaultCause().equals(cause)) {
        feed(e.getKey(), new Input.SyncGroupFault(at, fault, cause), out);
        fed = true;
      }
    }
    if (fed) {
      return true;
    }
    List<Map.Entry<K, VirtualRouter>> running =
        members.entrySet().stream().filter(e -> e.getValue().state() != State.INITIALIZE).toList();
    if (running.isEmpty() || running.stream().anyMatch(e -> is(e, State.FAULT))) {
      return false;
    }
    // Backup together: a member follows a master elsewhere, or is in standby, so none may be master
    List<K> followers =
        running.stream()
            .filter(e -> e.getValue().followsMaster() && !e.getValue().standby())
            .map(Map.Entry::getKey)
            .toList();
    List<K> standby =
        running.stream().filter(e -> e.getValue().standby()).map(Map.Entry::getKey).toList();
    if (!followers.isEmpty() || !standby.isEmpty()) {
      List<String> why = new ArrayList<>();
      if (!standby.isEmpty()) {
        why.add(describe(standby) + " in standby");
      }
      if (!followers.isEmpty()) {
        why.add(describe(followers) + " follows a master elsewhere");
      }
      String cause = "sync group " + name + ": " + String.join("; ", why);
      for (Map.Entry<K, VirtualRouter> e : running) {
        if (is(e, State.MASTER)) {
          feed(e.getKey(), new Input.SyncGroupBackup(at, cause), out);
          fed = true;
        }
      }
      return fed;
    }
    // Master all together: every running member waits or is master already
    boolean all =
        running.stream().allMatch(e -> is(e, State.MASTER) || e.getValue().waitingForGroup());
    if (all) {
      for (Map.Entry<K, VirtualRouter> e : running) {
        if (e.getValue().waitingForGroup()) {
          feed(e.getKey(), new Input.SyncGroupMaster(at), out);
          fed = true;
        }
      }
    }
    return fed;
  }

  private String faultsBesides(K member) {
    List<String> faults = new ArrayList<>();
    for (Map.Entry<K, VirtualRouter> e : members.entrySet()) {
      VirtualRouter r = e.getValue();
      if (!e.getKey().equals(member) && r.fault() && r.state() != State.INITIALIZE) {
        faults.add(e.getKey() + " in FAULT (" + r.faultCause() + ")");
      }
    }
    return faults.isEmpty() ? "" : "sync group " + name + ": " + String.join("; ", faults);
  }

  private static boolean is(Map.Entry<?, VirtualRouter> e, State s) {
    return e.getValue().state() == s;
  }

  private static String describe(List<?> keys) {
    return keys.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  private void feed(K member, Input input, List<Event<K>> out) {
    out.add(new Fed<>(member, input, members.get(member).handle(input)));
  }

  private State groupState() {
    List<State> states =
        members.values().stream()
            .map(VirtualRouter::state)
            .filter(s -> s != State.INITIALIZE)
            .toList();
    if (states.isEmpty()) {
      return State.INITIALIZE;
    }
    if (states.contains(State.FAULT)) {
      return State.FAULT;
    }
    return states.stream().allMatch(s -> s == State.MASTER) ? State.MASTER : State.BACKUP;
  }

  // ---- read-only view

  public String name() {
    return name;
  }

  /** The group's state as of the last settle (see {@link GroupStateChanged}). */
  public State state() {
    return state;
  }

  /** The members and their routers, in the order they were added. */
  public Map<K, VirtualRouter> members() {
    return Collections.unmodifiableMap(members);
  }
}
