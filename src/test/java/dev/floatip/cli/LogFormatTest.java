package dev.floatip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.json.runtime.JsonFormatter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.StructuredFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * FLOATIP_LOG_FORMAT=json: quarkus-logging-json with application.properties' field settings writes
 * the fields floatip's own formatter wrote before (timestamp, level, logger, thread, message,
 * exception), and nothing else. The formatter is configured here from the same properties, as
 * Quarkus' recorder does.
 */
class LogFormatTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "quarkus.log.console.json.";

  @AfterEach
  void clear() {
    System.clearProperty(LogFormat.JSON_ENABLED);
  }

  private static Properties properties() throws IOException {
    Properties p = new Properties();
    try (InputStream in =
        Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
      p.load(in);
    }
    return p;
  }

  private static JsonFormatter configured() throws IOException {
    Properties p = properties();
    Set<String> excluded =
        Set.of(p.getProperty(PREFIX + "excluded-keys").split(",")).stream()
            .map(String::strip)
            .collect(Collectors.toSet());
    JsonFormatter f =
        new JsonFormatter(p.getProperty(PREFIX + "key-overrides"), excluded, Map.of());
    f.setZoneId(p.getProperty(PREFIX + "zone-id"));
    f.setExceptionOutputType(
        StructuredFormatter.ExceptionOutputType.valueOf(
            p.getProperty(PREFIX + "exception-output-type").toUpperCase(java.util.Locale.ROOT)));
    return f;
  }

  @Test
  void jsonIsOffUnlessChosenAndOnlyJsonOrTextAreAccepted() throws IOException {
    assertThat(properties().getProperty(LogFormat.JSON_ENABLED)).isEqualTo("false");
    assertThat(LogFormat.configure(null)).isFalse();
    assertThat(LogFormat.configure("text")).isFalse();
    assertThat(LogFormat.configure("xml")).isFalse();
    assertThat(System.getProperty(LogFormat.JSON_ENABLED)).isNull();
    assertThat(LogFormat.configure("json")).isTrue();
    assertThat(System.getProperty(LogFormat.JSON_ENABLED)).isEqualTo("true");
  }

  @Test
  void jsonLinesCarryTheRecordUnderFloatipsFieldNames() throws Exception {
    ExtLogRecord r =
        new ExtLogRecord(
            org.jboss.logmanager.Level.WARN,
            "router %s lost master",
            ExtLogRecord.FormatStyle.PRINTF,
            "x");
    r.setParameters(new Object[] {"web/ipv4"});
    r.setLoggerName("dev.floatip.agent.EventLoop");
    r.setThrown(new IllegalStateException("boom", new RuntimeException("root cause")));
    String line = configured().format(r);
    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = JSON.readTree(line);
    assertThat(fieldNames(json))
        .containsExactlyInAnyOrder(
            "timestamp", "level", "logger", "thread", "message", "exception");
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("logger").asText()).isEqualTo("dev.floatip.agent.EventLoop");
    assertThat(json.get("message").asText()).isEqualTo("router web/ipv4 lost master");
    assertThat(json.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(json.get("exception").isTextual()).isTrue();
    assertThat(json.get("exception").asText())
        .contains("java.lang.IllegalStateException: boom")
        .contains("\tat dev.floatip.cli.LogFormatTest")
        .contains("Caused by: java.lang.RuntimeException: root cause");
    // UTC, ISO-8601 as Instant.toString (the fraction without trailing zeros)
    assertThat(json.get("timestamp").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    assertThat(java.time.Instant.parse(json.get("timestamp").asText())).isEqualTo(r.getInstant());
  }

  @Test
  void aRecordWithoutExceptionHasNoExceptionField() throws Exception {
    ExtLogRecord r = new ExtLogRecord(Level.INFO, "hello", "x");
    r.setLoggerName("a.b");
    JsonNode json = JSON.readTree(configured().format(r));
    assertThat(fieldNames(json))
        .containsExactlyInAnyOrder("timestamp", "level", "logger", "thread", "message");
    assertThat(json.get("level").asText()).isEqualTo("INFO");
  }

  private static List<String> fieldNames(JsonNode json) {
    List<String> names = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
