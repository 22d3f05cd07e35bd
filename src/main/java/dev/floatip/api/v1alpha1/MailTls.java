package dev.floatip.api.v1alpha1;

/** How a notify mail reaches its SMTP server. */
public enum MailTls {
  /** Plain SMTP, keepalived's only mode (default port 25). */
  None,
  /** SMTP upgraded with STARTTLS (RFC 3207, default port 587); refused if not offered. */
  StartTLS,
  /** TLS from the first byte, "submissions" (RFC 8314, default port 465). */
  Implicit
}
