package dev.floatip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "1s, PT1S",
    "100ms, PT0.1S",
    "1.5s, PT1.5S",
    "0s, PT0S",
    "1m30s, PT1M30S",
    "2h, PT2H",
    "40.95s, PT40.95S",
    "0.01s, PT0.01S",
    "1.000000001s, PT1.000000001S",
  })
  void parses(String text, Duration expected) {
    assertEquals(expected, Durations.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1", "1 s", "-1s", "1.s", ".5s", "1sec", "1us", "1.0000000001s"})
  void refuses(String text) {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "1s", "100ms", "1.5s", "40.95s", "120s"})
  void formatsBack(String text) {
    assertEquals(text, Durations.format(Durations.parse(text)));
  }
}
