package dev.floatip.config;

import java.util.Objects;

/**
 * One problem in a VirtualIP.
 *
 * @param path the field, e.g. {@code spec.addresses[1]}
 * @param message what is wrong, phrased for the person who wrote the field
 */
public record Violation(String path, String message) {

  public Violation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
