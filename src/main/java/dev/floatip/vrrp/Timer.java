package dev.floatip.vrrp;

/** The two timers of RFC 5798 §6.2. */
public enum Timer {
  /** Adver_Timer: fires to send an ADVERTISEMENT (Master only). */
  ADVERTISEMENT,
  /** Master_Down_Timer: fires when the master is presumed down (Backup only). */
  MASTER_DOWN,
}
