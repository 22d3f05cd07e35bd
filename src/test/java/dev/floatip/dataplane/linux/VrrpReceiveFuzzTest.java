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
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's receive path end to end, fed with hostile packets: the IP header as the raw socket
 * delivers it ({@link Ipv4Header}; for IPv6 the kernel strips the header and the addresses and hop
 * limit come from recvmsg, emulated here by a 40-byte IPv6 header), the receive thread's {@link
 * VrrpCodec#precheck}, {@link Demux#route} (decode + routing) and the {@link VirtualRouter} that
 * takes the advertisement, with its timers fired on a virtual clock between packets. Nothing may
 * throw: every bad packet is a counted drop. Whatever decodes must re-encode to the same
 * advertisement, and every advertisement a router sends must encode.
 *
 * <p>Input: records of [time step in 10 ms units (u8)][length (u16, big endian)][IP packet].
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
      VirtualRouter v3 = router(51, VrrpVersion.V3, IpFamily.IPV4, "192.0.2.11", "192.0.2.200", "");
      VirtualRouter v2 =
          router(42, VrrpVersion.V2, IpFamily.IPV4, "192.0.2.11", "203.0.113.250", "s3cr3tpw");
      VirtualRouter r6 = router(51, VrrpVersion.V3, IpFamily.IPV6, "fe80::11", "2001:db8::200", "");
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
      int length = pos + 2 < data.length ? (data[pos + 1] & 0xff) << 8 | (data[pos + 2] & 0xff) : 0;
      int start = Math.min(pos + 3, data.length);
      int end = Math.min(start + length, data.length);
      node.advance(Duration.ofMillis(step * 10L));
      packet(node, Arrays.copyOfRange(data, start, end));
      pos = end;
    }
  }

  private static void packet(Node node, byte[] packet) {
    if (packet.length == 0) {
      return;
    }
    if ((packet[0] & 0xf0) == 0x40) {
      // RawVrrpSocket.parse4
      Ipv4Header.parse(packet, packet.length)
          .ifPresent(h -> node.receive(node.v4, h.source(), h.destination(), h.ttl(), h.payload()));
    } else if ((packet[0] & 0xf0) == 0x60 && packet.length >= 40) {
      // RawVrrpSocket.parse6: source from msg_name, destination IPV6_PKTINFO, IPV6_HOPLIMIT
      node.receive(
          node.v6,
          SocketAddresses.inet6(packet, 8),
          SocketAddresses.inet6(packet, 24),
          packet[7] & 0xff,
          Arrays.copyOfRange(packet, 40, packet.length));
    }
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }
}
