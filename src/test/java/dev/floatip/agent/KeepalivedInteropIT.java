package dev.floatip.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floatip.testing.FloatipYaml;
import dev.floatip.testing.ItLogs;
import dev.floatip.testing.KeepalivedConf;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * floatip and Debian's keepalived in one VRRP group, each side configured the way its users would
 * (keepalived.conf written here, nothing in floatip knows it talks to keepalived). keepalived runs
 * on r1, a floatip agent on r2, for each combination of {@link Case}:
 *
 * <ol>
 *   <li>keepalived (150) master, floatip (100) backup: floatip stays backup past its
 *       Master_Down_Interval, so it accepts keepalived's adverts (checksum, auth, TTL, source);
 *   <li>keepalived's link goes down: floatip takes over in Master_Down_Interval + slack;
 *   <li>the link returns: keepalived preempts floatip back;
 *   <li>floatip is reloaded with priority 200 and preempts keepalived: now floatip is master and
 *       keepalived stays backup, so keepalived accepts floatip's adverts;
 *   <li>floatip's link goes down: keepalived takes over; the link returns: floatip preempts back;
 *   <li>floatip stops (SIGTERM, priority 0): keepalived takes over after only Skew_Time + slack.
 * </ol>
 *
 * After each step the client's neighbour entry must follow (GARP / NA from either side) and the VIP
 * must settle on exactly one router.
 */
class KeepalivedInteropIT {

  /** The combinations: VRRPv2 needs whole seconds; v3 runs at 100 ms. */
  enum Case {
    V2_PASS_MULTICAST(2, Duration.ofSeconds(1), false, false, "s3cret"),
    V3_UNICAST_IPV4(3, Duration.ofMillis(100), true, false, null),
    V3_MULTICAST_IPV6(3, Duration.ofMillis(100), false, true, null);

    final int version;
    final Duration interval;
    final boolean unicast;
    final boolean ipv6;
    final String password;

    Case(int version, Duration interval, boolean unicast, boolean ipv6, String password) {
      this.version = version;
      this.interval = interval;
      this.unicast = unicast;
      this.ipv6 = ipv6;
      this.password = password;
    }
  }

  private static final int KEEPALIVED = 150;
  private static final int FLOATIP = 100;
  private static final int FLOATIP_RAISED = 200;
  private static final Duration START = Duration.ofSeconds(60);

  @RegisterExtension static final SharedLab LAB = SharedLab.agentsAndKeepalived("kai", 2);

  private final List<LabDaemon> daemons = new ArrayList<>();

  @AfterEach
  void reset() {
    LabDaemon.stopAll(daemons);
    LAB.lab().routers().forEach(LAB.lab()::reconnect);
    LAB.watch()
        .removeEverywhere(
            LAB.lab().routers(), List.of(VipWatch.ip("192.0.2.200"), VipWatch.ip("2001:db8::200")));
    LAB.lab().exec(LAB.lab().client(), "ip", "neigh", "flush", "dev", "eth0");
  }

  @ParameterizedTest
  @EnumSource(Case.class)
  void failoverBothWays(Case c, TestInfo test) {
    Path dir = ItLogs.dir(test);
    Node r1 = LAB.lab().router(1);
    Node r2 = LAB.lab().router(2);
    Node client = LAB.lab().client();
    List<Node> all = LAB.lab().routers();
    String vip = c.ipv6 ? "2001:db8::200/64" : "192.0.2.200/24";
    List<InetAddress> vips = List.of(VipWatch.address(vip));
    String name = c.name().toLowerCase();
    Duration settle = c.interval.multipliedBy(3);

    KeepalivedConf kconf =
        KeepalivedConf.instance("r1", 51, KEEPALIVED)
            .version(c.version, c.version == 2 ? "1" : "0.1")
            .vips(vip);
    FloatipYaml fconf =
        FloatipYaml.vip("interop", 51)
            .addresses(vip)
            .version(c.version)
            .interval(c.version == 2 ? "1s" : "100ms")
            .priority(r2.name(), FLOATIP);
    if (c.unicast) {
      String a1 = VipWatch.literal(r1.ipv4());
      String a2 = VipWatch.literal(r2.ipv4());
      kconf = kconf.unicast(a1, a2);
      fconf = fconf.unicast(a1, a2);
    }
    if (c.password != null) {
      kconf = kconf.password(c.password);
      fconf = fconf.password(c.password);
    }
    Path kfile = kconf.write(dir.resolve("keepalived-r1.conf"));
    Path ffile = fconf.write(dir.resolve("vip.yaml"));

    // 1. keepalived master, floatip backup
    LabDaemon keepalived = LabDaemon.keepalived(LAB.lab(), r1, kfile, dir);
    daemons.add(keepalived);
    LAB.watch().awaitSoleHolder(r1, all, vips, START);
    LabDaemon agent = LabDaemon.agent(LAB.lab(), r2, ffile, dir.resolve("agent-r2.log"));
    daemons.add(agent);
    agent.awaitLine(START, "interop/", "-> BACKUP");
    LAB.watch()
        .assertSettled(
            r1,
            all,
            vips,
            VrrpTiming.masterDown(c.version, c.interval, FLOATIP).plus(c.interval.multipliedBy(2)));
    LAB.watch().ping(client, vips);
    LAB.watch().awaitNeighbour(client, vips, r1.mac(), Duration.ofSeconds(2));

    // 2. keepalived's link down -> floatip
    long t0 = System.nanoTime();
    LAB.lab().disconnect(r1);
    timed(
        name + ": keepalived link down -> floatip",
        t0,
        r2,
        all,
        vips,
        VrrpTiming.masterDown(c.version, c.interval, FLOATIP));
    LAB.watch().awaitNeighbour(client, vips, r2.mac(), Duration.ofSeconds(1));
    LAB.watch().assertSettled(r2, all, vips, settle);

    // 3. keepalived's link up -> keepalived preempts floatip
    t0 = System.nanoTime();
    LAB.lab().reconnect(r1);
    timed(
        name + ": keepalived link up, preempts floatip",
        t0,
        r1,
        all,
        vips,
        VrrpTiming.masterDown(c.version, c.interval, KEEPALIVED));
    LAB.watch().awaitNeighbour(client, vips, r1.mac(), Duration.ofSeconds(1));
    LAB.watch().assertSettled(r1, all, vips, settle);

    // 4. floatip raised to 200 (reload) preempts keepalived; keepalived stays backup
    int mark = agent.lines().size();
    fconf.priority(r2.name(), FLOATIP_RAISED).write(ffile);
    agent.sighup();
    agent.awaitLine(Duration.ofSeconds(10), mark, "reloading");
    LAB.watch()
        .awaitSoleHolder(
            r2,
            all,
            vips,
            VrrpTiming.bound(VrrpTiming.masterDown(c.version, c.interval, 200)).plusSeconds(2));
    LAB.watch().awaitNeighbour(client, vips, r2.mac(), Duration.ofSeconds(1));
    LAB.watch()
        .assertSettled(
            r2,
            all,
            vips,
            VrrpTiming.masterDown(c.version, c.interval, KEEPALIVED)
                .plus(c.interval.multipliedBy(2)));

    // 5. floatip's link down -> keepalived; back up -> floatip preempts
    t0 = System.nanoTime();
    LAB.lab().disconnect(r2);
    timed(
        name + ": floatip link down -> keepalived",
        t0,
        r1,
        all,
        vips,
        VrrpTiming.masterDown(c.version, c.interval, KEEPALIVED));
    LAB.watch().awaitNeighbour(client, vips, r1.mac(), Duration.ofSeconds(1));
    LAB.watch().assertSettled(r1, all, vips, settle);
    t0 = System.nanoTime();
    LAB.lab().reconnect(r2);
    timed(
        name + ": floatip link up, preempts keepalived",
        t0,
        r2,
        all,
        vips,
        VrrpTiming.masterDown(c.version, c.interval, FLOATIP_RAISED));
    LAB.watch().awaitNeighbour(client, vips, r2.mac(), Duration.ofSeconds(1));
    LAB.watch().assertSettled(r2, all, vips, settle);

    // 6. floatip SIGTERM -> priority 0 -> keepalived after Skew_Time
    t0 = System.nanoTime();
    agent.sigterm();
    timed(
        name + ": floatip SIGTERM -> keepalived",
        t0,
        r1,
        all,
        vips,
        VrrpTiming.skew(c.version, c.interval, KEEPALIVED));
    assertEquals(0, agent.awaitExit(Duration.ofSeconds(1)), "exit code");
    LAB.watch().awaitNeighbour(client, vips, r1.mac(), Duration.ofSeconds(1));
    LAB.watch().assertSettled(r1, all, vips, settle);
    assertTrue(keepalived.alive(), keepalived.logTail());
  }

  private static void timed(
      String what,
      long t0,
      Node holder,
      List<Node> among,
      List<InetAddress> vips,
      Duration protocol) {
    Duration bound = VrrpTiming.bound(protocol);
    Duration took = LAB.watch().awaitSoleHolder(t0, holder, among, vips, bound.plusSeconds(10));
    VrrpTiming.report(what, took, bound);
    assertTrue(
        took.compareTo(bound) <= 0,
        what + " took " + took.toMillis() + " ms, bound " + bound.toMillis() + " ms");
  }
}
