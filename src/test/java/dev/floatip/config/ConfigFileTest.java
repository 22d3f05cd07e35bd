package dev.floatip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floatip.api.v1alpha1.TransportMode;
import dev.floatip.api.v1alpha1.VirtualIP;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

  private static final Path DIR = Path.of("src/test/resources/config");

  @Test
  void loadsEveryDocumentInOrder() {
    var loaded =
        assertInstanceOf(ConfigFile.Loaded.class, ConfigFile.load(DIR.resolve("standalone.yaml")));
    List<VirtualIP> vips = loaded.virtualIPs();
    assertEquals(
        List.of("dns-v4", "dns-v6"), vips.stream().map(v -> v.getMetadata().getName()).toList());
    VirtualIP v4 = vips.get(0);
    assertEquals(List.of("192.0.2.200/24"), v4.getSpec().addresses());
    assertEquals("eth0", v4.getSpec().interfaceName());
    assertEquals(2, v4.getSpec().versionOrDefault());
    assertEquals(List.of("dns1", "dns2"), v4.getSpec().priority().order());
    assertEquals(3, v4.getSpec().track().scripts().get(0).fallOrDefault());
    assertEquals("secret", v4.getSpec().authentication().password());
    assertEquals(Map.of("app", "dns"), v4.getMetadata().getLabels());
    VirtualIP v6 = vips.get(1);
    assertEquals(TransportMode.Multicast, v6.getSpec().transport().mode());
    assertEquals(3, v6.getSpec().versionOrDefault()); // default
    assertEquals(Map.of(), loaded.passwords());
  }

  @Test
  void syntaxError() {
    assertErrors(
        "syntax.yaml",
        "7:18: spec.addresses: expected ',' or ']', but got : (while parsing a flow sequence at"
            + " line 6, column 14)");
  }

  @Test
  void unknownFieldIsAnErrorAtItsKey() {
    assertErrors(
        "unknown-field.yaml",
        "12:9: spec.track.scripts[0].intervall: unknown field (known: command, fall, interval,"
            + " name, rise, timeout, user, weight)");
  }

  @Test
  void wrongTypesInEveryDocumentAreReported() {
    assertErrors(
        "wrong-types.yaml",
        "6:20: spec.virtualRouterId: expected an integer",
        "13:26: spec.advertisementInterval: expected a string, was 1",
        "20:21: spec.transport.mode: expected one of Unicast, Multicast, was unicast",
        "26:14: spec.addresses: expected a list");
  }

  @Test
  void validatorViolationsPointAtTheField() {
    // the first document is valid, but the file is refused as a whole
    assertErrors(
        "violations.yaml",
        "12:1: spec.virtualRouterId: required in a standalone file (no operator allocates one)",
        "15:7: spec.addresses[1]: duplicate of spec.addresses[0]",
        "18:14: spec.priority.default: must be 1..254, was 300",
        "23:15: spec.track.scripts[0].fall: must be at least 1, was 0");
  }

  @Test
  void duplicateNames() {
    assertErrors(
        "duplicate-names.yaml",
        "8:18: metadata.name: duplicate VirtualIP name \"dns\" (first at line 3)");
  }

  @Test
  void envelope() {
    assertErrors(
        "envelope.yaml",
        "1:1: apiVersion: required: floatip.dev/v1alpha1",
        "6:7: kind: must be VirtualIP, was Service",
        "7:30: metadata.namespace: not used in a config file (known: annotations, labels, name)",
        "9:1: status: not allowed in a config file (the agent writes status)",
        "11:1: a document must be a VirtualIP mapping",
        "18:1: specs: unknown field (known: apiVersion, kind, metadata, spec, status)");
  }

  @Test
  void duplicateKeys() {
    assertErrors("duplicate-keys.yaml", "7:18: spec.virtualRouterId: duplicate key");
  }

  @Test
  void noDocuments() {
    var invalid =
        assertInstanceOf(ConfigFile.Invalid.class, ConfigFile.parse("x.yaml", "# empty\n"));
    assertEquals("x.yaml: no VirtualIP documents", invalid.errors().get(0).toString());
    assertErrors("empty.yaml", "no VirtualIP documents");
  }

  @Test
  void vridClashOnOneLink() {
    // web and mail share VRID 9 for IPv6 on the default interface; other-link uses eth1
    assertErrors(
        "vrid-conflict.yaml",
        "9:53: spec.virtualRouterId: VRID 9 is already used by VirtualIP \"web\" for IPv6 on the"
            + " default interface");
  }

  @Test
  void unreadableFile() {
    var invalid =
        assertInstanceOf(ConfigFile.Invalid.class, ConfigFile.load(DIR.resolve("missing.yaml")));
    assertTrue(
        invalid.errors().get(0).toString().contains("missing.yaml: cannot read: no such file"));
  }

  @Test
  void passwordFileIsReadAtLoadTime(@TempDir Path tmp) throws IOException {
    Path pass = tmp.resolve("vrrp.pass");
    Files.writeString(pass, "s3cret\n");
    var loaded =
        assertInstanceOf(
            ConfigFile.Loaded.class, ConfigFile.parse("x.yaml", v2WithPasswordFile(pass)));
    assertEquals(Map.of("v2", "s3cret"), loaded.passwords());
  }

  @Test
  void passwordFileProblemsNameTheFile(@TempDir Path tmp) throws IOException {
    Path missing = tmp.resolve("nope.pass");
    var invalid =
        assertInstanceOf(
            ConfigFile.Invalid.class, ConfigFile.parse("x.yaml", v2WithPasswordFile(missing)));
    assertEquals(
        "x.yaml:7:34: spec.authentication.passwordFile: cannot read " + missing + ": no such file",
        invalid.errors().get(0).toString());

    Path longer = tmp.resolve("long.pass");
    Files.writeString(longer, "123456789\n");
    invalid =
        assertInstanceOf(
            ConfigFile.Invalid.class, ConfigFile.parse("x.yaml", v2WithPasswordFile(longer)));
    assertEquals(
        "x.yaml:7:34: spec.authentication.passwordFile: password in "
            + longer
            + ": at most 8 characters (VRRPv2 carries 8 bytes), was 9",
        invalid.errors().get(0).toString());
  }

  private static String v2WithPasswordFile(Path file) {
    return """
        apiVersion: floatip.dev/v1alpha1
        kind: VirtualIP
        metadata: {name: v2}
        spec:
          addresses: [192.0.2.1]
          virtualRouterId: 1
          authentication: {passwordFile: %s}
          version: 2
          transport: {mode: Multicast}
        """
        .formatted(file);
  }

  private static void assertErrors(String fixture, String... expected) {
    var result = ConfigFile.load(DIR.resolve(fixture));
    var invalid = assertInstanceOf(ConfigFile.Invalid.class, result, () -> fixture + " loaded");
    String prefix = DIR.resolve(fixture) + ":";
    List<String> got =
        invalid.errors().stream()
            .map(e -> e.toString().substring(prefix.length()).strip())
            .toList();
    assertEquals(List.of(expected), got);
  }
}
