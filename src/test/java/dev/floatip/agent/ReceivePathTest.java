package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floatip.config.IpLiteral;
import dev.floatip.dataplane.ReceivedPacket;
import dev.floatip.vrrp.Action;
import dev.floatip.vrrp.Advertisement;
import dev.floatip.vrrp.Authentication;
import dev.floatip.vrrp.DropReason;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.State;
import dev.floatip.vrrp.VrrpCodec;
import dev.floatip.vrrp.VrrpVersion;
import dev.floatip.vrrp.sim.Wire;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The receive path of the event loop under junk and floods (issue 12 items 3 and 10): every dropped
 * packet shows in {@code floatip_vrrp_dropped_total}, and a flood never keeps Master_Down_Timer
 * from firing.
 */
class ReceivePathTest {

  private static final InetAddress PEER = IpLiteral.parse("192.0.2.12").orElseThrow();
  private static final InetAddress GROUP = IpLiteral.parse("224.0.0.18").orElseThrow();

  private final FakeDataplane dataplane = new FakeDataplane();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AgentMetrics metrics = new AgentMetrics(registry);
  private final AtomicBoolean flooding = new AtomicBoolean(true);

  /** Junk packets the flood put into the fake socket. */
  private final AtomicLong sent = new AtomicLong();

  private long receivedAtLastDrop;

  /**
   * A flood faster than the loop, deterministically on any machine: each junk packet the loop
   * decodes and drops lets it go on only once the receive thread has taken two more from the socket
   * (at most 0.5 ms of waiting).
   */
  private final EventLoop.Listener slowLoop =
      new EventLoop.Listener() {
        @Override
        public void stateChanged(RouterSpec spec, Action.StateChanged change) {}

        @Override
        public void dropped(IpFamily family, DropReason reason) {
          if (reason != DropReason.BAD_CHECKSUM || !flooding.get()) {
            return;
          }
          long until = System.nanoTime() + 500_000;
          while (received() < receivedAtLastDrop + 2 && System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          receivedAtLastDrop = received();
        }
      };

  private final EventLoop loop =
      new EventLoop(new MonotonicClock(), dataplane, List.of(metrics, slowLoop));

  private long received() {
    return sent.get() - dataplane.inbound.size();
  }

  @AfterEach
  void stop() {
    flooding.set(false);
    loop.close();
  }

  /** A VRRPv3 advert of VRID 1 from the peer, 10 ms, as {@link EventLoopTest#spec} runs. */
  private static byte[] advert(int priority) {
    return VrrpCodec.encode(
        new Advertisement(
            VrrpVersion.V3,
            1,
            priority,
            Duration.ofMillis(10),
            List.of(EventLoopTest.VIP_A),
            Authentication.NONE),
        PEER,
        GROUP);
  }

  private static ReceivedPacket packet(byte[] message, int ttl) {
    return new ReceivedPacket(PEER, GROUP, ttl, message, FakeDataplane.IFACE);
  }

  private double unrouted(DropReason reason) {
    Counter c =
        registry
            .find("floatip_vrrp_dropped")
            .tags("vip", "", "family", "ipv4", "reason", reason.name())
            .counter();
    return c == null ? -1 : c.count();
  }

  private State state() {
    return loop.status().join().getFirst().state();
  }

  /** Issue 12 item 10: decode failures were counted by the Demux and exported nowhere. */
  @Test
  void everyKindOfJunkShowsInDroppedTotal() {
    loop.start();
    loop.apply(List.of(EventLoopTest.spec("a", 1, EventLoopTest.VIP_A, 100))).join();
    byte[] good = advert(50);
    Map<DropReason, ReceivedPacket> junk = new EnumMap<>(DropReason.class);
    junk.put(DropReason.TOO_SHORT, packet(Arrays.copyOf(good, 7), 255));
    junk.put(DropReason.BAD_VERSION, packet(Wire.with(good, 0, 0x41), 255));
    junk.put(DropReason.BAD_TYPE, packet(Wire.with(good, 0, 0x32), 255));
    junk.put(DropReason.LENGTH_MISMATCH, packet(Arrays.copyOf(good, good.length + 4), 255));
    junk.put(DropReason.BAD_CHECKSUM, packet(Wire.with(good, 7, good[7] ^ 0x5a), 255));
    junk.put(
        DropReason.BAD_INTERVAL,
        packet(Wire.withChecksum(Wire.with(Wire.with(good, 4, 0), 5, 0), PEER, GROUP), 255));
    junk.put(
        DropReason.UNKNOWN_VRID,
        packet(Wire.withChecksum(Wire.with(good, 1, 52), PEER, GROUP), 255));
    junk.put(DropReason.BAD_TTL, packet(good, 254));
    int copies = 5;
    for (int i = 0; i < copies; i++) {
      junk.values().forEach(dataplane.inbound::add);
    }
    for (DropReason reason : junk.keySet()) {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(unrouted(reason)).as(reason.name()).isEqualTo(copies));
    }
    // the router itself saw none of it: all was dropped before a router was chosen
    assertThat(loop.status().join().getFirst().counters().advertisementsReceived()).isZero();
  }

  /**
   * Issue 12 item 3: the loop drained every queued packet before looking at its timers, so a flood
   * faster than it could decode kept Master_Down_Timer from firing (a 50k packets/s flood: a backup
   * a second late, two masters). Here a backup hears no master, only junk that passes the receive
   * thread's cheap checks (bad checksums for our VRID), arriving faster than the loop handles it
   * ({@link #slowLoop}): started in the middle of the flood, it still becomes master about
   * Master_Down_Interval (36 ms) later, and the excess is counted as QUEUE_FULL. Before the fix the
   * loop fell further behind for as long as the flood lasted and neither started the router nor
   * fired its timer.
   */
  @Test
  void aFloodDoesNotStarveMasterDownTimer() throws InterruptedException {
    loop.start();
    // another router opens the socket; the flood is for VRID 1, which starts once it is on
    RouterSpec other =
        EventLoopTest.spec("b", 2, IpLiteral.parse("192.0.2.201").orElseThrow(), 100);
    loop.apply(List.of(other)).join();
    byte[] master = advert(200);
    byte[] bad = Wire.with(master, 7, master[7] ^ 0x5a);
    ReceivedPacket junk = packet(bad, 255);
    Thread flood =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (flooding.get()) {
                    if (dataplane.inbound.size() < 10_000) {
                      dataplane.inbound.add(junk);
                      sent.incrementAndGet();
                    } else {
                      // the receive thread is behind: leave it the core
                      LockSupport.parkNanos(100_000);
                    }
                  }
                });
    await().atMost(Duration.ofSeconds(5)).until(() -> received() > 2_000);
    long floodStart = System.nanoTime();
    loop.apply(List.of(other, EventLoopTest.spec("a", 1, EventLoopTest.VIP_A, 100)));
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> dataplane.addresses.contains(EventLoopTest.VIP_A));
    Duration takeover = Duration.ofNanos(System.nanoTime() - floodStart);
    flooding.set(false);
    flood.join();
    System.out.printf(
        "flood: %d junk packets, %.0f decoded and dropped, %.0f QUEUE_FULL, master after %d ms%n",
        sent.get(),
        unrouted(DropReason.BAD_CHECKSUM),
        unrouted(DropReason.QUEUE_FULL),
        takeover.toMillis());
    assertThat(sent.get()).isGreaterThan(1_000);
    assertThat(unrouted(DropReason.QUEUE_FULL)).isPositive();
    assertThat(unrouted(DropReason.BAD_CHECKSUM)).isPositive();
  }
}
