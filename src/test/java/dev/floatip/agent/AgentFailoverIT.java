package dev.floatip.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floatip.testing.FloatipYaml;
import dev.floatip.testing.ItLogs;
import dev.floatip.testing.LabDaemon;
import dev.floatip.testing.NetnsLab.Node;
import dev.floatip.testing.SharedLab;
import dev.floatip.testing.VipWatch;
import dev.floatip.testing.VrrpTiming;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * floatip agents alone on a real wire: three router namespaces and a client on one bridge, one
 * VirtualIP with an IPv4 and an IPv6 address (so every step checks both families), VRRPv3 every 100
 * ms, priorities r1 150 &gt; r2 100 &gt; r3 50. One scenario per transport: election, hard failure
 * by link down, preemption back, kill -9 with the link down (and the restarted agent removing what
 * the killed one left), graceful SIGTERM, preemption back after a restart.
 *
 * <p>After every failover the client's neighbour entries for the VIPs must point at the new
 * master's MAC without the client sending anything: that is the gratuitous ARP / unsolicited NA at
 * work (the client resolved the VIPs once before, as arp_accept=0 only updates existing entries).
 * After every transition the group must settle: each VIP on exactly one router.
 */
class AgentFailoverIT {

  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final int P1 = 150;
  private static final int P2 = 100;
  private static final int P3 = 50;
  private static final String VIP4 = "192.0.2.200/24";
  private static final String VIP6 = "2001:db8::200/64";
  private static final List<InetAddress> VIPS =
      List.of(VipWatch.address(VIP4), VipWatch.address(VIP6));

  /** "Settled" is checked over this many adverts. */
  private static final Duration SETTLE = INTERVAL.multipliedBy(3);

  /** A JVM start on a busy 2-CPU machine, then an election: not a timing claim. */
  private static final Duration START = Duration.ofSeconds(60);

  @RegisterExtension static final SharedLab LAB = SharedLab.agents("afo", 3);

  private final List<LabDaemon> agents = new ArrayList<>();
  private final List<Process> monitors = new ArrayList<>();

  /** The LAB.lab() is shared by the tests: leave it as found. */
  @AfterEach
  void reset() {
    LabDaemon.stopAll(agents);
    monitors.forEach(Process::destroy);
    monitors.clear();
    LAB.lab().routers().forEach(LAB.lab()::reconnect);
    LAB.watch().removeEverywhere(LAB.lab().routers(), VIPS);
    LAB.lab().exec(LAB.lab().client(), "ip", "neigh", "flush", "dev", "eth0");
  }

  @Test
  void multicast(TestInfo test) {
    scenario(test, FloatipYaml.vip("web", 51).multicast());
  }

  @Test
  void unicast(TestInfo test) {
    List<String> peers = new ArrayList<>();
    LAB.lab().routers().forEach(r -> peers.add(VipWatch.literal(r.ipv4())));
    LAB.lab().routers().forEach(r -> peers.add(VipWatch.literal(r.ipv6())));
    scenario(test, FloatipYaml.vip("web", 51).unicast(peers.toArray(String[]::new)));
  }

  private void scenario(TestInfo test, FloatipYaml transport) {
    Path dir = ItLogs.dir(test);
    String mode = transport.unicast() ? "unicast" : "multicast";
    Node r1 = LAB.lab().router(1);
    Node r2 = LAB.lab().router(2);
    Node r3 = LAB.lab().router(3);
    Node client = LAB.lab().client();
    List<Node> all = LAB.lab().routers();
    Path config =
        transport
            .addresses(VIP4, VIP6)
            .interval("100ms")
            .priority(r1.name(), P1)
            .priority(r2.name(), P2)
            .priority(r3.name(), P3)
            .write(dir.resolve("vip.yaml"));

    for (Node r : all) {
      monitors.add(
          LAB.lab()
              .start(
                  r.namespace(),
                  dir.resolve("addr-" + r.name() + ".log"),
                  "ip",
                  "-ts",
                  "monitor",
                  "address",
                  "link"));
    }
    // election: all three start at once; r1 must end up the only holder
    LabDaemon a1 = start(r1, config, dir, 1);
    LabDaemon a2 = start(r2, config, dir, 1);
    LabDaemon a3 = start(r3, config, dir, 1);
    LAB.watch().awaitSoleHolder(r1, all, VIPS, START);
    a2.awaitLine(START, "web/v4", "-> BACKUP");
    a3.awaitLine(START, "web/v6", "-> BACKUP");
    LAB.watch().assertSettled(r1, all, VIPS, SETTLE);
    LAB.watch().ping(client, VIPS);
    LAB.watch().awaitNeighbour(client, VIPS, r1.mac(), Duration.ofSeconds(2));

    // hard failure: r1's link goes down (its agent sees it and goes FAULT); r2 takes over
    long t0 = System.nanoTime();
    LAB.lab().disconnect(r1);
    timed(
        mode + ": link down on master r1 -> r2",
        t0,
        r2,
        all,
        VrrpTiming.masterDown(3, INTERVAL, P2));
    LAB.watch().awaitNeighbour(client, VIPS, r2.mac(), Duration.ofSeconds(1));
    LAB.watch().assertSettled(r2, all, VIPS, SETTLE);

    // preemption back: r1's link returns; FAULT -> BACKUP, one Master_Down_Interval, MASTER
    t0 = System.nanoTime();
    LAB.lab().reconnect(r1);
    timed(
        mode + ": link up on r1, preempts back",
        t0,
        r1,
        all,
        VrrpTiming.masterDown(3, INTERVAL, P1));
    LAB.watch().awaitNeighbour(client, VIPS, r1.mac(), Duration.ofSeconds(1));
    LAB.watch().assertSettled(r1, all, VIPS, SETTLE);

    // kill -9 of the master's agent with its link down: the VIPs stay on r1 (as with
    // keepalived), which is cut off; r2 must take over on the wire
    t0 = System.nanoTime();
    a1.sigkill();
    LAB.lab().disconnect(r1);
    List<Node> alive = List.of(r2, r3);
    timed(
        mode + ": kill -9 + link down on r1 -> r2",
        t0,
        r2,
        alive,
        VrrpTiming.masterDown(3, INTERVAL, P2));
    assertEquals(
        Set.of(r1.name()),
        LAB.watch().holders(List.of(r1), VIPS).get(VIPS.getFirst()),
        "a killed agent leaves its addresses (as keepalived does)");
    LAB.watch().awaitNeighbour(client, VIPS, r2.mac(), Duration.ofSeconds(1));
    LAB.watch().assertSettled(r2, alive, VIPS, SETTLE);

    // no orphans: a new agent on r1 removes what the killed one left, link still down
    a1 = start(r1, config, dir, 2);
    LAB.watch().awaitSoleHolder(r2, all, VIPS, START);
    a1.awaitLine(START, "web/v6", "VRID 51");
    LAB.watch().assertSettled(r2, all, VIPS, SETTLE);

    t0 = System.nanoTime();
    LAB.lab().reconnect(r1);
    timed(
        mode + ": restarted r1's link up, preempts back",
        t0,
        r1,
        all,
        VrrpTiming.masterDown(3, INTERVAL, P1));
    LAB.watch().awaitNeighbour(client, VIPS, r1.mac(), Duration.ofSeconds(1));
    LAB.watch().assertSettled(r1, all, VIPS, SETTLE);

    // graceful: SIGTERM -> priority 0, addresses removed, exit 0 within a second; the backup
    // waits only Skew_Time
    t0 = System.nanoTime();
    a1.sigterm();
    timed(mode + ": SIGTERM on r1 -> r2", t0, r2, all, VrrpTiming.skew(3, INTERVAL, P2));
    Duration left = Duration.ofSeconds(1).minusNanos(System.nanoTime() - t0);
    assertEquals(0, a1.awaitExit(left.isNegative() ? Duration.ZERO : left), "exit code");
    VrrpTiming.report(
        mode + ": SIGTERM -> agent exited",
        Duration.ofNanos(System.nanoTime() - t0),
        Duration.ofSeconds(1));
    assertTrue(a1.lines().stream().anyMatch(l -> l.contains("MASTER -> INITIALIZE")), a1.logTail());
    LAB.watch().awaitNeighbour(client, VIPS, r2.mac(), Duration.ofSeconds(1));
    LAB.watch().assertSettled(r2, all, VIPS, SETTLE);

    // and back once more after a plain restart
    a1 = start(r1, config, dir, 3);
    LAB.watch().awaitSoleHolder(r1, all, VIPS, START);
    LAB.watch().awaitNeighbour(client, VIPS, r1.mac(), Duration.ofSeconds(1));
    LAB.watch().assertSettled(r1, all, VIPS, SETTLE);
  }

  /** Awaits {@code holder} alone and asserts the time from t0 within protocol + slack. */
  private void timed(String what, long t0, Node holder, List<Node> among, Duration protocol) {
    Duration bound = VrrpTiming.bound(protocol);
    Duration took = LAB.watch().awaitSoleHolder(t0, holder, among, VIPS, bound.plusSeconds(10));
    VrrpTiming.report(what, took, bound);
    assertTrue(
        took.compareTo(bound) <= 0,
        what + " took " + took.toMillis() + " ms, bound " + bound.toMillis() + " ms");
  }

  private LabDaemon start(Node node, Path config, Path dir, int run) {
    LabDaemon a =
        LabDaemon.agent(
            LAB.lab(), node, config, dir.resolve("agent-" + node.name() + "-" + run + ".log"));
    agents.add(a);
    return a;
  }
}
