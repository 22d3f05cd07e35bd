package dev.floatip.vrrp;

import static dev.floatip.vrrp.State.BACKUP;
import static dev.floatip.vrrp.State.MASTER;
import static dev.floatip.vrrp.sim.RouterSpec.ip;
import static dev.floatip.vrrp.sim.SimulatedLan.T0;
import static dev.floatip.vrrp.sim.SimulatedLan.at;
import static dev.floatip.vrrp.sim.SimulatedLan.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.floatip.vrrp.sim.Jitter;
import dev.floatip.vrrp.sim.RouterSpec;
import dev.floatip.vrrp.sim.Scenario;
import dev.floatip.vrrp.sim.SimRouter;
import dev.floatip.vrrp.sim.SimulatedLan;
import dev.floatip.vrrp.sim.Wire;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Received packets that must not count (RFC 5798 §7.1, RFC 3768 §7.1, DESIGN §5): each is dropped
 * and counted per reason, and none disturbs the election or its timing. Foreign routers that cannot
 * be heard (wrong peer, password, TTL) elect themselves, as they would on a real segment; they run
 * other addresses here, as another cluster sharing the VRID would.
 */
class BadPacketsScenarioTest {

  private static final Set<DropReason> DECODE_REASONS =
      EnumSet.of(
          DropReason.TOO_SHORT,
          DropReason.BAD_VERSION,
          DropReason.BAD_TYPE,
          DropReason.LENGTH_MISMATCH,
          DropReason.BAD_CHECKSUM,
          DropReason.UNSUPPORTED_FAMILY,
          DropReason.BAD_INTERVAL,
          DropReason.BAD_AUTH_TYPE,
          DropReason.UNKNOWN_VRID);

  private static List<State> states(SimRouter r) {
    return r.transitions().stream().map(SimRouter.Transition::to).toList();
  }

  /** A packet on the wire: bytes, IP source, destination and TTL. */
  private record Forgery(byte[] message, InetAddress source, InetAddress destination, int ttl) {}

  private static final InetAddress R1 = ip("192.0.2.11");
  private static final InetAddress R2 = ip("192.0.2.12");

  /**
   * What r2 (a configured peer) would send to r1 to take over: VRRPv2, VRID 51, priority 254,
   * password "secret". Accepted, it makes r1 step down; every forgery below is one defect away.
   */
  private static Advertisement takeover() {
    return new Advertisement(
        VrrpVersion.V2,
        RouterSpec.VRID,
        254,
        Duration.ofSeconds(1),
        List.of(ip("192.0.2.200")),
        Authentication.password("secret"));
  }

  private static Forgery valid(Advertisement adv, InetAddress source) {
    return new Forgery(VrrpCodec.encode(adv, source, R1), source, R1, 255);
  }

  private static Forgery bytes(byte[] message) {
    return new Forgery(message, R2, R1, 255);
  }

  /** One forgery per reason; the switch has no default, so a new reason needs a case here. */
  private static Forgery forge(DropReason reason) {
    Advertisement a = takeover();
    byte[] good = valid(a, R2).message();
    return switch (reason) {
      case TOO_SHORT -> bytes(Arrays.copyOf(good, 7));
      case BAD_VERSION -> bytes(Wire.with(good, 0, 0x41));
      case BAD_TYPE -> bytes(Wire.with(good, 0, 0x22));
      case LENGTH_MISMATCH -> bytes(Arrays.copyOf(good, good.length + 4));
      case BAD_CHECKSUM -> bytes(Wire.with(good, 7, good[7] ^ 0x5a));
      case UNSUPPORTED_FAMILY -> new Forgery(good, R2, ip("ff02::12"), 255);
      case BAD_INTERVAL -> bytes(Wire.withChecksum(Wire.with(good, 5, 0), R2, R1));
      case BAD_AUTH_TYPE -> bytes(Wire.withChecksum(Wire.with(good, 4, 2), R2, R1));
      case AUTH_MISMATCH ->
          valid(
              new Advertisement(
                  a.version(),
                  a.vrid(),
                  a.priority(),
                  a.adverInterval(),
                  a.addresses(),
                  Authentication.password("guess")),
              R2);
      case BAD_TTL -> new Forgery(good, R2, R1, 254);
      case UNKNOWN_VRID -> bytes(Wire.withChecksum(Wire.with(good, 1, 52), R2, R1));
      case VERSION_MISMATCH ->
          valid(
              new Advertisement(
                  VrrpVersion.V3,
                  a.vrid(),
                  a.priority(),
                  a.adverInterval(),
                  a.addresses(),
                  Authentication.NONE),
              R2);
      case INTERVAL_MISMATCH ->
          valid(
              new Advertisement(
                  a.version(),
                  a.vrid(),
                  a.priority(),
                  Duration.ofSeconds(2),
                  a.addresses(),
                  a.authentication()),
              R2);
      case UNKNOWN_PEER -> valid(a, ip("192.0.2.99"));
      case OWN_ADVERTISEMENT -> valid(a, R1);
      case QUEUE_FULL -> null; // the agent's receive queue (EventLoopTest), not the protocol
    };
  }

  private static Map<DropReason, Long> drops(SimRouter r) {
    Map<DropReason, Long> all = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      long n = r.demuxCounters().drops(reason) + r.counters().drops(reason);
      if (n > 0) {
        all.put(reason, n);
      }
    }
    return all;
  }

  @Scenario
  void everyDropReasonIsCountedOnceAndChangesNothing(Jitter jitter) {
    // VRRPv2 with PASS authentication, unicast between r1 and r2: every check applies
    var spec = RouterSpec.v2().password("secret").unicast("192.0.2.11", "192.0.2.12");
    var lan = new SimulatedLan(jitter);
    var r1 = lan.add("r1", "192.0.2.11", 150, spec);
    var r2 = lan.add("r2", "192.0.2.12", 100, spec);
    lan.startAll();
    lan.runUntil(at(10_000));
    lan.assertSettled(r1);

    Map<DropReason, Long> expected = new EnumMap<>(DropReason.class);
    Instant when = at(10_000);
    for (DropReason reason : DropReason.values()) {
      when = when.plus(ms(50));
      lan.runUntil(when);
      Forgery f = forge(reason);
      if (f == null) {
        continue;
      }
      long atDemux = r1.demuxCounters().drops(reason);
      lan.inject(r1, f.message(), f.source(), f.destination(), f.ttl());

      expected.merge(reason, 1L, Long::sum);
      assertEquals(expected, drops(r1), reason + " counted once, nothing else");
      assertEquals(
          DECODE_REASONS.contains(reason) ? atDemux + 1 : atDemux,
          r1.demuxCounters().drops(reason),
          reason + " is a " + (DECODE_REASONS.contains(reason) ? "decode" : "router") + " drop");
      assertEquals(MASTER, r1.state(), reason + " left r1 alone");
    }
    lan.runUntil(at(20_000));

    // r1 never reacted: no answer, no extra advert, the same one-second rhythm throughout
    assertEquals(List.of(BACKUP, MASTER), states(r1));
    List<Instant> sent = r1.sent().stream().map(SimRouter.Sent::at).toList();
    for (int i = 0; i < sent.size(); i++) {
      assertEquals(at(3414.0625).plus(Duration.ofSeconds(i)), sent.get(i));
    }
    assertEquals(List.of(BACKUP), states(r2));
    assertEquals(Map.of(), drops(r2));
    lan.assertSettled(r1);

    // positive control: the same advert without a defect does make r1 step down
    Forgery control = valid(takeover(), R2);
    lan.inject(r1, control.message(), control.source(), control.destination(), control.ttl());
    assertEquals(Reason.HIGHER_PRIORITY_MASTER, r1.lastTransition().reason());
  }

  @Scenario
  void v3ChecksumCoversThePseudoHeader(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var spec = RouterSpec.v3ipv6(Duration.ofMillis(100));
    var r1 = lan.add("r1", "fe80::11", 150, spec);
    lan.add("r2", "fe80::12", 100, spec).start();
    r1.start();
    lan.runUntil(at(1_000));
    lan.assertSettled(r1);

    // a well-formed takeover advert, checksummed for another destination than it arrives at
    var adv =
        new Advertisement(
            VrrpVersion.V3,
            RouterSpec.VRID,
            254,
            Duration.ofMillis(100),
            List.of(ip("2001:db8::200")),
            Authentication.NONE);
    byte[] message = VrrpCodec.encode(adv, ip("fe80::12"), ip("fe80::11"));
    lan.inject(r1, message, ip("fe80::12"), ip("ff02::12"), 255);
    assertEquals(1, r1.demuxCounters().drops(DropReason.BAD_CHECKSUM));
    lan.runUntil(at(2_000));
    lan.assertSettled(r1);
    // … and sent where it was checksummed for, it is heard
    lan.inject(r1, message, ip("fe80::12"), ip("fe80::11"), 255);
    assertEquals(BACKUP, r1.state());
  }

  @Scenario
  void unicastRoutersIgnoreARouterThatIsNotAConfiguredPeer(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var pair = RouterSpec.v2().unicast("192.0.2.11", "192.0.2.12");
    var r1 = lan.add("r1", "192.0.2.11", 150, pair);
    var r2 = lan.add("r2", "192.0.2.12", 100, pair);
    // same VRID, multicast, priority 254, another address: r1 and r2 hear it, must not obey it
    var rogue = lan.add("rogue", "192.0.2.99", 254, RouterSpec.v2().vips("192.0.2.201"));
    lan.startAll();
    lan.runUntil(at(10_000));

    // the rogue hears nobody (unicast goes to the peers only) and elects itself at 3007.8125 ms
    assertEquals(at(3007.8125), rogue.firstTransitionTo(MASTER, T0).at());
    assertEquals(at(3414.0625), r1.firstTransitionTo(MASTER, T0).at());
    assertEquals(List.of(BACKUP), states(r2));
    long rogueAdverts = rogue.sent().size();
    assertEquals(7, rogueAdverts);
    assertEquals(rogueAdverts, r1.counters().drops(DropReason.UNKNOWN_PEER));
    assertEquals(rogueAdverts, r2.counters().drops(DropReason.UNKNOWN_PEER));
    assertEquals(List.of(r1), lan.holdersOf(ip("192.0.2.200")));
    assertEquals(List.of(ip("192.0.2.12")), r1.sent().getFirst().destinations());
  }

  @Scenario
  void v2PasswordMismatchIsDroppedAndMatchingPasswordsElect(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var ours = RouterSpec.v2().password("secret");
    var r1 = lan.add("r1", "192.0.2.11", 150, ours);
    var r2 = lan.add("r2", "192.0.2.12", 100, ours);
    var other =
        lan.add("other", "192.0.2.13", 200, RouterSpec.v2().password("s3cr3t").vips("192.0.2.201"));
    lan.startAll();
    lan.runUntil(at(10_000));

    // RFC 2338 §7.1: a password mismatch is dropped, so each side elects alone (3 s + 56/256 s)
    assertEquals(at(3218.75), other.firstTransitionTo(MASTER, T0).at());
    assertEquals(at(3414.0625), r1.firstTransitionTo(MASTER, T0).at());
    assertEquals(List.of(BACKUP), states(r2));
    assertEquals(other.sent().size(), r1.counters().drops(DropReason.AUTH_MISMATCH));
    assertEquals(other.sent().size(), r2.counters().drops(DropReason.AUTH_MISMATCH));
    assertEquals(r1.sent().size(), other.counters().drops(DropReason.AUTH_MISMATCH));
    assertEquals(r1.sent().size(), r2.receivedFrom(r1).size());
    assertEquals(List.of(r1), lan.holdersOf(ip("192.0.2.200")));
  }

  @Scenario
  void advertsThatCrossedARouterAreNeverHeard(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var r1 = lan.add("r1", "192.0.2.11", 150, RouterSpec.v2());
    var r2 = lan.add("r2", "192.0.2.12", 100, RouterSpec.v2());
    // one hop away: its adverts arrive with TTL 254 (RFC 5798 §7.1 MUST drop)
    var far = lan.add("far", "192.0.2.14", 254, RouterSpec.v2().vips("192.0.2.201")).sendTtl(254);
    lan.startAll();
    lan.runUntil(at(10_000));

    assertEquals(at(3007.8125), far.firstTransitionTo(MASTER, T0).at());
    assertEquals(at(3414.0625), r1.firstTransitionTo(MASTER, T0).at());
    assertEquals(List.of(BACKUP), states(r2));
    assertEquals(far.sent().size(), r1.counters().drops(DropReason.BAD_TTL));
    assertEquals(far.sent().size(), r2.counters().drops(DropReason.BAD_TTL));
    assertEquals(List.of(r1), lan.holdersOf(ip("192.0.2.200")));
  }

  @Scenario
  void addressListMismatchIsReportedOnceCountedEveryTimeAndStillObeyed(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    // r1 got the new VIP first (a config rollout in progress)
    var r1 = lan.add("r1", "192.0.2.11", 150, RouterSpec.v2().vips("192.0.2.200", "192.0.2.201"));
    var r2 = lan.add("r2", "192.0.2.12", 100, RouterSpec.v2());
    lan.startAll();
    lan.runUntil(at(10_000));

    // RFC 5798 §7.1 makes the check a MAY: reported, but r1 still wins and r2 still obeys
    assertEquals(at(3414.0625), r1.firstTransitionTo(MASTER, T0).at());
    assertEquals(List.of(BACKUP), states(r2));
    var reports = r2.mismatches();
    assertEquals(1, reports.size(), "reported once per distinct list");
    assertEquals(r1.address(), reports.getFirst().source());
    assertEquals(List.of(ip("192.0.2.200"), ip("192.0.2.201")), reports.getFirst().theirs());
    assertEquals(List.of(ip("192.0.2.200")), reports.getFirst().ours());
    assertEquals(r2.receivedFrom(r1).size(), r2.counters().addressListMismatches());
    assertEquals(7, r2.counters().addressListMismatches());
    assertEquals(List.of(), r1.mismatches(), "r1 is master: it hears no adverts");
    lan.assertSettled(r1);

    r1.crash();
    lan.runUntil(at(20_000));
    var took = r2.firstTransitionTo(MASTER, at(10_000));
    lan.assertAt(at(9414.0625 + 3609.375), took.at(), 1, "r2 takes over");
    assertEquals(Set.of(ip("192.0.2.200")), r2.holds());
    lan.assertSettled(r2);
  }

  @Scenario
  void masterAnswersALowerPriorityAdvertAtOnceAndReannounces(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    var r1 = lan.add("r1", "192.0.2.11", 150, RouterSpec.v2());
    var r2 = lan.add("r2", "192.0.2.12", 100, RouterSpec.v2());
    lan.startAll();
    lan.runUntil(at(10_500));
    lan.assertSettled(r1);

    // a router at priority 50 that believes it is master (it just came out of a partition)
    var lower =
        new Advertisement(
            VrrpVersion.V2,
            RouterSpec.VRID,
            50,
            Duration.ofSeconds(1),
            List.of(ip("192.0.2.200")),
            Authentication.NONE);
    InetAddress group = ip("224.0.0.18");
    lan.inject(r1, VrrpCodec.encode(lower, ip("192.0.2.13"), group), ip("192.0.2.13"), group, 255);

    // RFC 9568 §6.4.3 style: an advert at once, and the addresses re-announced
    assertEquals(at(10_500), r1.sent().getLast().at());
    assertEquals(150, r1.sent().getLast().advertisement().priority());
    assertEquals(at(10_500), r1.announcements().getLast().at());
    lan.runUntil(at(12_000));
    // the answer restarted the Adver_Timer
    List<Instant> after = r1.sentSince(at(10_500)).stream().map(SimRouter.Sent::at).toList();
    assertEquals(List.of(at(10_500), at(11_500)), after);
    assertEquals(List.of(BACKUP), states(r2));
    lan.assertSettled(r1);
  }
}
