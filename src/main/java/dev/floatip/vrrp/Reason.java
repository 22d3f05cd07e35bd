package dev.floatip.vrrp;

/** Why a router changed state; reported in status, notify hooks and metrics. */
public enum Reason {
  /** Startup event: Initialize → Backup (RFC 5798 §6.4.1). */
  STARTUP,
  /** Master_Down_Timer fired: no advertisement from a master for Master_Down_Interval. */
  MASTER_DOWN,
  /** Master_Down_Timer fired after the master advertised priority 0 (waited Skew_Time only). */
  MASTER_RESIGNED,
  /** Master_Down_Timer fired while we were discarding a lower-priority master's adverts. */
  PREEMPTED,
  /** As master, an advertisement with higher priority (or equal priority, higher address). */
  HIGHER_PRIORITY_MASTER,
  /** A tracked check put the router into FAULT. */
  FAULT,
  /** The fault cleared: FAULT → BACKUP (never straight to MASTER). */
  FAULT_CLEARED,
  /**
   * Our sync group moved us: into FAULT (another member's tracking failed), out of it (that
   * cleared), or from MASTER to BACKUP (another member follows a master elsewhere).
   */
  SYNC_GROUP,
  /**
   * The node went into maintenance ({@link Input.Standby}): MASTER → BACKUP after a priority-0
   * advertisement, as on Shutdown, but the router keeps running as a backup that never takes over.
   */
  MAINTENANCE,
  /** Shutdown event (RFC 5798 §6.4.3): resign and go to Initialize. */
  SHUTDOWN,
}
