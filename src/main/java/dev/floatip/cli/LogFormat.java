package dev.floatip.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * {@code FLOATIP_LOG_FORMAT}: {@code text} (default, Quarkus' console pattern) or {@code json}, one
 * JSON object per line for log collectors. The Helm value {@code logFormat} sets it for the
 * operator and, through the operator, for the agents. Applied once Quarkus has configured logging,
 * so the few lines of its own start-up stay text.
 */
final class LogFormat {

  static final String ENV = "FLOATIP_LOG_FORMAT";

  private LogFormat() {}

  /**
   * Switches the console handlers to JSON when {@code format} is {@code json}.
   *
   * @return how many handlers were switched
   */
  static int apply(String format) {
    if (format == null || format.isBlank() || format.equals("text")) {
      return 0;
    }
    if (!format.equals("json")) {
      System.err.println(
          "floatip: " + ENV + "=" + format + " is neither text nor json; logging as text");
      return 0;
    }
    int switched = 0;
    Formatter json = new JsonFormatter();
    for (Handler h : Logger.getLogger("").getHandlers()) {
      switched += install(h, json);
    }
    return switched;
  }

  /** Sets {@code formatter} on every console handler in the tree under {@code handler}. */
  static int install(Handler handler, Formatter formatter) {
    int n = 0;
    if (handler instanceof ExtHandler ext) {
      for (Handler child : ext.getHandlers()) {
        n += install(child, formatter);
      }
    }
    if (handler instanceof ConsoleHandler) {
      handler.setFormatter(formatter);
      n++;
    }
    return n;
  }

  /** {"timestamp","level","logger","thread","message"[,"mdc"][,"exception"]} per line. */
  static final class JsonFormatter extends Formatter {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String format(LogRecord record) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("timestamp", record.getInstant().toString());
      line.put("level", record.getLevel().getName().toUpperCase(Locale.ROOT));
      line.put("logger", record.getLoggerName());
      if (record instanceof ExtLogRecord ext) {
        line.put("thread", ext.getThreadName());
        line.put("message", ext.getFormattedMessage());
        Map<String, String> mdc = ext.getMdcCopy();
        if (mdc != null && !mdc.isEmpty()) {
          line.put("mdc", mdc);
        }
      } else {
        line.put("message", formatMessage(record));
      }
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        line.put("exception", trace.toString());
      }
      try {
        return JSON.writeValueAsString(line) + System.lineSeparator();
      } catch (JsonProcessingException e) {
        return "{\"level\":\"ERROR\",\"message\":\"log record not serializable\"}"
            + System.lineSeparator();
      }
    }
  }
}
