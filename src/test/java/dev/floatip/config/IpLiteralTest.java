package dev.floatip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floatip.vrrp.IpFamily;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {

  @ParameterizedTest
  @CsvSource({
    "192.0.2.1, 192.0.2.1",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "2001:db8::1, 2001:db8:0:0:0:0:0:1",
    "::, 0:0:0:0:0:0:0:0",
    "::1, 0:0:0:0:0:0:0:1",
    "fe80::, fe80:0:0:0:0:0:0:0",
    "2001:DB8:0:0:1:2:3:4, 2001:db8:0:0:1:2:3:4",
    "64:ff9b::192.0.2.33, 64:ff9b:0:0:0:0:c000:221",
    "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
  })
  void parsesLiterals(String text, String expected) {
    InetAddress a = IpLiteral.parse(text).orElseThrow();
    assertEquals(expected, a.getHostAddress());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost",
        "example.org",
        "192.0.2",
        "192.0.2.1.5",
        "192.0.2.256",
        "192.0.2.01",
        "192.0.2.-1",
        " 192.0.2.1",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "1::2::3",
        "12345::",
        "fe80::1%eth0",
        "[::1]",
        "::ffff:192.0.2.1",
        "::ffff:0:1",
        "2001:db8::g",
        "1:2:3:4:5:6:7::8",
        "192.0.2.1/24",
      })
  void refusesEverythingElse(String text) {
    assertTrue(IpLiteral.parse(text).isEmpty(), text);
  }

  @ParameterizedTest
  @CsvSource({"2001:db8::1, IPV6", "192.0.2.1, IPV4"})
  void keepsTheFamily(String text, IpFamily family) {
    assertEquals(family, IpFamily.of(IpLiteral.parse(text).orElseThrow()));
  }

  @ParameterizedTest
  @CsvSource({"127.0.0.1:53, 127.0.0.1, 53", "'[::1]:8080', 0:0:0:0:0:0:0:1, 8080"})
  void parsesSocketAddresses(String text, String host, int port) {
    var sa = IpLiteral.socketAddress(text);
    assertEquals(host, sa.getAddress().getHostAddress());
    assertEquals(port, sa.getPort());
    assertTrue(!sa.isUnresolved());
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.org:53", "::1:53", "[192.0.2.1]:53", "192.0.2.1", "192.0.2.1:0"})
  void refusesBadSocketAddresses(String text) {
    assertThrows(IllegalArgumentException.class, () -> IpLiteral.socketAddress(text));
  }

  @org.junit.jupiter.api.Test
  void ipv6StaysIpv6() {
    assertTrue(IpLiteral.parse("::1:ffff:0:1").orElseThrow() instanceof Inet6Address);
  }

  @ParameterizedTest
  @CsvSource({
    "192.0.2.1, 192.0.2.1",
    "2001:db8:0:0:0:0:0:1, 2001:db8::1",
    "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "fe80:0:0:0:0:0:0:0, fe80::",
    "0:0:0:0:0:0:0:1, ::1",
    "0:0:0:0:0:0:0:0, ::",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
  })
  void formatsIpv6AsRfc5952(String in, String expected) {
    assertEquals(expected, IpLiteral.format(IpLiteral.parse(in).orElseThrow()));
  }
}
