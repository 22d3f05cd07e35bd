package dev.floatip.vrrp.sim;

import java.time.Instant;

/**
 * The baseline's three routers (research/keepalived-baseline.md): r1 192.0.2.11 priority 150, r2
 * 192.0.2.12 priority 100, r3 192.0.2.13 priority 50, on one segment.
 */
public record Trio(SimulatedLan lan, SimRouter r1, SimRouter r2, SimRouter r3) {

  /** The three, attached and started at T0. */
  public static Trio started(Jitter jitter, RouterSpec spec) {
    SimulatedLan lan = new SimulatedLan(jitter);
    Trio trio =
        new Trio(
            lan,
            lan.add("r1", "192.0.2.11", 150, spec),
            lan.add("r2", "192.0.2.12", 100, spec),
            lan.add("r3", "192.0.2.13", 50, spec));
    lan.startAll();
    return trio;
  }

  /** Started, then run until {@code settledBy}, by which r1 must be the only master. */
  public static Trio elected(Jitter jitter, RouterSpec spec, Instant settledBy) {
    Trio trio = started(jitter, spec);
    trio.lan.runUntil(settledBy);
    trio.lan.assertSettled(trio.r1);
    return trio;
  }
}
