package dev.floatip.kube;

import java.util.function.LongSupplier;

/**
 * A token bucket of an {@link ApiRate}: {@code burst} tokens at once, refilled at {@code qps}.
 * Callers reserve the next token and wait until it is due, so that waiting callers are served in
 * turn (client-go's flowcontrol token bucket does the same). Thread-safe; time is injected.
 */
public final class TokenBucket {

  private static final double SECOND = 1e9;

  private final ApiRate rate;
  private final LongSupplier nanoTime;

  // guarded by this; negative while tokens are reserved ahead of time
  private double tokens;
  private long last;

  /**
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  public TokenBucket(ApiRate rate, LongSupplier nanoTime) {
    this.rate = rate;
    this.nanoTime = nanoTime;
    this.tokens = rate.burst();
    this.last = nanoTime.getAsLong();
  }

  public ApiRate rate() {
    return rate;
  }

  /**
   * Takes the next token if it is due within {@code maxWaitNanos}.
   *
   * @return nanoseconds until the taken token is due (0: now), or -1 when it would be due later
   *     than {@code maxWaitNanos} (nothing is taken then)
   */
  public synchronized long reserve(long maxWaitNanos) {
    long now = nanoTime.getAsLong();
    tokens = Math.min(rate.burst(), tokens + Math.max(0, now - last) * rate.qps() / SECOND);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    long wait = (long) Math.ceil((1 - tokens) * SECOND / rate.qps());
    if (wait > maxWaitNanos) {
      return -1;
    }
    tokens -= 1;
    return wait;
  }

  /** Takes a token only if one is available now. */
  public boolean tryTake() {
    return reserve(0) == 0;
  }
}
