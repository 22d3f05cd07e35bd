package dev.floatip.testing.apiserver;

/**
 * A refusal the test API server answers with, as a {@code metav1.Status} body: HTTP code, reason
 * (Forbidden, Invalid, Unauthorized, Gone, Conflict, BadRequest…), the message kube-apiserver would
 * print, and for Invalid the field causes.
 */
public final class ApiError extends RuntimeException {

  /** One field problem of an Invalid (422) answer: {@code spec.addresses[0]}, FieldValueInvalid… */
  public record Cause(String field, String reason, String message) {}

  private final int code;
  private final String reason;
  private final java.util.List<Cause> causes;

  public ApiError(int code, String reason, String message, java.util.List<Cause> causes) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.causes = java.util.List.copyOf(causes);
  }

  public ApiError(int code, String reason, String message) {
    this(code, reason, message, java.util.List.of());
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  public java.util.List<Cause> causes() {
    return causes;
  }
}
