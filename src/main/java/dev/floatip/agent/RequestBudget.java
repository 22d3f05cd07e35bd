package dev.floatip.agent;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code burst} requests at once, refilled at {@code perSecond}. Thread-safe; the
 * time source is injected so tests need not wait.
 */
final class RequestBudget {

  private static final long SECOND = 1_000_000_000L;

  private final long burst;
  private final long perSecond;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  RequestBudget(int burst, int perSecond, LongSupplier nanoTime) {
    if (burst < 1 || perSecond < 1) {
      throw new IllegalArgumentException("burst and perSecond must be positive");
    }
    this.burst = burst;
    this.perSecond = perSecond;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  /** Takes one token: {@code false} when the budget is spent. */
  synchronized boolean tryTake() {
    long now = nanoTime.getAsLong();
    long elapsed = Math.max(0, now - last);
    last = now;
    tokens = Math.min(burst, tokens + (double) elapsed * perSecond / SECOND);
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
