package dev.floatip.tracking;

/**
 * keepalived's rise/fall hysteresis, immutable: a healthy check turns failing after {@code fall}
 * consecutive failures, a failing one turns healthy after {@code rise} consecutive successes.
 *
 * <p>Initial state: unknown ({@code healthy == null}). The first result decides at once, whatever
 * rise and fall say; from then on the counts apply.
 *
 * @param rise consecutive successes needed to turn healthy (≥ 1)
 * @param fall consecutive failures needed to turn failing (≥ 1)
 * @param healthy the current state; {@code null} before the first result
 * @param streak consecutive results so far that disagree with the current state
 */
public record RiseFall(int rise, int fall, Boolean healthy, int streak) {

  public RiseFall {
    if (rise < 1 || fall < 1) {
      throw new IllegalArgumentException("rise and fall must be at least 1");
    }
    if (streak < 0) {
      throw new IllegalArgumentException("streak must not be negative");
    }
  }

  public static RiseFall initial(int rise, int fall) {
    return new RiseFall(rise, fall, null, 0);
  }

  /** The state after one more result. */
  public RiseFall next(boolean success) {
    if (healthy == null) {
      return new RiseFall(rise, fall, success, 0);
    }
    if (success == healthy) {
      return new RiseFall(rise, fall, healthy, 0);
    }
    int needed = success ? rise : fall;
    int count = streak + 1;
    return count >= needed
        ? new RiseFall(rise, fall, success, 0)
        : new RiseFall(rise, fall, healthy, count);
  }

  /**
   * Progress towards a change, e.g. {@code "1/3 failures towards failing"}; empty when the last
   * result agreed with the state.
   */
  public String progress() {
    if (healthy == null || streak == 0) {
      return "";
    }
    return healthy
        ? streak + "/" + fall + " failures towards failing"
        : streak + "/" + rise + " successes towards healthy";
  }
}
