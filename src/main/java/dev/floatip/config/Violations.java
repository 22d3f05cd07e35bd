package dev.floatip.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/** Collects violations; helpers for the common checks. Not thread-safe, one per validation. */
final class Violations {

  private final List<Violation> list = new ArrayList<>();

  void add(String path, String message) {
    list.add(new Violation(path, message));
  }

  List<Violation> list() {
    return List.copyOf(list);
  }

  boolean required(String path, Object value) {
    if (value == null) {
      add(path, "required");
      return false;
    }
    return true;
  }

  boolean requiredText(String path, String value) {
    if (value == null || value.isBlank()) {
      add(path, "required");
      return false;
    }
    return true;
  }

  /** Checks an optional integer; null passes (the default applies). */
  void range(String path, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      add(path, "must be " + min + ".." + max + ", was " + value);
    }
  }

  void atLeast(String path, Integer value, int min) {
    if (value != null && value < min) {
      add(path, "must be at least " + min + ", was " + value);
    }
  }

  /**
   * Parses a duration and checks {@code min <= d <= max} (max may be null). Returns the parsed
   * value, or null if the text is null or bad.
   */
  Duration duration(String path, String text, Duration min, Duration max) {
    if (text == null) {
      return null;
    }
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      add(path, e.getMessage());
      return null;
    }
    if (d.compareTo(min) < 0 || (max != null && d.compareTo(max) > 0)) {
      String range = max == null ? "at least " + fmt(min) : fmt(min) + ".." + fmt(max);
      add(path, "must be " + range + ", was " + text);
      return null;
    }
    return d;
  }

  /** Reports the second and later occurrences of a name; {@code pathOf} maps index to path. */
  void unique(List<String> names, IntFunction<String> pathOf, String what) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n != null && !seen.add(n)) {
        add(pathOf.apply(i), "duplicate " + what + " \"" + n + "\"");
      }
    }
  }

  private static String fmt(Duration d) {
    return Durations.format(d);
  }
}
