package dev.floatip.cli;

import io.quarkus.logging.json.runtime.JsonFormatter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Formatter;
import java.util.stream.Collectors;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.formatters.StructuredFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * {@code FLOATIP_LOG_FORMAT}: {@code text} (default, Quarkus' console pattern) or {@code json}, one
 * JSON object per line for log collectors, written by quarkus-logging-json with the field names set
 * in application.properties ({@code quarkus.log.console.json.*}: {@code timestamp} in UTC, {@code
 * level}, {@code logger}, {@code thread}, {@code message}, {@code exception} as text). The Helm
 * value {@code logFormat} sets it for the operator and, through the operator, for the agents. Set
 * before Quarkus starts, so its own start-up lines are JSON too.
 *
 * <p>The agent runs without Quarkus ({@link AgentMain}): {@link #configurePlain} sets up the same
 * JBoss LogManager console handler from the same application.properties keys (the text pattern, the
 * JSON formatter of quarkus-logging-json with its field settings, the log categories' levels), so
 * its lines look as before.
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

  static final String PREFIX = "quarkus.log.console.";
  private static final String CATEGORY = "quarkus.log.category.\"";

  /**
   * Configures the JBoss LogManager's root logger as Quarkus would from application.properties: a
   * console handler on standard output with the text pattern, or the JSON formatter when {@code
   * format} is {@code json}; category levels. Requires {@code
   * java.util.logging.manager=org.jboss.logmanager.LogManager}.
   *
   * @return whether JSON was chosen
   */
  static boolean configurePlain(String format) {
    boolean json = configure(format);
    Properties p = properties();
    Formatter formatter = json ? json(p) : new PatternFormatter(p.getProperty(PREFIX + "format"));
    LogContext context = LogContext.getLogContext();
    Logger root = context.getLogger("");
    for (var h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler console = new ConsoleHandler(ConsoleHandler.Target.SYSTEM_OUT, formatter);
    console.setAutoFlush(true);
    root.addHandler(console);
    root.setLevel(Level.INFO);
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith(CATEGORY) && key.endsWith("\".level")) {
        String category = key.substring(CATEGORY.length(), key.length() - "\".level".length());
        context.getLogger(category).setLevel(Level.parse(p.getProperty(key).strip()));
      }
    }
    return json;
  }

  /** quarkus-logging-json's formatter with application.properties' field settings. */
  static JsonFormatter json(Properties p) {
    JsonFormatter f =
        new JsonFormatter(
            p.getProperty(PREFIX + "json.key-overrides"),
            Arrays.stream(p.getProperty(PREFIX + "json.excluded-keys", "").split(","))
                .map(String::strip)
                .filter(k -> !k.isEmpty())
                .collect(Collectors.toSet()),
            Map.of());
    f.setZoneId(p.getProperty(PREFIX + "json.zone-id"));
    f.setExceptionOutputType(
        StructuredFormatter.ExceptionOutputType.valueOf(
            p.getProperty(PREFIX + "json.exception-output-type").toUpperCase(Locale.ROOT)));
    return f;
  }

  /** The packaged application.properties (the same file Quarkus reads). */
  static Properties properties() {
    Properties p = new Properties();
    try (InputStream in = LogFormat.class.getResourceAsStream("/application.properties")) {
      if (in == null) {
        throw new IllegalStateException("application.properties is not on the class path");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
