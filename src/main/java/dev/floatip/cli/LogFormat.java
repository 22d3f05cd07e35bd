package dev.floatip.cli;

/**
 * {@code FLOATIP_LOG_FORMAT}: {@code text} (default, Quarkus' console pattern) or {@code json}, one
 * JSON object per line for log collectors, written by quarkus-logging-json with the field names set
 * in application.properties ({@code quarkus.log.console.json.*}: {@code timestamp} in UTC, {@code
 * level}, {@code logger}, {@code thread}, {@code message}, {@code exception} as text). The Helm
 * value {@code logFormat} sets it for the operator and, through the operator, for the agents. Set
 * before Quarkus starts, so its own start-up lines are JSON too.
 */
final class LogFormat {

  static final String ENV = "FLOATIP_LOG_FORMAT";

  /** The Quarkus property that turns the JSON console format on (off in application.properties). */
  static final String JSON_ENABLED = "quarkus.log.console.json.enabled";

  private LogFormat() {}

  /**
   * Sets the system property that selects the console format; an unknown value is reported and logs
   * stay text.
   *
   * @return whether JSON was chosen
   */
  static boolean configure(String format) {
    if (format == null || format.isBlank() || format.equals("text")) {
      return false;
    }
    if (!format.equals("json")) {
      System.err.println(
          "floatip: " + ENV + "=" + format + " is neither text nor json; logging as text");
      return false;
    }
    System.setProperty(JSON_ENABLED, "true");
    return true;
  }
}
