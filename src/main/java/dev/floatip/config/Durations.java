package dev.floatip.config;

import dev.floatip.api.v1alpha1.Schema;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the API's duration strings ({@link Schema#DURATION}): {@code 1s}, {@code 100ms}, {@code
 * 1.5s}, {@code 1m30s}, {@code 2h}. Units: ms, s, m, h (Go's syntax, which Kubernetes users know;
 * without sign and without us/ns).
 */
public final class Durations {

  private static final Pattern WHOLE = Pattern.compile(Schema.DURATION);
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private Durations() {}

  /**
   * @throws IllegalArgumentException if the text is not a duration
   */
  public static Duration parse(String text) {
    if (text == null
        || text.length() > Schema.DURATION_MAX_LENGTH
        || !WHOLE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration (examples: 1s, 100ms, 1.5s, 1m30s)");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      BigDecimal unit =
          switch (m.group(2)) {
            case "ms" -> BigDecimal.valueOf(1_000_000L);
            case "s" -> BigDecimal.valueOf(1_000_000_000L);
            case "m" -> BigDecimal.valueOf(60_000_000_000L);
            default -> BigDecimal.valueOf(3_600_000_000_000L);
          };
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(unit));
    }
    if (nanos.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException("\"" + text + "\" is too long a duration");
    }
    if (nanos.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("\"" + text + "\" is finer than a nanosecond");
    }
    return Duration.ofNanos(nanos.longValueExact());
  }

  /** Formats a duration the way the API writes it, e.g. {@code 1.5s}, {@code 100ms}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toNanos() % 1_000_000_000L == 0) {
      return d.toSeconds() + "s";
    }
    if (d.toNanos() % 1_000_000L == 0 && d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + "ms";
    }
    return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
  }
}
