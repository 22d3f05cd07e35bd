package dev.floatip.tracking;

import java.util.Objects;

/**
 * What one check last observed, before weights are applied (the input of {@link
 * PriorityCalculator}).
 *
 * @param kind the check's kind
 * @param name the check's name (for files the path, for pods namespace/selector)
 * @param weight the check's weight (keepalived semantics, see {@link PriorityCalculator})
 * @param health the observation
 * @param value the integer read from the file; meaningful only for {@link Health#VALUE}
 * @param message detail of the last result, for status and logs
 */
public record CheckState(
    CheckKind kind, String name, int weight, Health health, long value, String message) {

  /** What a check observed. */
  public enum Health {
    /**
     * No result yet: contributes nothing and never means FAULT (see {@link PriorityCalculator}).
     */
    UNKNOWN,
    /** The check passes (after rise/fall, where the kind has them). */
    HEALTHY,
    /** The check fails (after rise/fall); for a file: it is missing or unreadable. */
    FAILING,
    /** A file's integer was read; the effect depends on the value and the weight. */
    VALUE,
    /** The check cannot run in this mode (pods without Kubernetes): shown, never counted. */
    UNSUPPORTED
  }

  public CheckState {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(health, "health");
    message = message == null ? "" : message;
  }

  public static CheckState unknown(CheckKind kind, String name, int weight) {
    return new CheckState(kind, name, weight, Health.UNKNOWN, 0, "no result yet");
  }

  public static CheckState healthy(CheckKind kind, String name, int weight, String message) {
    return new CheckState(kind, name, weight, Health.HEALTHY, 0, message);
  }

  public static CheckState failing(CheckKind kind, String name, int weight, String message) {
    return new CheckState(kind, name, weight, Health.FAILING, 0, message);
  }

  /** A file check that read {@code value}. */
  public static CheckState fileValue(String path, int weight, long value) {
    return new CheckState(CheckKind.FILE, path, weight, Health.VALUE, value, "value " + value);
  }

  public static CheckState unsupported(CheckKind kind, String name, int weight, String message) {
    return new CheckState(kind, name, weight, Health.UNSUPPORTED, 0, message);
  }
}
