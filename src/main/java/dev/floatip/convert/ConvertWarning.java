package dev.floatip.convert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Something of the keepalived config that floatip does not carry over exactly. Printed on stderr
 * and kept in the {@value Conversion#WARNINGS_ANNOTATION} annotation of the resources it concerns.
 */
public record ConvertWarning(Location at, String keyword, String message) {

  private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /**
   * What reaches stderr and the annotation is bounded and printable, and a "keyword" that is not
   * one (a line of /etc/shadow, of an environment) is not echoed at all.
   */
  public ConvertWarning {
    keyword =
        keyword == null || KEYWORD.matcher(keyword).matches()
            ? keyword
            : "(not a keyword, " + keyword.length() + " characters, not shown)";
    message = Excerpt.of(message, 240);
  }

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
