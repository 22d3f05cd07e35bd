package dev.floatip.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.crd.CrdFile;
import dev.floatip.api.v1alpha1.crd.CrdValidator;
import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * spec.addressLabels and spec.excludedAddresses: the validator and the CRD refuse the same specs
 * naming the field; the router plan carries excluded addresses outside the advert and refuses a
 * label that does not fit the interface it resolved.
 */
class AddressLabelsAndExcludedTest {

  private static final CrdValidator CRD = CrdValidator.load(CrdFile.COMMITTED);
  private static final ObjectMapper JSON =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private static final NodeNetwork ETH1 =
      new NodeNetwork() {
        @Override
        public Optional<String> interfaceFor(Cidr address) {
          return Optional.of("eth1");
        }

        @Override
        public Optional<InetAddress> primaryAddress(String ifName, IpFamily family) {
          return Optional.of(ip(family == IpFamily.IPV4 ? "192.0.2.11" : "fe80::11"));
        }

        @Override
        public boolean isLocal(InetAddress address) {
          return false;
        }
      };

  private static InetAddress ip(String s) {
    return IpLiteral.parse(s).orElseThrow();
  }

  private static List<String> validator(String spec) {
    return VirtualIPValidator.validate(TestVips.withSpec(spec), Mode.CLUSTER).stream()
        .map(Violation::toString)
        .toList();
  }

  private static List<String> crd(String spec) {
    JsonNode tree = JSON.valueToTree(TestVips.withSpec(spec));
    return CRD.validate(tree).stream().map(CrdValidator.Problem::toString).toList();
  }

  @Test
  void validSpecsPassBoth() {
    for (String spec :
        List.of(
            "{addresses: [192.0.2.200/24], interface: eth0,"
                + " addressLabels: {192.0.2.200/24: 'eth0:10'}}",
            "{addresses: [192.0.2.200/24, '2001:db8::1/64'],"
                + " excludedAddresses: [192.0.2.201/24, '2001:db8::2/64'],"
                + " addressLabels: {192.0.2.201/24: 'eth0:11'}}")) {
      assertThat(validator(spec)).as(spec).isEmpty();
      assertThat(crd(spec)).as(spec).isEmpty();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // key not in the lists
        "{addresses: [192.0.2.200/24], addressLabels: {192.0.2.9/24: 'eth0:1'}}"
            + "| spec.addressLabels[\"192.0.2.9/24\"]: not an entry"
            + "| every key must be an entry",
        // IPv6: the kernel ignores the label
        "{addresses: ['2001:db8::1/64'], addressLabels: {'2001:db8::1/64': 'eth0:1'}}"
            + "| IFA_LABEL for IPv6"
            + "| IPv4 addresses only",
        // longer than IFNAMSIZ - 1
        "{addresses: [192.0.2.200/24], addressLabels: {192.0.2.200/24: 'eth0:1234567890a'}}"
            + "| at most 15 bytes"
            + "| does not match the regex pattern",
        // not starting with spec.interface
        "{addresses: [192.0.2.200/24], interface: eth0, addressLabels: {192.0.2.200/24: 'eth1:1'}}"
            + "| does not start with the interface name eth0"
            + "| must start with spec.interface",
        // advertised and excluded
        "{addresses: [192.0.2.200/24], excludedAddresses: [192.0.2.200/24]}"
            + "| spec.excludedAddresses[0]: is also spec.addresses[0]"
            + "| either advertised (spec.addresses) or excluded",
        // IPv6 with version 2
        "{addresses: [192.0.2.200/24], version: 2, excludedAddresses: ['2001:db8::2/64']}"
            + "| spec.excludedAddresses[0]: IPv6 needs version 3"
            + "| IPv6 needs version 3",
        // twice
        "{addresses: [192.0.2.200/24], excludedAddresses: [192.0.2.201/24, 192.0.2.201/24]}"
            + "| spec.excludedAddresses[1]: duplicate of spec.excludedAddresses[0]"
            + "| Duplicate value",
      })
  void invalidSpecsAreRefusedByBothNamingTheField(String spec, String ours, String crds) {
    assertThat(validator(spec)).as(spec).anySatisfy(v -> assertThat(v).contains(ours));
    assertThat(crd(spec)).as(spec).anySatisfy(p -> assertThat(p).contains(crds));
  }

  @Test
  void anExcludedAddressNeedsAnAdvertisedOneOfItsFamily() {
    assertThat(validator("{addresses: [192.0.2.200/24], excludedAddresses: ['2001:db8::2/64']}"))
        .containsExactly(
            "spec.excludedAddresses[0]: no IPv6 address in spec.addresses: an excluded address"
                + " moves with the router of its family");
  }

  @Test
  void theRouterOfTheFamilyCarriesTheExcludedAddressesOutsideTheAdvert() {
    VirtualIP vip =
        TestVips.withSpec(
            "{addresses: [192.0.2.200/24, '2001:db8::1/64'], virtualRouterId: 7,"
                + " excludedAddresses: [192.0.2.201/24, 192.0.2.202, '2001:db8::2/64'],"
                + " transport: {mode: Multicast}}");
    var ready =
        (RouterPlan.Ready) RouterPlan.plan(vip, new RouterPlan.Context("n", ETH1, List.of(), null));
    var v4 = ready.routers().get(0).config();
    var v6 = ready.routers().get(1).config();
    assertThat(v4.addresses()).containsExactly(ip("192.0.2.200"));
    assertThat(v4.excludedAddresses()).containsExactly(ip("192.0.2.201"), ip("192.0.2.202"));
    assertThat(v6.addresses()).containsExactly(ip("2001:db8::1"));
    assertThat(v6.excludedAddresses()).containsExactly(ip("2001:db8::2"));
  }

  @Test
  void aLabelThatDoesNotFitTheResolvedInterfaceKeepsTheIpv4RouterFromRunning() {
    VirtualIP vip =
        TestVips.withSpec(
            "{addresses: [192.0.2.200/24, '2001:db8::1/64'], virtualRouterId: 7,"
                + " addressLabels: {192.0.2.200/24: 'eth0:10'}, transport: {mode: Multicast}}");
    var ready =
        (RouterPlan.Ready) RouterPlan.plan(vip, new RouterPlan.Context("n", ETH1, List.of(), null));
    assertThat(ready.routers()).extracting(r -> r.config().family()).containsExactly(IpFamily.IPV6);
    assertThat(ready.notReady())
        .containsExactly(
            "spec.addressLabels[\"192.0.2.200/24\"]: eth0:10 does not start with the interface"
                + " name eth1 (e.g. eth1:10), the interface its address goes on here; set"
                + " spec.interface or change the label");
  }

  @Test
  void excludedAddressesAreClaimedAcrossVirtualIps() {
    VirtualIP first =
        TestVips.parse(
            "apiVersion: floatip.dev/v1alpha1\nkind: VirtualIP\nmetadata: {name: a}\n"
                + "spec: {addresses: [192.0.2.200/24], excludedAddresses: [192.0.2.201/24]}");
    VirtualIP second =
        TestVips.parse(
            "apiVersion: floatip.dev/v1alpha1\nkind: VirtualIP\nmetadata: {name: b}\n"
                + "spec: {addresses: [192.0.2.201/24], excludedAddresses: [192.0.2.200]}");
    assertThat(AddressConflicts.check(List.of(first, second)))
        .extracting(AddressConflicts.Conflict::path)
        .containsExactly("spec.addresses[0]", "spec.excludedAddresses[0]");
  }
}
