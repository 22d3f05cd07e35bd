package dev.floatip.config;

/**
 * One problem in a config file, printed as {@code file:line:column: field: message} (the field is
 * left out for syntax errors, line and column when unknown).
 *
 * @param line 1-based, 0 if unknown
 * @param column 1-based, 0 if unknown
 * @param field the field path, e.g. {@code spec.addresses[1]}, or "" if none
 */
public record ConfigError(String file, int line, int column, String field, String message) {

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(file);
    if (line > 0) {
      b.append(':').append(line).append(':').append(column);
    }
    b.append(": ");
    if (!field.isEmpty()) {
      b.append(field).append(": ");
    }
    return b.append(message).toString();
  }
}
