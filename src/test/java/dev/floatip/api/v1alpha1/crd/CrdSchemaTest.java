package dev.floatip.api.v1alpha1.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.Mode;
import dev.floatip.config.Violation;
import dev.floatip.config.VirtualIPValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example manifest is admitted by the committed CRD (schema and CEL rules, checked offline
 * with {@link CrdValidator}) and by {@link VirtualIPValidator}; every invalid object in the table
 * is refused by both, with the field the API server would name. One validator for files and
 * resources: this test documents that the CRD and it agree.
 */
class CrdSchemaTest {

  static final CrdValidator CRD = CrdValidator.load(CrdFile.COMMITTED);

  private static final ObjectMapper YAML = new YAMLMapper();

  /** Binds like a strict client: unknown fields and strings for numbers fail. */
  private static final ObjectMapper STRICT = strictMapper();

  /** Messages of the CRD problems the invalid table produced, to check every rule is covered. */
  private static final Set<String> SEEN = new LinkedHashSet<>();

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("manifests", "examples"))) {
      List<Path> list = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(list).hasSizeGreaterThanOrEqualTo(6);
      return list.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExampleIsAdmitted(Path file) throws IOException {
    List<JsonNode> vips = virtualIPs(Files.readString(file));
    assertThat(vips).as(file + " holds a VirtualIP").isNotEmpty();
    for (JsonNode vip : vips) {
      String name = file + " " + vip.at("/metadata/name").asText();
      assertThat(CRD.validate(vip)).as(name + " against the CRD").isEmpty();
      assertThat(VirtualIPValidator.validate(bind(vip), Mode.CLUSTER))
          .as(name + " against VirtualIPValidator")
          .isEmpty();
    }
  }

  @Test
  void theValidatorsClusterFixturesAreAdmitted() throws IOException {
    for (String f : List.of("full-cluster.yaml", "full-v2-cluster.yaml")) {
      JsonNode vip = YAML.readTree(Files.readString(Path.of("src/test/resources/config", f)));
      assertThat(CRD.validate(vip)).as(f).isEmpty();
    }
  }

  /** Issue 11, defect 8: every RFC 4291 / RFC 5952 form passes the CRD's pattern. */
  @Test
  void everyIpv6FormIsAdmitted() throws IOException {
    assertThat(
            CRD.validate(
                vip(
                    "{addresses: ['2001:db8::200/64', '::1', '1::', '1:2:3:4:5:6:7:8/128',"
                        + " '64:ff9b::192.0.2.33/96', '1:2:3:4:5:6:192.0.2.1', 'FE80::A:b:c:d'],"
                        + " transport: {peers: ['2001:db8::1', '::ffff:192.0.2.9']}}")))
        .isEmpty();
  }

  @Test
  void minimalSpecIsDefaultedAndAdmitted() throws IOException {
    assertThat(CRD.validate(vip("{addresses: [192.0.2.1]}"))).isEmpty();
  }

  /**
   * spec (YAML flow mapping, or a whole object after "object:") | field path and message fragment
   * from the CRD | field path and message fragment from VirtualIPValidator (a path alone: any
   * message; "parse": the strict binding fails, as for a standalone file).
   */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {addresses: [192.0.2.1], virtualRouterId: 0} | spec.virtualRouterId: minimum value of 1 | spec.virtualRouterId: must be 1..255
          {addresses: [192.0.2.1], virtualRouterId: 256} | spec.virtualRouterId: maximum value of 255 | spec.virtualRouterId: must be 1..255
          {addresses: [192.0.2.1], priority: {default: 255}} | spec.priority.default: maximum value of 254 | spec.priority.default: must be 1..254
          {addresses: [192.0.2.1], priority: {nodes: {node-a: 255}}} | spec.priority.nodes.node-a: maximum value of 254 | spec.priority.nodes.node-a: must be 1..254
          {addresses: [192.0.2.1], version: 4} | spec.version: maximum value of 3 | spec.version: must be 2 or 3
          {addresses: [192.0.2.1, 2001:db8::1], version: 2} | spec.addresses: IPv6 needs version 3 | spec.addresses[1]: IPv6 needs version 3
          {addresses: [192.0.2.1], version: 2, advertisementInterval: 1.5s} | spec.advertisementInterval: whole seconds 1s..255s with version 2 | spec.advertisementInterval: must be whole seconds
          {addresses: [192.0.2.1], version: 2, advertisementInterval: 256s} | spec.advertisementInterval: whole seconds 1s..255s | spec.advertisementInterval: must be whole seconds
          {addresses: [192.0.2.1], version: 2, advertisementInterval: 1s1ms} | spec.advertisementInterval: whole seconds 1s..255s | spec.advertisementInterval: must be whole seconds
          {addresses: [192.0.2.1], advertisementInterval: 5ms} | spec.advertisementInterval: 10ms..40.95s in 10 ms steps | spec.advertisementInterval: must be 10ms..40.95s
          {addresses: [192.0.2.1], advertisementInterval: 41s} | spec.advertisementInterval: 10ms..40.95s in 10 ms steps | spec.advertisementInterval: must be 10ms..40.95s
          {addresses: [192.0.2.1], advertisementInterval: 1.015s} | spec.advertisementInterval: in 10 ms steps | spec.advertisementInterval: in 10 ms steps
          {addresses: [192.0.2.1], advertisementInterval: 100.5ms} | spec.advertisementInterval: in 10 ms steps | spec.advertisementInterval: in 10 ms steps
          {addresses: [192.0.2.1], advertisementInterval: 1 s} | spec.advertisementInterval: does not match the regex pattern | spec.advertisementInterval: is not a duration
          {addresses: [192.0.2.1], authentication: {passwordSecretRef: {name: vrrp, key: password}}} | spec.authentication: only with version: 2 | spec.authentication: only with version: 2
          {addresses: [192.0.2.1], version: 2, authentication: {}} | spec.authentication: set exactly one of | spec.authentication: set exactly one of
          {addresses: [192.0.2.1], version: 2, authentication: {password: a, passwordSecretRef: {name: s, key: k}}} | spec.authentication: set exactly one of | spec.authentication: set exactly one of
          {addresses: [192.0.2.1], version: 2, authentication: {passwordFile: /etc/floatip/pass}} | spec.authentication.passwordFile: only in a standalone file | spec.authentication.passwordFile: only in a standalone file
          {addresses: [192.0.2.1], version: 2, authentication: {password: "123456789"}} | spec.authentication.password: must be at most 8 characters | spec.authentication.password: at most 8 characters
          {addresses: [192.0.2.1], version: 2, authentication: {password: "pässwd"}} | spec.authentication.password: does not match the regex pattern | spec.authentication.password: only printable ASCII
          {addresses: [192.0.2.1], version: 2, authentication: {passwordSecretRef: {name: S_1, key: k}}} | spec.authentication.passwordSecretRef.name: does not match the regex pattern | spec.authentication.passwordSecretRef.name: must be a Secret name
          {addresses: [192.0.2.1], version: 2, authentication: {passwordSecretRef: {name: s}}} | spec.authentication.passwordSecretRef: required property 'key' not found | spec.authentication.passwordSecretRef.key: required
          {addresses: [192.0.2.1], vrid: 5} | spec.vrid: unknown field | parse
          {addresses: [192.0.2.1], priority: {defualt: 100}} | spec.priority.defualt: unknown field | parse
          object:{apiVersion: floatip.dev/v1alpha1, kind: VirtualIP, metadata: {name: x}, spec: {addresses: [192.0.2.1]}, extra: 1} | extra: unknown field | parse
          {addresses: [192.0.2.300]} | spec.addresses[0]: does not match the regex pattern | spec.addresses[0]: is not an IP address literal
          {addresses: [vip.example.org]} | spec.addresses[0]: does not match the regex pattern | spec.addresses[0]: is not an IP address literal
          {addresses: [192.0.2.1/33]} | spec.addresses[0]: does not match the regex pattern | spec.addresses[0]: prefix length must be 1..32
          {addresses: [192.0.2.1/024]} | spec.addresses[0]: does not match the regex pattern | spec.addresses[0]: prefix length must be 1..32
          {addresses: [2001:db8::1/129]} | spec.addresses[0]: does not match the regex pattern | spec.addresses[0]: prefix length must be 1..128
          {addresses: [192.0.2.010]} | spec.addresses[0]: does not match the regex pattern | spec.addresses[0]: is not an IP address literal
          {addresses: [192.0.2.1, 192.0.2.1]} | spec.addresses: must have only unique items | spec.addresses[1]: duplicate of spec.addresses[0]
          {addresses: [":::::"]} | spec.addresses[0]: does not match the regex pattern | spec.addresses[0]: is not an IP address literal
          {addresses: ["1:::2"]} | spec.addresses[0]: does not match the regex pattern | spec.addresses[0]: is not an IP address literal
          {addresses: ["1::2::3/64"]} | spec.addresses[0]: does not match the regex pattern | spec.addresses[0]: is not an IP address literal
          {addresses: ["1:2:3:4:5:6:7:8:9"]} | spec.addresses[0]: does not match the regex pattern | spec.addresses[0]: is not an IP address literal
          {addresses: ["1:2:3:4:5:6:7:192.0.2.1"]} | spec.addresses[0]: does not match the regex pattern | spec.addresses[0]: is not an IP address literal
          {addresses: [192.0.2.1], transport: {peers: ["fe80:::1"]}} | spec.transport.peers[0]: does not match the regex pattern | spec.transport.peers[0]: is not an IP address literal
          {addresses: []} | spec.addresses: must have at least 1 items | spec.addresses: at least one address is required
          {interface: eth0} | spec: required property 'addresses' not found | spec.addresses: at least one address is required
          {addresses: [192.0.2.1], transport: {peers: [192.0.2.2/24]}} | spec.transport.peers[0]: does not match the regex pattern | spec.transport.peers[0]: a peer is an address, without /prefix
          {addresses: [192.0.2.1], transport: {peers: [peer.example.org]}} | spec.transport.peers[0]: does not match the regex pattern | spec.transport.peers[0]: is not an IP address literal
          {addresses: [192.0.2.1], transport: {mode: Multicast, peers: [192.0.2.2]}} | spec.transport.peers: only used with mode Unicast | spec.transport.peers: only used with mode Unicast
          {addresses: [192.0.2.1], transport: {mode: Broadcast}} | spec.transport.mode: does not have a value in the enumeration | parse
          {addresses: [192.0.2.1], preempt: false, preemptDelay: 5s} | spec.preemptDelay: has no effect with preempt: false | spec.preemptDelay: has no effect with preempt: false
          {addresses: [192.0.2.1], preemptDelay: 1001s} | spec.preemptDelay: must be 0s..1000s | spec.preemptDelay: must be 0s..1000s
          {addresses: [192.0.2.1], priority: {order: [a, b, a]}} | spec.priority.order: must have only unique items | spec.priority.order[2]: duplicate node
          {addresses: [192.0.2.1], priority: {default: 252, order: [a, b, c]}} | spec.priority.order: distinct priority above default | spec.priority.order: 3 nodes need distinct priorities
          {addresses: [192.0.2.1], priority: {order: [a, ""]}} | spec.priority.order[1]: must be at least 1 characters long | spec.priority.order[1]: required
          {addresses: [192.0.2.1], virtualRouterId: "51"} | spec.virtualRouterId: string found, integer expected | parse
          {addresses: [192.0.2.1], syncGroup: "a group"} | spec.syncGroup: does not match the regex pattern | spec.syncGroup: must be 1..63 letters
          {addresses: [192.0.2.1], gratuitousArp: {repeat: 0}} | spec.gratuitousArp.repeat: minimum value of 1 | spec.gratuitousArp.repeat: must be 1..100
          {addresses: [192.0.2.1], track: {scripts: [{name: s, command: [x], weight: 254}]}} | spec.track.scripts[0].weight: maximum value of 253 | spec.track.scripts[0].weight: must be -253..253
          {addresses: [192.0.2.1], track: {scripts: [{name: s, command: []}]}} | spec.track.scripts[0].command: must have at least 1 items | spec.track.scripts[0].command: must name a program
          {addresses: [192.0.2.1], track: {files: [{weight: 1}]}} | spec.track.files[0]: required property 'path' not found | spec.track.files[0].path: required
          {addresses: [192.0.2.1], track: {http: [{name: h, url: "http://x/", expectedStatus: 600}]}} | spec.track.http[0].expectedStatus: maximum value of 599 | spec.track.http[0].expectedStatus: must be 100..599
          {addresses: [192.0.2.1], notify: {mail: {smtpServer: smtp, from: a@b, to: [c@d], tls: StartTLS, auth: {username: u}}}} | spec.notify.mail.auth: set exactly one of passwordSecretRef, passwordFile | spec.notify.mail.auth: set exactly one of passwordSecretRef, passwordFile
          {addresses: [192.0.2.1], notify: {mail: {smtpServer: smtp, from: a@b, to: [c@d], tls: StartTLS, auth: {username: u, passwordFile: /etc/floatip/smtp}}}} | spec.notify.mail.auth.passwordFile: only in a standalone file | spec.notify.mail.auth.passwordFile: only in a standalone file
          {addresses: [192.0.2.1], notify: {mail: {smtpServer: smtp, from: a@b, to: [c@d], auth: {username: u, passwordSecretRef: {name: smtp, key: password}}}}} | spec.notify.mail.auth: AUTH would send the password in clear text | spec.notify.mail.auth: AUTH would send the password in clear text
          {addresses: [192.0.2.1], notify: {mail: {smtpServer: smtp, from: a@b, to: [c@d], tls: Implicit, caFile: /etc/ssl/smtp-ca.pem}}} | spec.notify.mail.caFile: only in a standalone file | spec.notify.mail.caFile: only in a standalone file
          {addresses: [192.0.2.1], notify: {mail: {smtpServer: smtp, from: a@b, to: [c@d], tls: SSL}}} | spec.notify.mail.tls: does not have a value in the enumeration | parse
          {addresses: [192.0.2.1/24], addressLabels: {192.0.2.9/24: "eth0:1"}} | spec.addressLabels: every key must be an entry of spec.addresses | spec.addressLabels["192.0.2.9/24"]: not an entry
          {addresses: ["2001:db8::1/64"], addressLabels: {"2001:db8::1/64": "eth0:1"}} | spec.addressLabels: IPv4 addresses only | spec.addressLabels["2001:db8::1/64"]: IPv6 addresses have no label
          {addresses: [192.0.2.1/24], interface: eth0, addressLabels: {192.0.2.1/24: "eth1:1"}} | spec.addressLabels: must start with spec.interface | spec.addressLabels["192.0.2.1/24"]: does not start with the interface name eth0
          {addresses: [192.0.2.1/24], addressLabels: {192.0.2.1/24: "eth0:1234567890a"}} | spec.addressLabels.192.0.2.1/24: does not match the regex pattern | spec.addressLabels["192.0.2.1/24"]: at most 15 bytes
          {addresses: [192.0.2.1/24], excludedAddresses: [192.0.2.1/24]} | spec.excludedAddresses: either advertised (spec.addresses) or excluded | spec.excludedAddresses[0]: is also spec.addresses[0]
          {addresses: [192.0.2.1], version: 2, excludedAddresses: ["2001:db8::2"]} | spec.excludedAddresses: IPv6 needs version 3 | spec.excludedAddresses[0]: IPv6 needs version 3
          {addresses: [192.0.2.1], excludedAddresses: [192.0.2.2, 192.0.2.2]} | spec.excludedAddresses: must have only unique items | spec.excludedAddresses[1]: duplicate of spec.excludedAddresses[0]
          object:{apiVersion: floatip.dev/v1alpha1, kind: VirtualIP, metadata: {name: Not_A_Name}, spec: {addresses: [192.0.2.1]}} | metadata.name: RFC 1123 subdomain | metadata.name: must be a DNS subdomain
          """)
  void invalidObjectsAreRefusedByBoth(String spec, String crdExpected, String validatorExpected)
      throws IOException {
    JsonNode vip = spec.startsWith("object:") ? YAML.readTree(spec.substring(7)) : vip(spec);

    List<CrdValidator.Problem> problems = CRD.validate(vip);
    String[] crd = crdExpected.split(": ", 2);
    assertThat(problems)
        .as("CRD problems")
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(crd[0]);
              assertThat(p.message()).contains(crd[1]);
            });
    problems.forEach(p -> SEEN.add(p.message()));

    if (validatorExpected.equals("parse")) {
      assertThat(bindFails(vip)).as("strict binding fails").isTrue();
      return;
    }
    List<Violation> violations = VirtualIPValidator.validate(bind(vip), Mode.CLUSTER);
    String[] val = validatorExpected.split(": ", 2);
    assertThat(violations)
        .as("VirtualIPValidator violations")
        .anySatisfy(
            v -> {
              assertThat(v.path()).isEqualTo(val[0]);
              assertThat(v.message()).contains(val[1]);
            });
  }

  /** Runs after the table: each CEL rule of the CRD was seen failing at least once. */
  @AfterAll
  static void everyRuleIsExercised() {
    if (SEEN.isEmpty()) {
      return; // the table did not run (a single test selected)
    }
    List<String> unexercised = new ArrayList<>(CRD.ruleMessages());
    unexercised.removeIf(m -> SEEN.stream().anyMatch(s -> s.equals(m)));
    assertThat(unexercised).as("CEL rules no invalid case triggers").isEmpty();
  }

  @Test
  void everyRuleCompilesInTheCelEnvironment() {
    // CrdValidator.load compiles every rule against the schema's types; here: they are all there
    assertThat(CRD.rules()).hasSizeGreaterThanOrEqualTo(10);
  }

  @Test
  void aRuleThatDoesNotTypeCheckIsRefusedAsTheApiServerWould() throws IOException {
    String crd = Files.readString(CrdFile.COMMITTED);
    String broken = crd.replace("self.version == 2'", "self.version == \"2\"'");
    assertThat(broken).isNotEqualTo(crd);
    assertThatThrownBy(() -> CrdValidator.parse(broken))
        .hasMessageContaining("does not compile")
        .hasMessageContaining("no matching overload");
    String unknownField = crd.replace("self.version == 2'", "self.versoin == 2'");
    assertThatThrownBy(() -> CrdValidator.parse(unknownField))
        .hasMessageContaining("undefined field 'versoin'");
  }

  static JsonNode vip(String specFlow) throws IOException {
    return YAML.readTree(
        "apiVersion: floatip.dev/v1alpha1\nkind: VirtualIP\nmetadata: {name: test}\nspec: "
            + specFlow);
  }

  static List<JsonNode> virtualIPs(String yaml) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(yaml)) {
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        if (doc != null && "VirtualIP".equals(doc.path("kind").asText())) {
          out.add(doc);
        }
      }
    }
    return out;
  }

  static VirtualIP bind(JsonNode vip) throws IOException {
    return STRICT.treeToValue(vip, VirtualIP.class);
  }

  static boolean bindFails(JsonNode vip) {
    try {
      bind(vip);
      return false;
    } catch (IOException | IllegalArgumentException e) {
      return true;
    }
  }

  private static ObjectMapper strictMapper() {
    ObjectMapper m = new YAMLMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    for (LogicalType t : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    return m;
  }
}
