package dev.floatip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

  @ParameterizedTest
  @CsvSource({
    "192.0.2.200/24, 192.0.2.200/24",
    "192.0.2.200, 192.0.2.200/32",
    "2001:db8::200/64, 2001:db8:0:0:0:0:0:200/64",
    "2001:db8::200, 2001:db8:0:0:0:0:0:200/128",
  })
  void parses(String text, String expected) {
    assertEquals(expected, Cidr.parse(text).toString());
  }

  @ParameterizedTest
  @CsvSource({
    "192.0.2.1/33, prefix length must be 1..32",
    "192.0.2.1/0, prefix length must be 1..32",
    "192.0.2.1/024, prefix length must be 1..32",
    "192.0.2.1/, prefix length must be 1..32",
    "192.0.2.1/x, prefix length must be 1..32",
    "2001:db8::1/129, prefix length must be 1..128",
    "vip.example.org/24, is not an IP address literal",
  })
  void refuses(String text, String message) {
    var e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
