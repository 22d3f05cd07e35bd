package dev.floatip.convert;

/** A keepalived config that cannot be read: the message names the file and line. */
public final class ConfSyntaxError extends Exception {

  private static final long serialVersionUID = 1L;

  public ConfSyntaxError(Location at, String message) {
    super(at + ": " + Excerpt.of(message, 400));
  }
}
