package dev.floatip.agent;

import dev.floatip.vrrp.Input;
import dev.floatip.vrrp.VirtualRouter;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/** A running router and what the agent keeps beside it. Touched only on the loop thread. */
final class ManagedRouter {

  private RouterSpec spec;
  final VirtualRouter router;

  /** Address changes and announcements, in order, off the loop thread. */
  final SerialExecutor worker;

  /** When this master last re-announced because of a lower-priority advert (EventLoop). */
  Instant lowerPriorityAnnounced = Instant.MIN;

  /** Why the router is in FAULT; empty when it is not (several sources may hold it there). */
  private final Set<String> faults = new TreeSet<>();

  ManagedRouter(RouterSpec spec, SerialExecutor worker) {
    this.spec = spec;
    this.router = new VirtualRouter(spec.config(), spec.priority());
    this.worker = worker;
  }

  RouterSpec spec() {
    return spec;
  }

  void spec(RouterSpec next) {
    spec = next;
  }

  /** Sets or clears one fault source; returns the input for the router if FAULT flips. */
  Input.FaultChanged fault(String cause, boolean on, Instant at) {
    boolean before = !faults.isEmpty();
    if (on) {
      faults.add(cause);
    } else {
      faults.remove(cause);
    }
    boolean after = !faults.isEmpty();
    return before == after ? null : new Input.FaultChanged(at, after, String.join("; ", faults));
  }

  Set<String> faults() {
    return Set.copyOf(faults);
  }
}
