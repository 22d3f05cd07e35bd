package dev.floatip.vrrp;

import static dev.floatip.vrrp.Frames.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Routing of received adverts to routers, and what the demultiplexer remembers of the rest. */
class DemuxTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final InetAddress PEER = ip("192.0.2.12");
  private static final InetAddress GROUP = ip("224.0.0.18");
  private static final InetAddress PEER6 = ip("fe80::12");
  private static final InetAddress GROUP6 = ip("ff02::12");

  private final Demux<String> demux = new Demux<>();

  private static byte[] advert(int vrid) {
    return advert(vrid, ip("192.0.2.200"), PEER, GROUP);
  }

  private static byte[] advert6(int vrid) {
    return advert(vrid, ip("2001:db8::200"), PEER6, GROUP6);
  }

  private static byte[] advert(int vrid, InetAddress vip, InetAddress from, InetAddress to) {
    return VrrpCodec.encode(
        new Advertisement(
            VrrpVersion.V3, vrid, 100, Duration.ofSeconds(1), List.of(vip), Authentication.NONE),
        from,
        to);
  }

  private Optional<Demux.Delivery<String>> receive(byte[] message) {
    return demux.route(T0, message, PEER, GROUP, 255);
  }

  @Test
  void anAdvertForARegisteredVridIsDeliveredAndNotForeign() {
    demux.register(new RouterKey(51, IpFamily.IPV4), "web");

    Optional<Demux.Delivery<String>> delivery = receive(advert(51));

    assertThat(delivery).hasValueSatisfying(d -> assertThat(d.target()).isEqualTo("web"));
    assertThat(delivery.get().input().advertisement().vrid()).isEqualTo(51);
    assertThat(demux.foreignVrids()).isEmpty();
    assertThat(demux.counters().drops(DropReason.UNKNOWN_VRID)).isZero();
  }

  @Test
  void advertsForVridsNoRouterRegisteredAreRememberedAndCountedAsUnknown() {
    demux.register(new RouterKey(51, IpFamily.IPV4), "web");

    assertThat(receive(advert(52))).isEmpty();
    assertThat(receive(advert(7))).isEmpty();
    assertThat(receive(advert(52))).isEmpty();
    assertThat(receive(advert(51))).isPresent();

    assertThat(demux.foreignVrids()).containsExactlyInAnyOrder(7, 52);
    assertThat(demux.counters().drops(DropReason.UNKNOWN_VRID)).isEqualTo(3);
  }

  @Test
  void aForeignIpv6AdvertIsRememberedToo() {
    assertThat(demux.route(T0, advert6(90), PEER6, GROUP6, 255)).isEmpty();

    assertThat(demux.foreignVrids()).containsExactly(90);
  }

  @Test
  void aForeignVridIsRememberedAfterItsRouterIsUnregisteredOnlyOnceAnAdvertArrives() {
    RouterKey key = new RouterKey(51, IpFamily.IPV4);
    demux.register(key, "web");
    receive(advert(51));
    demux.unregister(key);

    assertThat(demux.foreignVrids()).isEmpty();
    assertThat(receive(advert(51))).isEmpty();
    assertThat(demux.foreignVrids()).containsExactly(51);
  }

  @Test
  void aVridSeenForeignStaysRememberedWhenARouterRegistersIt() {
    receive(advert(51));
    demux.register(new RouterKey(51, IpFamily.IPV4), "web");

    assertThat(receive(advert(51))).isPresent();
    assertThat(demux.foreignVrids()).as("kept for the life of the socket").containsExactly(51);
  }

  @Test
  void malformedPacketsAreCountedButNoVridIsRemembered() {
    byte[] good = advert(52);
    byte[] badChecksum = good.clone();
    badChecksum[7] ^= 0x5a;
    byte[] badVersion = good.clone();
    badVersion[0] = 0x41;

    assertThat(receive(Arrays.copyOf(good, 7))).isEmpty();
    assertThat(receive(badChecksum)).isEmpty();
    assertThat(receive(badVersion)).isEmpty();

    assertThat(demux.foreignVrids()).isEmpty();
    assertThat(demux.counters().drops(DropReason.TOO_SHORT)).isEqualTo(1);
    assertThat(demux.counters().drops(DropReason.BAD_CHECKSUM)).isEqualTo(1);
    assertThat(demux.counters().drops(DropReason.BAD_VERSION)).isEqualTo(1);
    assertThat(demux.counters().drops(DropReason.UNKNOWN_VRID)).isZero();
  }

  @Test
  void foreignVridsIsASnapshot() {
    receive(advert(52));
    var before = demux.foreignVrids();

    receive(advert(53));

    assertThat(before).containsExactly(52);
    assertThat(demux.foreignVrids()).containsExactlyInAnyOrder(52, 53);
  }
}
