package dev.floatip.convert;

import java.util.Locale;

/** keepalived names → Kubernetes names. */
final class Names {

  private static final int MAX_NAME = 253;
  private static final int MAX_SYNC_GROUP = 63;

  private Names() {}

  /** A resource name (DNS subdomain) for a keepalived name: {@code VI_1} → {@code vi-1}. */
  static String resource(String keepalivedName) {
    String s =
        keepalivedName
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9.]+", "-")
            .replaceAll("\\.{2,}", ".")
            .replaceAll("^[-.]+|[-.]+$", "");
    if (s.length() > MAX_NAME) {
      s = s.substring(0, MAX_NAME).replaceAll("[-.]+$", "");
    }
    return s.isEmpty() ? "vrrp" : s;
  }

  /** A syncGroup value: letters, digits, '.', '_', '-', starting with a letter or digit. */
  static String syncGroup(String keepalivedName) {
    String s = keepalivedName.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[._-]+", "");
    if (s.length() > MAX_SYNC_GROUP) {
      s = s.substring(0, MAX_SYNC_GROUP);
    }
    return s.isEmpty() ? "group" : s;
  }

  /** The Secret holding a VirtualIP's VRRPv2 password in a cluster. */
  static String secret(String resourceName) {
    String s = resourceName + "-vrrp-password";
    return s.length() > MAX_NAME ? resource(s.substring(s.length() - MAX_NAME)) : s;
  }

  /** The file holding a VirtualIP's VRRPv2 password in a standalone setup. */
  static String passwordFile(String resourceName) {
    return resourceName + ".password";
  }
}
