package dev.floatip.dataplane.linux;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floatip.vrrp.Action;
import dev.floatip.vrrp.Authentication;
import dev.floatip.vrrp.DecodeResult;
import dev.floatip.vrrp.Demux;
import dev.floatip.vrrp.DropReason;
import dev.floatip.vrrp.Input;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.RouterConfig;
import dev.floatip.vrrp.RouterKey;
import dev.floatip.vrrp.VirtualRouter;
import dev.floatip.vrrp.VrrpCodec;
import dev.floatip.vrrp.VrrpVersion;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The agent's receive path end to end, fed with hostile packets: the IP header as the raw socket
 * delivers it ({@link Ipv4Header}; for IPv6 the kernel strips the header and the addresses and hop
 * limit come from recvmsg, emulated here by a 40-byte IPv6 header), the receive thread's {@link
 * VrrpCodec#precheck}, {@link Demux#route} (decode + routing) and the {@link VirtualRouter} that
 * takes the advertisement, with its timers fired on a virtual clock between packets. Nothing may
 * throw: every bad packet is a counted drop. Whatever decodes must re-encode to the same
 * advertisement, and every advertisement a router sends must encode.
 *
 * <p>Input: records of [time step in 10 ms units (u8)][flag and length (u16, big endian)][IP
 * packet]. With the length's top bit set the harness recomputes the VRRP checksum first (a peer
 * that sends a correct one), so that mutations reach what lies behind the checksum check.
 */
class VrrpReceiveFuzzTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final int MAX_TIMER_FIRINGS = 64;

  /** One node: VRID 51 v3 and VRID 42 v2 (password) on IPv4, VRID 51 v3 on IPv6. */
  private static final class Node {
    final Demux<VirtualRouter> v4 = new Demux<>();
    final Demux<VirtualRouter> v6 = new Demux<>();
    final List<VirtualRouter> routers;
    Instant now = T0;

    Node() {
      VirtualRouter v3 = router(51, VrrpVersion.V3, IpFamily.IPV4, "192.0.2.12", "192.0.2.200", "");
      VirtualRouter v2 =
          router(42, VrrpVersion.V2, IpFamily.IPV4, "192.0.2.12", "203.0.113.250", "s3cr3tpw");
      VirtualRouter r6 = router(51, VrrpVersion.V3, IpFamily.IPV6, "fe80::12", "2001:db8::200", "");
      v4.register(new RouterKey(51, IpFamily.IPV4), v3);
      v4.register(new RouterKey(42, IpFamily.IPV4), v2);
      v6.register(new RouterKey(51, IpFamily.IPV6), r6);
      routers = List.of(v3, v2, r6);
      routers.forEach(r -> act(r, r.handle(new Input.Startup(now))));
    }

    void advance(Duration step) {
      now = now.plus(step);
      for (VirtualRouter r : routers) {
        int firings = 0;
        for (Optional<Instant> d = r.nextDeadline();
            d.isPresent() && !d.get().isAfter(now);
            d = r.nextDeadline()) {
          act(r, r.handle(new Input.TimerFired(now)));
          assertThat(++firings).as("timers re-armed in the past").isLessThan(MAX_TIMER_FIRINGS);
        }
      }
    }

    void receive(
        Demux<VirtualRouter> demux,
        InetAddress source,
        InetAddress destination,
        int ttl,
        byte[] message) {
      // receive thread (agent Sockets.Entry.early)
      DropReason early = VrrpCodec.precheck(message, ttl);
      if (early == null) {
        assertThat(VrrpCodec.vrid(message)).isBetween(0, 255);
      }
      roundTrip(message, source, destination);
      // loop thread (agent EventLoop.route)
      Optional<Demux.Delivery<VirtualRouter>> delivery =
          demux.route(now, message, source, destination, ttl);
      if (delivery.isPresent()) {
        VirtualRouter r = delivery.get().target();
        act(r, r.handle(delivery.get().input()));
      } else if (message.length > 1) {
        demux.isForeign(VrrpCodec.vrid(message));
      }
    }

    /** The agent encodes every advertisement a router asks it to send. */
    private static void act(VirtualRouter r, List<Action> actions) {
      for (Action a : actions) {
        if (a instanceof Action.SendAdvertisement send) {
          for (InetAddress to : send.destinations()) {
            VrrpCodec.encode(send.advertisement(), r.config().primaryAddress(), to);
          }
        }
      }
    }
  }

  private static VirtualRouter router(
      int vrid,
      VrrpVersion version,
      IpFamily family,
      String primary,
      String address,
      String password) {
    return new VirtualRouter(
        new RouterConfig(
            vrid,
            version,
            family,
            ip(primary),
            List.of(ip(address)),
            Duration.ofSeconds(1),
            true,
            Duration.ZERO,
            Set.of(),
            password.isEmpty() ? Authentication.NONE : Authentication.password(password)),
        100);
  }

  /** decode → encode → decode gives the same advertisement. */
  private static void roundTrip(byte[] message, InetAddress source, InetAddress destination) {
    if (VrrpCodec.decode(message, source, destination) instanceof DecodeResult.Decoded d) {
      byte[] again = VrrpCodec.encode(d.advertisement(), source, destination);
      assertThat(VrrpCodec.decode(again, source, destination)).isEqualTo(d);
      assertThat(again).hasSameSizeAs(message);
    }
  }

  @FuzzTest
  void receive(byte[] data) {
    Node node = new Node();
    int pos = 0;
    while (pos < data.length) {
      int step = data[pos] & 0xff;
      int word = pos + 2 < data.length ? (data[pos + 1] & 0xff) << 8 | (data[pos + 2] & 0xff) : 0;
      int length = word & 0x7fff;
      int start = Math.min(pos + 3, data.length);
      int end = Math.min(start + length, data.length);
      node.advance(Duration.ofMillis(step * 10L));
      packet(node, Arrays.copyOfRange(data, start, end), (word & 0x8000) != 0);
      pos = end;
    }
  }

  /** The harness's checksum flag gives what VrrpCodec accepts, so the fuzzer gets past it. */
  @Test
  void theChecksumFlagMakesAnAlteredAdvertisementDecode() {
    InetAddress from = ip("192.0.2.13");
    InetAddress group = ip("224.0.0.18");
    InetAddress from6 = ip("fe80::13");
    InetAddress group6 = ip("ff02::12");
    for (var v : List.of(VrrpVersion.V2, VrrpVersion.V3)) {
      byte[] m = advert(v, from, group, "192.0.2.200");
      m[2] = (byte) 200; // priority changed after the checksum was set
      assertThat(VrrpCodec.decode(m, from, group)).isInstanceOf(DecodeResult.Rejected.class);
      assertThat(VrrpCodec.decode(checksum(m, from, group, true), from, group))
          .isInstanceOf(DecodeResult.Decoded.class);
    }
    byte[] m6 = advert(VrrpVersion.V3, from6, group6, "2001:db8::200");
    m6[2] = (byte) 200;
    assertThat(VrrpCodec.decode(checksum(m6, from6, group6, true), from6, group6))
        .isInstanceOf(DecodeResult.Decoded.class);
  }

  private static byte[] advert(VrrpVersion v, InetAddress from, InetAddress to, String address) {
    return VrrpCodec.encode(
        new dev.floatip.vrrp.Advertisement(
            v, 51, 100, Duration.ofSeconds(1), List.of(ip(address)), Authentication.NONE),
        from,
        to);
  }

  private static void packet(Node node, byte[] packet, boolean fixChecksum) {
    if (packet.length == 0) {
      return;
    }
    if ((packet[0] & 0xf0) == 0x40) {
      // RawVrrpSocket.parse4
      Ipv4Header.parse(packet, packet.length)
          .ifPresent(
              h ->
                  node.receive(
                      node.v4,
                      h.source(),
                      h.destination(),
                      h.ttl(),
                      checksum(h.payload(), h.source(), h.destination(), fixChecksum)));
    } else if ((packet[0] & 0xf0) == 0x60 && packet.length >= 40) {
      // RawVrrpSocket.parse6: source from msg_name, destination IPV6_PKTINFO, IPV6_HOPLIMIT
      InetAddress source = SocketAddresses.inet(Arrays.copyOfRange(packet, 8, 24));
      InetAddress destination = SocketAddresses.inet(Arrays.copyOfRange(packet, 24, 40));
      byte[] message = Arrays.copyOfRange(packet, 40, packet.length);
      node.receive(
          node.v6,
          source,
          destination,
          packet[7] & 0xff,
          checksum(message, source, destination, fixChecksum));
    }
  }

  /** The message with its checksum recomputed as VrrpCodec checks it (RFC 5798 §5.2.8). */
  private static byte[] checksum(
      byte[] message, InetAddress source, InetAddress destination, boolean fix) {
    if (!fix || message.length < 8) {
      return message;
    }
    byte[] m = message.clone();
    m[6] = 0;
    m[7] = 0;
    ByteArrayOutputStream covered = new ByteArrayOutputStream();
    if ((m[0] & 0xf0) == 0x30) {
      byte[] src = source.getAddress();
      covered.writeBytes(src);
      covered.writeBytes(destination.getAddress());
      int n = m.length;
      covered.writeBytes(
          src.length == 4
              ? new byte[] {0, VrrpCodec.IP_PROTOCOL, (byte) (n >> 8), (byte) n}
              : new byte[] {0, 0, (byte) (n >> 8), (byte) n, 0, 0, 0, VrrpCodec.IP_PROTOCOL});
    }
    covered.writeBytes(m);
    int sum = InternetChecksum.compute(covered.toByteArray());
    m[6] = (byte) (sum >> 8);
    m[7] = (byte) sum;
    return m;
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
