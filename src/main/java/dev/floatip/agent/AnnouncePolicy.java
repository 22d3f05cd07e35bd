package dev.floatip.agent;

import java.time.Duration;

/**
 * How a new master announces its addresses (keepalived's vrrp_garp_master_repeat / _delay /
 * _refresh): {@code repeat} packets per address at once, the same again after {@code delay}, then
 * one burst every {@code refresh} while master (zero = never).
 */
public record AnnouncePolicy(Duration delay, int repeat, Duration refresh) {

  /** keepalived's defaults: 5 packets now, 5 more 5 s later, no refresh. */
  public static final AnnouncePolicy DEFAULT =
      new AnnouncePolicy(Duration.ofSeconds(5), 5, Duration.ZERO);

  public AnnouncePolicy {
    if (repeat < 1) {
      throw new IllegalArgumentException("repeat must be at least 1");
    }
    if (delay.isNegative() || refresh.isNegative()) {
      throw new IllegalArgumentException("delay and refresh must not be negative");
    }
  }
}
