package dev.floatip.convert;

/**
 * Something of the keepalived config that floatip does not carry over exactly. Printed on stderr
 * and kept in the {@value Conversion#WARNINGS_ANNOTATION} annotation of the resources it concerns.
 */
public record ConvertWarning(Location at, String keyword, String message) {

  @Override
  public String toString() {
    return at + ": " + keyword + ": " + message;
  }
}
