package dev.floatip.vrrp;

import static dev.floatip.vrrp.sim.RouterSpec.ip;
import static dev.floatip.vrrp.sim.SimulatedLan.T0;
import static dev.floatip.vrrp.sim.SimulatedLan.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floatip.vrrp.Action.AddAddresses;
import dev.floatip.vrrp.Action.AnnounceAddresses;
import dev.floatip.vrrp.Action.RemoveAddresses;
import dev.floatip.vrrp.Action.SendAdvertisement;
import dev.floatip.vrrp.Input.ConfigChanged;
import dev.floatip.vrrp.Input.Shutdown;
import dev.floatip.vrrp.Input.Startup;
import dev.floatip.vrrp.Input.TimerFired;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * keepalived's virtual_ipaddress_excluded: addresses the master adds, announces and removes with
 * the advertised ones, but that no advert lists (so more than an advert's 255 can move).
 */
class ExcludedAddressesTest {

  private static final InetAddress SELF = ip("192.0.2.11");
  private static final InetAddress VIP = ip("192.0.2.200");
  private static final InetAddress GROUP = ip("224.0.0.18");

  private static List<InetAddress> excluded(int n) {
    return IntStream.range(0, n).mapToObj(i -> ip("198.51.100." + (i + 1))).toList();
  }

  private static RouterConfig config(List<InetAddress> excluded) {
    return new RouterConfig(
        51,
        VrrpVersion.V3,
        IpFamily.IPV4,
        SELF,
        List.of(VIP),
        Duration.ofSeconds(1),
        true,
        Duration.ZERO,
        Set.of(),
        Authentication.NONE,
        excluded);
  }

  @Test
  void theMasterHoldsAndAnnouncesThemButItsAdvertsListOnlyTheAdvertisedOnes() {
    List<InetAddress> extra = excluded(2);
    List<InetAddress> all = List.of(VIP, extra.get(0), extra.get(1));
    VirtualRouter r = new VirtualRouter(config(extra), 150);
    r.handle(new Startup(T0));

    List<Action> becoming = r.handle(new TimerFired(at(3414.0625)));

    assertThat(becoming).contains(new AddAddresses(all), new AnnounceAddresses(all));
    SendAdvertisement send =
        becoming.stream()
            .filter(SendAdvertisement.class::isInstance)
            .map(SendAdvertisement.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(send.advertisement().addresses()).containsExactly(VIP);
    // on the wire: count 1 and the one address
    byte[] bytes = VrrpCodec.encode(send.advertisement(), SELF, GROUP);
    assertThat(bytes[3]).as("Count IPvX Addr").isEqualTo((byte) 1);
    assertThat(bytes).hasSize(8 + 4);
    assertThat(List.of(bytes[8], bytes[9], bytes[10], bytes[11]))
        .containsExactly((byte) 192, (byte) 0, (byte) 2, (byte) 200);

    assertThat(r.handle(new Shutdown(at(5000)))).contains(new RemoveAddresses(all));
  }

  @Test
  void moreThanAnAdvertCarriesMove() {
    List<InetAddress> extra = excluded(254);
    List<InetAddress> more = new ArrayList<>(extra);
    more.addAll(IntStream.range(0, 100).mapToObj(i -> ip("203.0.113." + (i + 1))).toList());
    RouterConfig config = config(more);
    assertThat(config.allAddresses()).hasSize(355);
    VirtualRouter r = new VirtualRouter(config, 150);
    r.handle(new Startup(T0));
    List<Action> becoming = r.handle(new TimerFired(at(3414.0625)));
    assertThat(becoming).contains(new AddAddresses(config.allAddresses()));
  }

  @Test
  void aChangedExcludedListIsAddedAndRemovedWhileMaster() {
    List<InetAddress> before = excluded(2);
    VirtualRouter r = new VirtualRouter(config(before), 150);
    r.handle(new Startup(T0));
    r.handle(new TimerFired(at(3414.0625)));
    InetAddress third = ip("198.51.100.3");

    List<Action> changed =
        r.handle(new ConfigChanged(at(5000), config(List.of(before.get(0), third))));

    assertThat(changed)
        .contains(
            new RemoveAddresses(List.of(before.get(1))),
            new AddAddresses(List.of(third)),
            new AnnounceAddresses(List.of(third)));
    assertThat(changed)
        .filteredOn(SendAdvertisement.class::isInstance)
        .allSatisfy(
            a ->
                assertThat(((SendAdvertisement) a).advertisement().addresses())
                    .containsExactly(VIP));
  }

  @Test
  void anAddressIsAdvertisedOrExcludedAndOfTheRoutersFamily() {
    assertThatThrownBy(() -> config(List.of(VIP)))
        .hasMessageContaining("both advertised and excluded");
    assertThatThrownBy(() -> config(List.of(ip("2001:db8::1")))).hasMessageContaining("is not");
  }
}
