package dev.floatip.testing;

import java.time.Duration;

/**
 * RFC timers for the failover bounds of the Linux tests, and the slack they allow.
 *
 * <p>Bounds are taken from the moment the test acts (port down, kill, SIGTERM) to the first poll
 * that sees the new holder alone. The RFC part is exact; {@link #SLACK} covers what is not
 * protocol: the agent JVM getting the CPU back (up to four JVMs plus the test and keepalived share
 * two CPUs, and other jobs run beside us), netlink address adds, and the holder poll ({@link
 * VipWatch#POLL} plus a fork of {@code ip} per router). keepalived measured 0–10 ms over theory on
 * this machine (research/keepalived-baseline.md); the agent measured tens of ms (see the test
 * output, lines starting {@code TIMING}).
 */
public final class VrrpTiming {

  /** Everything outside the protocol, documented above. */
  public static final Duration SLACK = Duration.ofMillis(400);

  private VrrpTiming() {}

  /**
   * Skew_Time: v3 ((256 − prio) × interval) / 256 (RFC 5798); v2 (256 − prio) / 256 s (RFC 3768,
   * advert interval in whole seconds, so the same formula at 1 s).
   */
  public static Duration skew(int version, Duration interval, int priority) {
    Duration base = version == 2 ? Duration.ofSeconds(1) : interval;
    return base.multipliedBy(256 - priority).dividedBy(256);
  }

  /** Master_Down_Interval = 3 × interval + Skew_Time. */
  public static Duration masterDown(int version, Duration interval, int priority) {
    return interval.multipliedBy(3).plus(skew(version, interval, priority));
  }

  /** The bound a failover must meet: {@code protocol} + {@link #SLACK}. */
  public static Duration bound(Duration protocol) {
    return protocol.plus(SLACK);
  }

  /** Prints a measurement for the report (failsafe keeps stdout per test class). */
  public static void report(String what, Duration measured, Duration bound) {
    System.out.printf(
        "TIMING %-60s %5d ms (bound %d ms)%n", what, measured.toMillis(), bound.toMillis());
  }
}
