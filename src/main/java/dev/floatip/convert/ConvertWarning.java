package dev.floatip.convert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Something of the keepalived config that floatip does not carry over exactly. Printed on stderr
 * and kept in the {@value Conversion#WARNINGS_ANNOTATION} annotation of the resources it concerns.
 */
public record ConvertWarning(Location at, String keyword, String message) {

  @Override
  public String toString() {
    return at + ": " + keyword + ": " + message;
  }

  /** Without repeats, in file and line order. */
  static List<ConvertWarning> sorted(List<ConvertWarning> warnings) {
    return new ArrayList<>(new LinkedHashSet<>(warnings))
        .stream()
            .sorted(
                Comparator.comparing((ConvertWarning w) -> w.at().file())
                    .thenComparingInt(w -> w.at().line()))
            .toList();
  }
}
