package dev.floatip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 12 item 7: one address in two VirtualIPs of a standalone file is refused. */
class AddressConflictsTest {

  private static String doc(String name, String addresses, int vrid) {
    return "apiVersion: floatip.dev/v1alpha1\n"
        + "kind: VirtualIP\n"
        + "metadata: {name: "
        + name
        + "}\n"
        + "spec: {addresses: "
        + addresses
        + ", virtualRouterId: "
        + vrid
        + ", transport: {mode: Multicast}}\n";
  }

  @Test
  void oneAddressInTwoVirtualIPsIsRefusedOnTheLaterOne() {
    String file =
        doc("web", "[192.0.2.10/24, \"2001:db8::10\"]", 10)
            + "---\n"
            + doc("mail", "[192.0.2.11/24, \"2001:db8::10/64\"]", 11);
    var invalid = assertInstanceOf(ConfigFile.Invalid.class, ConfigFile.parse("vip.yaml", file));
    assertEquals(
        List.of(
            "vip.yaml:9:35: spec.addresses[1]: 2001:db8::10/64 is already used by VirtualIP"
                + " \"web\" (spec.addresses[1]); two routers would fight over it"),
        invalid.errors().stream().map(ConfigError::toString).toList());
  }

  @Test
  void distinctAddressesLoad() {
    String file = doc("web", "[192.0.2.10/24]", 10) + "---\n" + doc("mail", "[192.0.2.11/24]", 11);
    assertInstanceOf(ConfigFile.Loaded.class, ConfigFile.parse("vip.yaml", file));
  }

  @Test
  void theSameAddressWithAnotherPrefixIsTheSameAddress() {
    var vips =
        List.of(
            TestVips.withSpec("{addresses: [192.0.2.10/24]}"),
            TestVips.withSpec("{addresses: [192.0.2.9, 192.0.2.10/32]}"));
    vips.get(0).getMetadata().setName("a");
    vips.get(1).getMetadata().setName("b");
    assertEquals(
        List.of(
            new AddressConflicts.Conflict(
                1,
                "spec.addresses[1]",
                "192.0.2.10/32 is already used by VirtualIP \"a\" (spec.addresses[0]); two routers"
                    + " would fight over it")),
        AddressConflicts.check(vips));
  }
}
