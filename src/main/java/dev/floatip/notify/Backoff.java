package dev.floatip.notify;

import java.time.Duration;

/**
 * A retry policy: up to {@code attempts} tries, waiting {@code initial} after the first failure and
 * doubling each time up to {@code max}. The webhook's, and (with {@link #unlimited}) the agent's
 * status writes.
 */
public record Backoff(int attempts, Duration initial, Duration max) {

  /** 5 tries, waits 0.5 s, 1 s, 2 s, 4 s (at most 30 s). */
  public static final Backoff DEFAULT =
      new Backoff(5, Duration.ofMillis(500), Duration.ofSeconds(30));

  /** Retries for as long as the caller keeps failing (an API that is down comes back). */
  public static Backoff unlimited(Duration initial, Duration max) {
    return new Backoff(Integer.MAX_VALUE, initial, max);
  }

  public Backoff {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 <= initial <= max");
    }
  }

  /** The wait after failed try number {@code attempt} (1-based). */
  public Duration delayAfter(int attempt) {
    Duration d = initial;
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt is 1-based, was " + attempt);
    }
    for (int i = 1; i < attempt && d.compareTo(max) < 0 && !d.isZero(); i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }
}
