package dev.floatip.testing.apiserver;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A refusal the test API server answers with, as a {@code metav1.Status} body: HTTP code, reason
 * (Forbidden, Invalid, Unauthorized, Gone, Conflict, BadRequest…), the message kube-apiserver would
 * print, and for Invalid the field causes and the details (group, kind, name).
 */
public final class ApiError extends RuntimeException {

  /** One field problem of an Invalid (422) answer: {@code spec.addresses[0]}, FieldValueInvalid… */
  public record Cause(String field, String reason, String message) {}

  private final int code;
  private final String reason;
  private final java.util.List<Cause> causes;
  private final String group;
  private final String kind;
  private final String name;

  public ApiError(int code, String reason, String message, java.util.List<Cause> causes) {
    this(code, reason, message, causes, null, null, null);
  }

  public ApiError(int code, String reason, String message) {
    this(code, reason, message, java.util.List.of());
  }

  private ApiError(
      int code,
      String reason,
      String message,
      List<Cause> causes,
      String group,
      String kind,
      String name) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.causes = java.util.List.copyOf(causes);
    this.group = group;
    this.kind = kind;
    this.name = name;
  }

  /**
   * kube's {@code errors.NewInvalid} (apimachinery/pkg/api/errors): 422, reason Invalid, message
   * {@code Kind.group "name" is invalid: error} (several: {@code [e1, e2]}, duplicates dropped),
   * one cause per error.
   *
   * @param group the API group, "" for core
   */
  public static ApiError invalid(String group, String kind, String name, List<FieldError> errors) {
    String qualified = group.isEmpty() ? kind : kind + "." + group;
    Set<String> messages = new LinkedHashSet<>();
    errors.forEach(e -> messages.add(e.toString()));
    String aggregate =
        messages.size() == 1 ? messages.iterator().next() : "[" + String.join(", ", messages) + "]";
    String message =
        qualified
            + " "
            + FieldError.quote(name)
            + " is invalid"
            + (messages.isEmpty() ? "" : ": " + aggregate);
    List<Cause> causes = new ArrayList<>();
    errors.forEach(e -> causes.add(new Cause(e.field(), e.type(), e.body())));
    return new ApiError(422, "Invalid", message, causes, group, kind, name);
  }

  /** kube's {@code errors.NewBadRequest}: 400, reason BadRequest. */
  public static ApiError badRequest(String message) {
    return new ApiError(400, "BadRequest", message);
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

  /** The answer's body, a {@code metav1.Status}. */
  public ObjectNode status() {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure").put("message", getMessage()).put("reason", reason).put("code", code);
    if (kind != null) {
      ObjectNode details = s.putObject("details");
      details.put("name", name).put("group", group).put("kind", kind);
      var array = details.putArray("causes");
      causes.forEach(
          c ->
              array
                  .addObject()
                  .put("reason", c.reason())
                  .put("message", c.message())
                  .put("field", c.field()));
    }
    return s;
  }
}
