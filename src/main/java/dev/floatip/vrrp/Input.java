package dev.floatip.vrrp;

import java.net.InetAddress;
import java.time.Instant;

/** Everything that can happen to a {@link VirtualRouter}. Each input carries its own time. */
public sealed interface Input {
  Instant at();

  /** RFC 5798 §6.4.1 Startup event. */
  record Startup(Instant at) implements Input {}

  /** RFC 5798 §6.4.2/§6.4.3 Shutdown event: a master resigns with priority 0. */
  record Shutdown(Instant at) implements Input {}

  /** The runtime woke up at or after {@link VirtualRouter#nextDeadline()}. */
  record TimerFired(Instant at) implements Input {}

  /**
   * A decoded advertisement for this router's VRID and family.
   *
   * @param source IP source address of the packet (the sender's primary address)
   * @param ttl IPv4 TTL or IPv6 hop limit as received
   */
  record AdvertisementReceived(Instant at, InetAddress source, int ttl, Advertisement advertisement)
      implements Input {}

  /** The effective priority (base ± tracking weights, already clamped to 1..254) changed. */
  record PriorityChanged(Instant at, int priority) implements Input {}

  /** A tracked check entered (true) or left (false) FAULT. */
  record FaultChanged(Instant at, boolean fault, String cause) implements Input {}

  /** New configuration for the same VRID and family (addresses, interval, preempt, peers…). */
  record ConfigChanged(Instant at, RouterConfig config) implements Input {}

  /**
   * Node maintenance ("standby": the node is drained, cordoned or labelled for maintenance) begins
   * ({@code on}) or ends. Not in the RFCs: an administrative hold like RFC 5798 §6.4.3's Shutdown
   * event, except that the router keeps running and listening. A master resigns exactly as on
   * Shutdown (one priority-0 advertisement, so the backups take over after Skew_Time, then the
   * addresses go) and becomes Backup ({@link Reason#MAINTENANCE}); a router in standby stays Backup
   * whatever it hears or stops hearing, and still follows the master's advertisements. In
   * Initialize or FAULT the hold is only recorded: the router goes to Backup as usual and stays
   * there. Ending it restarts Master_Down_Timer from then, and the election resumes by the usual
   * rules (takeover when nobody advertises, preemption of a lower master when preempt is on).
   * Repeating the current value does nothing.
   */
  record Standby(Instant at, boolean on) implements Input {}

  // ---- sync groups: fed by SyncGroup only, never by the runtime directly

  /**
   * The router joined ({@code group} non-empty) or left ({@code group} empty) a sync group. A
   * member whose Master_Down_Timer fires does not become master on its own: it waits in Backup
   * until the group lets it ({@link SyncGroupMaster}).
   */
  record SyncGroupMembership(Instant at, String group) implements Input {}

  /**
   * Another member of our sync group is (true) or no longer is (false) in FAULT of its own. A fault
   * source beside the tracked one of {@link FaultChanged}: the router is in FAULT while either
   * holds.
   */
  record SyncGroupFault(Instant at, boolean fault, String cause) implements Input {}

  /** Every member of our group may be master: a member waiting for that becomes master now. */
  record SyncGroupMaster(Instant at) implements Input {}

  /**
   * Another member follows a master elsewhere, so the group cannot be master here: a master resigns
   * (priority 0) and becomes backup.
   */
  record SyncGroupBackup(Instant at, String cause) implements Input {}
}
