package dev.floatip.dataplane.linux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floatip.dataplane.AddressManager.AddressSpec;
import dev.floatip.dataplane.InterfaceAddress;
import dev.floatip.dataplane.LinkInfo;
import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;

/**
 * The netlink decoders on hostile datagrams: {@link NetlinkMessage#parseAll}, then every message
 * through {@link RouteCodec#decodeAddress}, {@link RouteCodec#decodeLink} and {@link
 * RouteCodec#decodeError}, as the link monitor and the requester do whatever the type says. None
 * may throw (a short or inconsistent message is skipped or decodes to empty). A decoded address
 * must be of the family its ifaddrmsg names, and re-encoded as RTM_NEWADDR it must decode the same.
 */
class NetlinkFuzzTest {

  @FuzzTest
  void datagram(byte[] data) {
    List<NetlinkMessage> messages = NetlinkMessage.parseAll(data, data.length);
    for (NetlinkMessage m : messages) {
      assertThat(m.payload().limit() + NetlinkMessage.HEADER_LENGTH)
          .isLessThanOrEqualTo(data.length);
      RouteCodec.decodeAddress(m).ifPresent(a -> address(m, a));
      RouteCodec.decodeLink(m).ifPresent(NetlinkFuzzTest::link);
      RouteCodec.Ack ack = RouteCodec.decodeError(m);
      assertThat(ack.message()).isNotNull();
    }
  }

  private static void address(NetlinkMessage m, InterfaceAddress a) {
    int family = Byte.toUnsignedInt(m.payload().get(0));
    assertThat(RouteCodec.family(a.address())).as("address family").isEqualTo(family);
    int max = a.address() instanceof Inet4Address ? 32 : 128;
    if (a.prefixLength() > max) {
      return; // no spec to re-encode; the kernel never reports one
    }
    Optional<String> label =
        a.label().filter(l -> l.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && l.length() <= 15);
    AddressSpec spec =
        new AddressSpec(
            a.address(),
            a.prefixLength(),
            a.address() instanceof Inet4Address ? label : Optional.empty());
    byte[] request = RouteCodec.newAddress(7, a.interfaceIndex(), spec);
    List<NetlinkMessage> again = NetlinkMessage.parseAll(request, request.length);
    assertThat(again).hasSize(1);
    InterfaceAddress b = RouteCodec.decodeAddress(again.getFirst()).orElseThrow();
    assertThat(b.address()).isEqualTo(a.address());
    assertThat(b.prefixLength()).isEqualTo(a.prefixLength());
    assertThat(b.interfaceIndex()).isEqualTo(a.interfaceIndex());
    assertThat(b.label()).isEqualTo(spec.label());
    assertThat(b.addedByFloatip()).isTrue();
  }

  private static void link(LinkInfo l) {
    assertThat(l.name()).isNotNull();
    l.operational();
  }
}
