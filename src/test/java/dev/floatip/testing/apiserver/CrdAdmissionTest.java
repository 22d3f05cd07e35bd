package dev.floatip.testing.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.floatip.api.v1alpha1.crd.CrdFile;
import dev.floatip.testing.apiserver.CrdAdmission.FieldValidation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CrdAdmission} against kube-apiserver's custom resource handling, with the committed
 * VirtualIP CRD (and a small CRD for the rules the VirtualIP CRD does not use: transition rules,
 * messageExpression, list-type set/map). Each rule: a row that is admitted and one that is refused
 * with kube's message.
 */
class CrdAdmissionTest {

  static final CrdAdmission VIP = CrdAdmission.load(CrdFile.COMMITTED);
  private static final ObjectMapper YAML = new YAMLMapper();

  static RequestInfo request(String verb, String subresource) {
    return new RequestInfo(
        true,
        "/apis/floatip.dev/v1alpha1/virtualips/test" + (subresource.isEmpty() ? "" : "/status"),
        verb,
        "floatip.dev",
        "v1alpha1",
        "",
        "virtualips",
        subresource,
        "test");
  }

  static final RequestInfo CREATE = request("create", "");
  static final RequestInfo UPDATE = request("update", "");
  static final RequestInfo PATCH_STATUS = request("patch", "status");

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode vip(String specFlow) {
    return yaml(
        "apiVersion: floatip.dev/v1alpha1\nkind: VirtualIP\nmetadata: {name: test}\nspec: "
            + specFlow);
  }

  static ApiError refusal(Runnable write) {
    return catchThrowableOfType(ApiError.class, write::run);
  }

  // --- create -------------------------------------------------------------------------------

  @Test
  void createDropsStatusSetsGenerationOneAndDefaults() {
    ObjectNode sent = vip("{addresses: [192.0.2.1]}");
    sent.putObject("status").put("phase", "Active");
    sent.withObject("/metadata").put("generation", 7);

    ObjectNode stored = VIP.admit(CREATE, sent, null);

    assertThat(stored.has("status")).isFalse();
    assertThat(stored.at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(stored.at("/spec/version").asInt()).isEqualTo(3);
    assertThat(stored.at("/spec/advertisementInterval").asText()).isEqualTo("1s");
    assertThat(stored.at("/spec/transport/mode").isMissingNode()).isTrue();
    assertThat(sent.has("status")).as("the sent object is not modified").isTrue();
  }

  /** spec (flow YAML) that is admitted | spec that is refused | kube's message after the name. */
  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {addresses: [192.0.2.1], virtualRouterId: 255} | {addresses: [192.0.2.1], virtualRouterId: 256} | spec.virtualRouterId: Invalid value: 256: spec.virtualRouterId in body should be less than or equal to 255
          {addresses: [192.0.2.1], virtualRouterId: 1} | {addresses: [192.0.2.1], virtualRouterId: 0} | spec.virtualRouterId: Invalid value: 0: spec.virtualRouterId in body should be greater than or equal to 1
          {addresses: [192.0.2.1], virtualRouterId: 51} | {addresses: [192.0.2.1], virtualRouterId: "51"} | [spec.virtualRouterId: Invalid value: "string": spec.virtualRouterId in body must be of type integer: "string", <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]
          {addresses: [192.0.2.1], transport: {mode: Multicast}} | {addresses: [192.0.2.1], transport: {mode: Broadcast}} | [spec.transport.mode: Unsupported value: "Broadcast": supported values: "Multicast", "Unicast", <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]
          {addresses: [192.0.2.1], version: 2, authentication: {password: "12345678"}} | {addresses: [192.0.2.1], version: 2, authentication: {password: "123456789"}} | [spec.authentication.password: Too long: may not be more than 8 bytes, <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]
          {addresses: [192.0.2.1], interface: eth0} | {interface: eth0} | [spec.addresses: Required value, <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]
          {addresses: [192.0.2.1]} | {addresses: []} | spec.addresses: Invalid value: 0: spec.addresses in body should have at least 1 items
          {addresses: [192.0.2.1], syncGroup: g1} | {addresses: [192.0.2.1], syncGroup: "a group"} | spec.syncGroup: Invalid value: "a group": spec.syncGroup in body should match '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'
          {addresses: [192.0.2.1], priority: {order: [a]}} | {addresses: [192.0.2.1], priority: {order: [a, ""]}} | spec.priority.order[1]: Invalid value: "": spec.priority.order[1] in body should be at least 1 chars long
          {addresses: [192.0.2.1], priority: {nodes: {node-a: 254}}} | {addresses: [192.0.2.1], priority: {nodes: {node-a: 255}}} | spec.priority.nodes.node-a: Invalid value: 255: spec.priority.nodes.node-a in body should be less than or equal to 254
          {addresses: [192.0.2.1], preempt: false} | {addresses: [192.0.2.1], preempt: false, preemptDelay: 5s} | spec.preemptDelay: Invalid value: "object": has no effect with preempt: false
          {addresses: [192.0.2.1], version: 2, authentication: {password: pw}} | {addresses: [192.0.2.1], authentication: {password: pw}} | spec.authentication: Forbidden: only with version: 2 (VRRPv3 has no authentication, RFC 5798 §5.2)
          {addresses: [192.0.2.1], version: 2, authentication: {password: pw}} | {addresses: [192.0.2.1], version: 2, authentication: {}} | spec.authentication: Invalid value: "object": set exactly one of passwordSecretRef, passwordFile, password
          {addresses: [192.0.2.1], transport: {mode: Multicast}} | {addresses: [192.0.2.1], transport: {mode: Multicast, peers: [192.0.2.2]}} | spec.transport.peers: Forbidden: only used with mode Unicast
          {addresses: [192.0.2.1, 192.0.2.2], version: 2} | {addresses: [192.0.2.1, 2001:db8::1], version: 2} | spec.addresses: Invalid value: "object": IPv6 needs version 3 (VRRPv2 is IPv4 only, RFC 3768)
          """)
  void aValidAndAnInvalidRowPerRule(String valid, String invalid, String message) {
    assertThat(VIP.admit(CREATE, vip(valid), null)).isNotNull();

    ApiError e = refusal(() -> VIP.admit(CREATE, vip(invalid), null));

    assertThat(e).as("refused").isNotNull();
    assertThat(e.code()).isEqualTo(422);
    assertThat(e.reason()).isEqualTo("Invalid");
    assertThat(e.getMessage()).isEqualTo("VirtualIP.floatip.dev \"test\" is invalid: " + message);
  }

  @Test
  void anAddressThatIsNoIpIsRefusedWithThePatternAndOneCausePerField() {
    ApiError e = refusal(() -> VIP.admit(CREATE, vip("{addresses: [x, 192.0.2.300]}"), null));

    assertThat(e.getMessage())
        .startsWith(
            "VirtualIP.floatip.dev \"test\" is invalid: [spec.addresses[0]: Invalid value: \"x\":"
                + " spec.addresses[0] in body should match '^((25[0-5]")
        .contains(", spec.addresses[1]: Invalid value: \"192.0.2.300\": spec.addresses[1] in body");
    assertThat(e.causes())
        .extracting(ApiError.Cause::field, ApiError.Cause::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("spec.addresses[0]", "FieldValueInvalid"),
            org.assertj.core.groups.Tuple.tuple("spec.addresses[1]", "FieldValueInvalid"));
    assertThat(e.causes().get(0).message()).startsWith("Invalid value: \"x\": spec.addresses[0]");
    assertThat(e.status().at("/details/kind").asText()).isEqualTo("VirtualIP");
    assertThat(e.status().at("/details/group").asText()).isEqualTo("floatip.dev");
    assertThat(e.status().at("/code").asInt()).isEqualTo(422);
  }

  @Test
  void tooManyAddressesIsTooMany() {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < 511; i++) {
      list.append(i == 0 ? "" : ", ").append("10.0.").append(i / 250).append('.').append(i % 250);
    }
    ApiError e = refusal(() -> VIP.admit(CREATE, vip("{addresses: [" + list + "]}"), null));

    assertThat(e.getMessage())
        .contains("spec.addresses: Too many: 511: must have at most 510 items");
    assertThat(e.causes().get(0).reason()).isEqualTo("FieldValueTooMany");
  }

  @Test
  void aDuplicateAddressIsADuplicate() {
    ApiError e = refusal(() -> VIP.admit(CREATE, vip("{addresses: [192.0.2.1, 192.0.2.1]}"), null));

    // a CEL rule with reason FieldValueDuplicate, or x-kubernetes-list-type: set
    // (spec.addresses[1])
    assertThat(e.causes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.field()).startsWith("spec.addresses");
              assertThat(c.reason()).isEqualTo("FieldValueDuplicate");
              assertThat(c.message()).startsWith("Duplicate value: ");
            });
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Not_A_Name | metadata.name: Invalid value: "Not_A_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
          """)
  void metadataNameRules(String name, String message) {
    ObjectNode o = vip("{addresses: [192.0.2.1]}");
    o.withObject("/metadata").put("name", name);

    ApiError e = refusal(() -> VIP.admit(CREATE, o, null));

    assertThat(e.getMessage())
        .isEqualTo("VirtualIP.floatip.dev \"" + name + "\" is invalid: " + message);
  }

  @Test
  void aLongNameIsRefusedAndAMissingNameIsRequired() {
    ObjectNode o = vip("{addresses: [192.0.2.1]}");
    o.withObject("/metadata").put("name", "a".repeat(254));
    assertThat(refusal(() -> VIP.admit(CREATE, o, null)).getMessage())
        .endsWith(
            "metadata.name: Invalid value: \""
                + "a".repeat(254)
                + "\": must be no more than 253 characters");

    o.withObject("/metadata").remove("name");
    assertThat(refusal(() -> VIP.admit(CREATE, o, null)).getMessage())
        .isEqualTo(
            "VirtualIP.floatip.dev \"\" is invalid: [metadata.name: Required value: name or"
                + " generateName is required, <nil>: Invalid value: \"null\": some validation rules"
                + " were not checked because the object was invalid; correct the existing errors to"
                + " complete validation]");
  }

  @Test
  void aNamespaceOnTheClusterScopedKindIsCleared() {
    ObjectNode o = vip("{addresses: [192.0.2.1]}");
    o.withObject("/metadata").put("namespace", "floatip");

    assertThat(VIP.admit(CREATE, o, null).at("/metadata/namespace").isMissingNode()).isTrue();
  }

  @Test
  void theWrongKindIsRefused() {
    ObjectNode o = vip("{addresses: [192.0.2.1]}");
    o.put("kind", "VirtualIp");

    assertThat(refusal(() -> VIP.admit(CREATE, o, null)).getMessage())
        .isEqualTo(
            "VirtualIP.floatip.dev \"test\" is invalid: kind: Invalid value: \"VirtualIp\": must be"
                + " VirtualIP");
  }

  // --- unknown fields -----------------------------------------------------------------------

  @Test
  void unknownFieldsArePrunedWithAWarningByDefault() {
    ObjectNode o =
        vip(
            "{addresses: [192.0.2.1], vrid: 5, track: {scripts: [{name: s, command: [x], retries: 2}]}}");
    o.put("extra", 1);
    o.withObject("/metadata").put("colour", "red");

    CrdAdmission.Admitted a = VIP.admit(CREATE, o, null, FieldValidation.Warn);

    assertThat(a.object().has("extra")).isFalse();
    assertThat(a.object().at("/spec/vrid").isMissingNode()).isTrue();
    assertThat(a.object().at("/spec/track/scripts/0/retries").isMissingNode()).isTrue();
    assertThat(a.object().at("/metadata/colour").isMissingNode()).isTrue();
    assertThat(a.warnings())
        .containsExactly(
            "unknown field \"extra\"",
            "unknown field \"metadata.colour\"",
            "unknown field \"spec.track.scripts[0].retries\"",
            "unknown field \"spec.vrid\"");
    assertThat(VIP.admit(CREATE, o, null, FieldValidation.Ignore).warnings()).isEmpty();
    assertThat(
            VIP.admit(CREATE, vip("{addresses: [192.0.2.1]}"), null, FieldValidation.Strict)
                .warnings())
        .isEmpty();
  }

  @Test
  void unknownFieldsAreABadRequestWithStrictFieldValidation() {
    ObjectNode o = vip("{addresses: [192.0.2.1], vrid: 5}");

    ApiError e = refusal(() -> VIP.admit(CREATE, o, null, FieldValidation.Strict));

    assertThat(e.code()).isEqualTo(400);
    assertThat(e.reason()).isEqualTo("BadRequest");
    assertThat(e.getMessage())
        .isEqualTo(
            "VirtualIP in version \"v1alpha1\" cannot be handled as a VirtualIP: strict decoding"
                + " error: unknown field \"spec.vrid\"");
  }

  @ParameterizedTest
  @CsvSource({"'', Warn", "fieldValidation=Strict, Strict", "a=b&fieldValidation=Ignore, Ignore"})
  void fieldValidationFromTheQuery(String query, FieldValidation expected) {
    assertThat(FieldValidation.fromQuery(query)).isEqualTo(expected);
  }

  @Test
  void anUnknownFieldValidationIsABadRequest() {
    assertThatThrownBy(() -> FieldValidation.fromQuery("fieldValidation=Loud"))
        .isInstanceOf(ApiError.class)
        .hasMessage(
            "fieldValidation parameter unsupported: Loud. Supported values are: Ignore, Warn,"
                + " Strict");
  }

  // --- update and the status subresource ----------------------------------------------------

  static ObjectNode storedWithStatus() {
    ObjectNode stored = VIP.admit(CREATE, vip("{addresses: [192.0.2.1]}"), null);
    stored.withObject("/metadata").put("uid", "u-1").put("resourceVersion", "5");
    stored.putObject("status").put("phase", "Active").put("master", "node-a");
    return stored;
  }

  @Test
  void aMainResourceUpdateCannotChangeStatusAndBumpsGenerationOnSpecChanges() {
    ObjectNode stored = storedWithStatus();
    ObjectNode sent = stored.deepCopy();
    sent.withObject("/spec").putArray("addresses").add("192.0.2.9");
    sent.withObject("/status").put("phase", "SplitBrain");

    ObjectNode updated = VIP.admit(UPDATE, sent, stored);

    assertThat(updated.at("/status/phase").asText()).isEqualTo("Active");
    assertThat(updated.at("/spec/addresses/0").asText()).isEqualTo("192.0.2.9");
    assertThat(updated.at("/metadata/generation").asLong()).isEqualTo(2);
  }

  @Test
  void aMainResourceUpdateWithoutStatusKeepsTheStoredStatus() {
    ObjectNode stored = storedWithStatus();
    ObjectNode sent = stored.deepCopy();
    sent.remove("status");
    sent.withObject("/metadata").putObject("labels").put("team", "net");

    ObjectNode updated = VIP.admit(UPDATE, sent, stored);

    assertThat(updated.at("/status/master").asText()).isEqualTo("node-a");
    assertThat(updated.at("/metadata/labels/team").asText()).isEqualTo("net");
    assertThat(updated.at("/metadata/generation").asLong()).as("metadata only").isEqualTo(1);
  }

  @Test
  void aStatusUpdateKeepsTheStoredSpecAndMetadata() {
    ObjectNode stored = storedWithStatus();
    ObjectNode sent = stored.deepCopy();
    sent.withObject("/spec").putArray("addresses").add("192.0.2.9");
    sent.withObject("/metadata").putObject("labels").put("team", "net");
    sent.withObject("/status").put("phase", "NoMaster").put("master", "");

    ObjectNode updated = VIP.admit(PATCH_STATUS, sent, stored);

    assertThat(updated.get("spec")).isEqualTo(stored.get("spec"));
    assertThat(updated.at("/metadata/labels").isMissingNode()).isTrue();
    assertThat(updated.at("/metadata/generation").asLong()).isEqualTo(1);
    assertThat(updated.at("/status/phase").asText()).isEqualTo("NoMaster");
  }

  @Test
  void aStatusUpdateIsValidatedAgainstTheStatusSchema() {
    ObjectNode stored = storedWithStatus();
    ObjectNode sent = stored.deepCopy();
    sent.withObject("/status").put("phase", "Bogus");
    sent.withObject("/status").put("observedGeneration", "one");

    ApiError e = refusal(() -> VIP.admit(PATCH_STATUS, sent, stored));

    assertThat(e.getMessage())
        .startsWith(
            "VirtualIP.floatip.dev \"test\" is invalid: [status.observedGeneration: Invalid value:"
                + " \"string\": status.observedGeneration in body must be of type integer:"
                + " \"string\", status.phase: Unsupported value: \"Bogus\": supported values:"
                + " \"Active\", \"Invalid\", \"NoMaster\", \"Pending\", \"SplitBrain\"");
  }

  @Test
  void anUpdateCannotRenameOrChangeTheUid() {
    ObjectNode stored = storedWithStatus();
    ObjectNode sent = stored.deepCopy();
    sent.withObject("/metadata").put("uid", "u-2");

    assertThat(refusal(() -> VIP.admit(UPDATE, sent, stored)).getMessage())
        .isEqualTo(
            "VirtualIP.floatip.dev \"test\" is invalid: metadata.uid: Invalid value: \"u-2\": field"
                + " is immutable");
  }

  @Test
  void anUnchangedInvalidValueIsRatchetedAChangedOneIsNot() {
    ObjectNode stored = storedWithStatus();
    stored.withObject("/spec").put("virtualRouterId", 300); // written under an older CRD
    ObjectNode labelsOnly = stored.deepCopy();
    labelsOnly.withObject("/metadata").putObject("labels").put("team", "net");
    assertThat(VIP.admit(UPDATE, labelsOnly, stored).at("/spec/virtualRouterId").asInt())
        .isEqualTo(300);

    ObjectNode changed = stored.deepCopy();
    changed.withObject("/spec").put("virtualRouterId", 301);
    assertThat(refusal(() -> VIP.admit(UPDATE, changed, stored)).getMessage())
        .endsWith("spec.virtualRouterId in body should be less than or equal to 255");
  }

  // --- rules the VirtualIP CRD does not use (yet) --------------------------------------------

  static final CrdAdmission WIDGET = CrdAdmission.parse(CrdAdmissionTest.WIDGET_YAML);

  static final String WIDGET_YAML =
      """
          apiVersion: apiextensions.k8s.io/v1
          kind: CustomResourceDefinition
          metadata: {name: widgets.example.com}
          spec:
            group: example.com
            names: {kind: Widget, plural: widgets}
            scope: Namespaced
            versions:
            - name: v1
              served: true
              storage: true
              subresources: {status: {}}
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      x-kubernetes-validations:
                      - rule: self.replicas <= 5
                        messageExpression: "'replicas ' + string(self.replicas) + ' exceeds 5'"
                      - rule: has(self.owner)
                        message: an owner is required
                        reason: FieldValueRequired
                        fieldPath: .owner
                      properties:
                        replicas: {type: integer, default: 1}
                        owner: {type: string}
                        mode:
                          type: string
                          x-kubernetes-validations:
                          - rule: self == oldSelf
                            message: mode is immutable
                        tags:
                          type: array
                          x-kubernetes-list-type: set
                          items: {type: string}
                        ports:
                          type: array
                          x-kubernetes-list-type: map
                          x-kubernetes-list-map-keys: [name]
                          items:
                            type: object
                            required: [name]
                            properties:
                              name: {type: string}
                              port: {type: integer}
                    status:
                      type: object
                      properties:
                        ready: {type: boolean}
          """;

  static RequestInfo widget(String verb) {
    return new RequestInfo(
        true,
        "/apis/example.com/v1/namespaces/ns/widgets/w",
        verb,
        "example.com",
        "v1",
        "ns",
        "widgets",
        "",
        "w");
  }

  static ObjectNode widgetObject(String specFlow) {
    return yaml("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: " + specFlow);
  }

  static Stream<Arguments> widgetRows() {
    return Stream.of(
        Arguments.of(
            "{owner: a, replicas: 6}", "spec: Invalid value: \"object\": replicas 6 exceeds 5"),
        Arguments.of("{replicas: 2}", "spec.owner: Required value: an owner is required"),
        Arguments.of("{owner: a, tags: [x, y, x]}", "spec.tags[2]: Duplicate value: \"x\""),
        Arguments.of(
            "{owner: a, ports: [{name: http, port: 80}, {name: http, port: 8080}]}",
            "spec.ports[1]: Duplicate value: map[string]interface {}{\"name\":\"http\"}"));
  }

  @ParameterizedTest
  @MethodSource("widgetRows")
  void messageExpressionReasonFieldPathAndListTypes(String spec, String message) {
    assertThat(
            WIDGET.admit(
                widget("create"),
                widgetObject("{owner: a, tags: [x, y], ports: [{name: http}, {name: https}]}"),
                null))
        .isNotNull();

    ApiError e = refusal(() -> WIDGET.admit(widget("create"), widgetObject(spec), null));

    assertThat(e.getMessage()).isEqualTo("Widget.example.com \"w\" is invalid: " + message);
  }

  @Test
  void aNamespacedObjectTakesTheRequestsNamespaceAndMustNotNameAnother() {
    ObjectNode stored = WIDGET.admit(widget("create"), widgetObject("{owner: a}"), null);
    assertThat(stored.at("/metadata/namespace").asText()).isEqualTo("ns");

    ObjectNode other = widgetObject("{owner: a}");
    other.withObject("/metadata").put("namespace", "elsewhere");
    ApiError e = refusal(() -> WIDGET.admit(widget("create"), other, null));
    assertThat(e.code()).isEqualTo(400);
    assertThat(e.getMessage())
        .isEqualTo(
            "the namespace of the provided object does not match the namespace sent on the"
                + " request");
  }

  @Test
  void aTransitionRuleRunsOnlyOnUpdate() {
    ObjectNode stored =
        WIDGET.admit(widget("create"), widgetObject("{owner: a, mode: fast}"), null);
    ObjectNode sameMode = stored.deepCopy();
    sameMode.withObject("/spec").put("replicas", 3);
    assertThat(WIDGET.admit(widget("update"), sameMode, stored).at("/spec/replicas").asInt())
        .isEqualTo(3);

    ObjectNode changed = stored.deepCopy();
    changed.withObject("/spec").put("mode", "slow");
    assertThat(refusal(() -> WIDGET.admit(widget("update"), changed, stored)).getMessage())
        .isEqualTo(
            "Widget.example.com \"w\" is invalid: spec.mode: Invalid value: \"string\": mode is"
                + " immutable");
  }

  @Test
  void aSetWithDuplicatesAlreadyStoredIsNotRefusedAgain() {
    ObjectNode stored = widgetObject("{owner: a, tags: [x, x]}");
    stored.withObject("/metadata").put("namespace", "ns").put("generation", 1);
    ObjectNode sent = stored.deepCopy();
    sent.withObject("/metadata").putObject("labels").put("a", "b");

    assertThat(WIDGET.admit(widget("update"), sent, stored)).isNotNull();
  }

  @Test
  void theOfflineValidatorReportsListTypeDuplicatesToo() {
    var validator = dev.floatip.api.v1alpha1.crd.CrdValidator.parse(WIDGET_YAML);

    assertThat(validator.validate(widgetObject("{owner: a, tags: [x, y, x]}")))
        .extracting(Object::toString)
        .contains("spec.tags[2]: Duplicate value: \"x\"");
  }

  @Test
  void annotationsAreLimitedTo256KiB() {
    ObjectNode o = vip("{addresses: [192.0.2.1]}");
    o.withObject("/metadata").putObject("annotations").put("a", "x".repeat(256 * 1024));

    assertThat(refusal(() -> VIP.admit(CREATE, o, null)).getMessage())
        .startsWith(
            "VirtualIP.floatip.dev \"test\" is invalid: [metadata.annotations: Too long: may not be"
                + " more than 262144 bytes");
  }
}
