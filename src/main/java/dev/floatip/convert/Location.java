package dev.floatip.convert;

/** A line of a keepalived config file, as errors and warnings name it: {@code file:line}. */
public record Location(String file, int line) {

  @Override
  public String toString() {
    return file + ":" + line;
  }
}
