package dev.floatip.testing.apiserver;

/** An authorizer's answer; {@code reason} says which rule allowed, or why none did. */
public record Decision(boolean allowed, String reason) {

  public static Decision allow(String reason) {
    return new Decision(true, reason);
  }

  public static Decision deny(String reason) {
    return new Decision(false, reason);
  }
}
