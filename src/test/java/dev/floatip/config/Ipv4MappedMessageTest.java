package dev.floatip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 12 item 11: an IPv4-mapped IPv6 address is named as such, in addresses and peers. */
class Ipv4MappedMessageTest {

  @Test
  void theMessageNamesTheMappedAddressAndItsIpv4Form() {
    assertEquals(
        "\"::ffff:192.0.2.1\" is an IPv4-mapped IPv6 address (::ffff:a.b.c.d); write the IPv4"
            + " address 192.0.2.1 instead",
        IpLiteral.notALiteral("::ffff:192.0.2.1"));
    assertEquals(
        "\"::ffff:c000:201\" is an IPv4-mapped IPv6 address (::ffff:a.b.c.d); write the IPv4"
            + " address 192.0.2.1 instead",
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::ffff:c000:201/120"))
            .getMessage());
    assertEquals(
        "\"host.example\" is not an IP address literal (names are not resolved)",
        IpLiteral.notALiteral("host.example"));
  }

  @Test
  void inAConfigFile() {
    String yaml =
        """
        apiVersion: floatip.dev/v1alpha1
        kind: VirtualIP
        metadata: {name: a}
        spec:
          addresses: ["::ffff:192.0.2.1/24"]
          virtualRouterId: 1
          transport: {peers: ["::ffff:192.0.2.2"]}
        """;
    List<String> errors =
        assertInstanceOf(ConfigFile.Invalid.class, ConfigFile.parse("x.yaml", yaml))
            .errors()
            .stream()
            .map(ConfigError::toString)
            .filter(e -> e.contains("IPv4-mapped"))
            .toList();
    assertEquals(2, errors.size(), errors.toString());
  }
}
