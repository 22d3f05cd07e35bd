package dev.floatip.vrrp;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * VRRPv2 authentication (RFC 3768 §5.3.6 keeps the field; RFC 2338 §5.3.6.1 defined type 1, "simple
 * text password"). It guards against VRID mix-ups, it is not security.
 *
 * @param type 0 = none, 1 = simple text password
 * @param password up to 8 ASCII characters, empty for type 0
 */
public record Authentication(int type, String password) {

  public static final int TYPE_NONE = 0;
  public static final int TYPE_SIMPLE_TEXT = 1;
  public static final int DATA_LENGTH = 8;
  public static final Authentication NONE = new Authentication(TYPE_NONE, "");

  public Authentication {
    Objects.requireNonNull(password, "password");
    if (type != TYPE_NONE && type != TYPE_SIMPLE_TEXT) {
      throw new IllegalArgumentException("unsupported authentication type " + type);
    }
    if (type == TYPE_NONE && !password.isEmpty()) {
      throw new IllegalArgumentException("auth type 0 carries no password");
    }
    if (password.getBytes(StandardCharsets.US_ASCII).length > DATA_LENGTH
        || !StandardCharsets.US_ASCII.newEncoder().canEncode(password)) {
      throw new IllegalArgumentException("password must be at most 8 ASCII characters");
    }
  }

  /** keepalived uses only the first 8 characters of auth_pass; so do we. */
  public static Authentication password(String password) {
    String p = password.length() > DATA_LENGTH ? password.substring(0, DATA_LENGTH) : password;
    return new Authentication(TYPE_SIMPLE_TEXT, p);
  }
}
