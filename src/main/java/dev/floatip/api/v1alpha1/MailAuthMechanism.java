package dev.floatip.api.v1alpha1;

/** SMTP AUTH mechanisms (RFC 4954): PLAIN (RFC 4616) and the widespread non-standard LOGIN. */
public enum MailAuthMechanism {
  Plain,
  Login
}
