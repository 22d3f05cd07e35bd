package dev.floatip.vrrp.sim;

import java.time.Instant;
import java.util.Objects;

/** Virtual time for the simulation: it only moves when the simulation moves it, never backwards. */
public final class ManualClock {

  private Instant now;

  public ManualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  public Instant now() {
    return now;
  }

  /** Jumps forward to {@code to}; moving backwards is a harness bug. */
  void advanceTo(Instant to) {
    if (to.isBefore(now)) {
      throw new IllegalStateException("clock cannot go back from " + now + " to " + to);
    }
    now = to;
  }
}
