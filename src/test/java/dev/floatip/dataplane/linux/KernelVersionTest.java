package dev.floatip.dataplane.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelVersionTest {

  @ParameterizedTest
  @CsvSource({
    "6.3.0, true",
    "6.18.44-fc-v1272, true",
    "7.0, true",
    "6.2.16-generic, false",
    "5.15.0-91-generic, false",
    "4.18.0-553.el8_10.x86_64, false",
    "'', false",
    "x, false"
  })
  void ifaProtoNeedsLinux63(String release, boolean expected) {
    assertEquals(expected, KernelVersion.atLeast(release, 6, 3));
  }
}
