package dev.floatip.operator.model;

import static dev.floatip.operator.model.Vips.vip;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.floatip.config.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 12 item 7: the newer of two VirtualIPs sharing an address is refused, naming the older. */
class AddressClaimsTest {

  @Test
  void theNewerOfTwoVirtualIPsSharingAnAddressIsRefused() {
    var older = vip("web", "2026-01-01T00:00:00Z", "{addresses: [192.0.2.10/24]}", null);
    var newer =
        vip(
            "mail",
            "2026-01-02T00:00:00Z",
            "{addresses: [\"2001:db8::1\", 192.0.2.10/32], nodeSelector: {matchLabels: {a: b}}}",
            null);
    var other = vip("dns", "2026-01-03T00:00:00Z", "{addresses: [192.0.2.11/24]}", null);
    Map<String, List<Violation>> expected =
        Map.of(
            "mail",
            List.of(
                new Violation(
                    "spec.addresses[1]",
                    "192.0.2.10/32 is already used by VirtualIP \"web\" (spec.addresses[0]); two"
                        + " routers would fight over it")));
    // whatever order the informer lists them in
    assertEquals(expected, AddressClaims.conflicts(List.of(newer, other, older)));
    assertEquals(expected, AddressClaims.conflicts(List.of(older, newer, other)));
  }

  @Test
  void distinctAddressesDoNotConflict() {
    assertEquals(
        Map.of(),
        AddressClaims.conflicts(
            List.of(
                vip("a", "{addresses: [192.0.2.10/24]}"),
                vip("b", "{addresses: [192.0.2.12/24, \"2001:db8::10\"]}"))));
  }
}
