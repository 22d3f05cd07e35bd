package dev.floatip.notify;

import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.Reason;
import dev.floatip.vrrp.State;
import java.time.Instant;

/** Transitions for tests. */
final class Transitions {

  static final Instant AT = Instant.parse("2025-06-01T12:00:00.250Z");

  private Transitions() {}

  static Transition of(String vip, State from, State to, Reason reason, int priority) {
    return new Transition(vip, IpFamily.IPV4, "node-a", from, to, reason, priority, AT);
  }

  static Transition startup(String vip) {
    return of(vip, State.INITIALIZE, State.BACKUP, Reason.STARTUP, 100);
  }

  static Transition master(String vip, int priority) {
    return of(vip, State.BACKUP, State.MASTER, Reason.MASTER_DOWN, priority);
  }

  static Transition backup(String vip, int priority) {
    return of(vip, State.MASTER, State.BACKUP, Reason.HIGHER_PRIORITY_MASTER, priority);
  }

  static Transition fault(String vip, int priority) {
    return of(vip, State.MASTER, State.FAULT, Reason.FAULT, priority);
  }

  static Transition stop(String vip, int priority) {
    return of(vip, State.BACKUP, State.INITIALIZE, Reason.SHUTDOWN, priority);
  }
}
