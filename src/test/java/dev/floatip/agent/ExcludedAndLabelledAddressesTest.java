package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.Cidr;
import dev.floatip.config.IpLiteral;
import dev.floatip.config.NodeNetwork;
import dev.floatip.dataplane.AddressManager.AddressSpec;
import dev.floatip.vrrp.DecodeResult;
import dev.floatip.vrrp.IpFamily;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * From a VirtualIP with spec.addressLabels and spec.excludedAddresses to what the agent does: the
 * planner puts the label on the IPv4 address spec and the excluded addresses after the advertised
 * ones; the master adds and announces them all, with the label, and its adverts list only the
 * advertised address; status shows them.
 */
class ExcludedAndLabelledAddressesTest {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final InetAddress VIP = ip("192.0.2.200");
  private static final InetAddress EXCLUDED = ip("192.0.2.201");

  private final FakeDataplane dataplane = new FakeDataplane();
  private final EventLoop loop = new EventLoop(new MonotonicClock(), dataplane, List.of());

  private static InetAddress ip(String s) {
    return IpLiteral.parse(s).orElseThrow();
  }

  private static final NodeNetwork NODE =
      new NodeNetwork() {
        @Override
        public Optional<String> interfaceFor(Cidr address) {
          return Optional.of(FakeDataplane.IFACE);
        }

        @Override
        public Optional<InetAddress> primaryAddress(String interfaceName, IpFamily family) {
          return family == IpFamily.IPV4 ? Optional.of(FakeDataplane.PRIMARY) : Optional.empty();
        }

        @Override
        public boolean isLocal(InetAddress address) {
          return address.equals(FakeDataplane.PRIMARY);
        }
      };

  @AfterEach
  void stop() {
    loop.close();
  }

  private static RouterSpec planned() throws Exception {
    VirtualIP vip =
        YAML.readValue(
            """
            apiVersion: floatip.dev/v1alpha1
            kind: VirtualIP
            metadata: {name: web}
            spec:
              addresses: [192.0.2.200/24]
              excludedAddresses: [192.0.2.201/24]
              addressLabels: {192.0.2.200/24: "eth0:10", 192.0.2.201/24: "eth0:11"}
              virtualRouterId: 7
              advertisementInterval: 10ms
              transport: {mode: Multicast}
            """,
            VirtualIP.class);
    var planned = VipPlanner.plan(List.of(new VipRunner.VipInput(vip, null, List.of())), "n", NODE);
    var run = (VipPlanner.Run) planned.getFirst();
    return run.routers().getFirst();
  }

  @Test
  void thePlannerLabelsTheAddressesAndAppendsTheExcludedOnes() throws Exception {
    RouterSpec spec = planned();

    assertThat(spec.config().addresses()).containsExactly(VIP);
    assertThat(spec.config().excludedAddresses()).containsExactly(EXCLUDED);
    assertThat(spec.addresses())
        .containsExactly(
            new AddressSpec(VIP, 24, Optional.of("eth0:10")),
            new AddressSpec(EXCLUDED, 24, Optional.of("eth0:11")));
  }

  @Test
  void theMasterHoldsAndAnnouncesBothButAdvertisesOnlyTheAdvertisedOne() throws Exception {
    loop.start();
    loop.apply(List.of(planned()));

    await().until(() -> dataplane.addresses.containsAll(List.of(VIP, EXCLUDED)));
    await().until(() -> dataplane.announced.containsAll(List.of(VIP, EXCLUDED)));
    await().until(() -> dataplane.sent.size() >= 3);
    assertThat(dataplane.addedSpecs.get(VIP).label()).contains("eth0:10");
    assertThat(dataplane.addedSpecs.get(EXCLUDED).label()).contains("eth0:11");
    assertThat(dataplane.sent)
        .allSatisfy(
            s ->
                assertThat(((DecodeResult.Decoded) s.decoded()).advertisement().addresses())
                    .containsExactly(VIP));
    assertThat(loop.status().join().getFirst().addresses())
        .containsExactly("192.0.2.200/24 label eth0:10", "192.0.2.201/24 label eth0:11 excluded");

    loop.apply(List.of());
    await().until(() -> dataplane.addresses.isEmpty());
  }
}
