package dev.floatip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.handlers.AsyncHandler;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.jboss.logmanager.handlers.FileHandler;
import org.junit.jupiter.api.Test;

class LogFormatTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void jsonLinesCarryTheRecord() throws Exception {
    ExtLogRecord r =
        new ExtLogRecord(
            Level.WARNING, "router %s lost master", ExtLogRecord.FormatStyle.PRINTF, "x");
    r.setParameters(new Object[] {"web/ipv4"});
    r.setLoggerName("dev.floatip.agent.EventLoop");
    r.setThrown(new IllegalStateException("boom"));
    String line = new LogFormat.JsonFormatter().format(r);
    assertThat(line).endsWith(System.lineSeparator()).doesNotContain("\n{");
    assertThat(line.strip()).doesNotContain("\n\"");
    JsonNode json = JSON.readTree(line);
    assertThat(json.get("level").asText()).isEqualTo("WARNING");
    assertThat(json.get("logger").asText()).isEqualTo("dev.floatip.agent.EventLoop");
    assertThat(json.get("message").asText()).isEqualTo("router web/ipv4 lost master");
    assertThat(json.get("exception").asText()).contains("IllegalStateException: boom");
    assertThat(json.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(json.has("thread")).isTrue();
  }

  @Test
  void plainRecordsToo() throws Exception {
    LogRecord r = new LogRecord(Level.INFO, "hello {0}");
    r.setParameters(new Object[] {"world"});
    JsonNode json = JSON.readTree(new LogFormat.JsonFormatter().format(r));
    assertThat(json.get("message").asText()).isEqualTo("hello world");
    assertThat(json.has("exception")).isFalse();
  }

  @Test
  void installReachesConsoleHandlersNestedInWrappers() {
    ConsoleHandler console = new ConsoleHandler();
    AsyncHandler async = new AsyncHandler();
    async.addHandler(console);
    LogFormat.JsonFormatter json = new LogFormat.JsonFormatter();
    assertThat(LogFormat.install(async, json)).isEqualTo(1);
    assertThat(console.getFormatter()).isSameAs(json);
    assertThat(LogFormat.install(new FileHandler(), json)).as("only console handlers").isZero();
    async.close();
  }

  @Test
  void textAndUnknownFormatsChangeNothing() {
    assertThat(LogFormat.apply(null)).isZero();
    assertThat(LogFormat.apply("text")).isZero();
    assertThat(LogFormat.apply("xml")).isZero();
  }
}
