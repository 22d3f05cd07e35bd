package dev.floatip.vrrp.sim;

import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;

/**
 * How long the simulated segment takes to deliver a packet. Every scenario runs once per profile
 * from {@link #profiles()}, so each timing assertion must hold with no delay, with the worst delay,
 * and with seeded random delays; assertions allow exactly {@link #bound()} per hop.
 *
 * @param bound exclusive upper bound of a single delivery delay; zero means instant delivery
 * @param seed seed of the random delays; ignored when {@code fixed}
 * @param fixed every delivery takes just under {@code bound}
 */
public record Jitter(Duration bound, long seed, boolean fixed) {

  /** "Randomized delivery delays below 1 ms." */
  public static final Duration BELOW_ONE_MS = Duration.ofMillis(1);

  public static Jitter none() {
    return new Jitter(Duration.ZERO, 0, true);
  }

  public static Jitter random(long seed) {
    return new Jitter(BELOW_ONE_MS, seed, false);
  }

  /** Every packet takes the largest delay the bound allows (1 ms − 1 ns). */
  public static Jitter worst() {
    return new Jitter(BELOW_ONE_MS, 0, true);
  }

  /** The delivery profiles every scenario runs under (the source of {@link Scenario}). */
  public static Stream<Jitter> profiles() {
    return Stream.of(none(), worst(), random(1), random(42), random(0x5eed_f10a7L), random(-7));
  }

  /** A fresh source of delays for one simulation run. */
  DelaySource source() {
    Random random = new Random(seed);
    long boundNanos = bound.toNanos();
    return () -> {
      if (boundNanos == 0) {
        return Duration.ZERO;
      }
      return Duration.ofNanos(fixed ? boundNanos - 1 : random.nextLong(boundNanos));
    };
  }

  /** Allowed lateness of something {@code hops} deliveries away from a deterministic time. */
  public Duration tolerance(int hops) {
    return bound.multipliedBy(hops);
  }

  @FunctionalInterface
  interface DelaySource {
    Duration next();
  }

  @Override
  public String toString() {
    if (bound.isZero()) {
      return "instant delivery";
    }
    return fixed
        ? "every delivery " + (bound.toNanos() - 1) + " ns"
        : "random delivery < " + bound.toNanos() + " ns, seed " + seed;
  }
}
