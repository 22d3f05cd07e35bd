package dev.floatip.agent;

import java.time.Instant;
import java.time.InstantSource;

/**
 * Wall-clock instants that advance with {@link System#nanoTime()}: VRRP timers must not jump when
 * NTP steps the clock, yet logs and status want real times.
 */
public final class MonotonicClock implements InstantSource {

  private final Instant origin = Instant.now();
  private final long originNanos = System.nanoTime();

  @Override
  public Instant instant() {
    return origin.plusNanos(System.nanoTime() - originNanos);
  }
}
