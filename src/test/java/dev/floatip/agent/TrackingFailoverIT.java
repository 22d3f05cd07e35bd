package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.testing.AdvertCapture;
import dev.floatip.testing.FloatipYaml;
import dev.floatip.testing.ItLogs;
import dev.floatip.testing.LabDaemon;
import dev.floatip.testing.NetnsLab.Node;
import dev.floatip.testing.Procs;
import dev.floatip.testing.SharedLab;
import dev.floatip.testing.VipWatch;
import dev.floatip.testing.VrrpTiming;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Health checks move the VIP between real agents: two router namespaces on one bridge, one
 * VirtualIP (IPv4 + IPv6), VRRPv3 every 100 ms, r1 150 &gt; r2 100. Only r1 has checks (its own
 * config file: files, scripts and {@code /proc} are shared by the namespaces, so a check in r2's
 * config would see the same world and fail together with r1's). One test per kind: a failing
 * script, a stopped process, a file value with a negative weight, a downed tracked interface, and a
 * hung script that is killed with its process group without delaying adverts or the other checks.
 *
 * <p>Bounds: from the test's action to the first poll that sees the new holder alone. A weight-0
 * check that fails makes r1 resign (priority 0), so r2 waits only Skew_Time; a check polled every
 * second (scripts, processes, files) adds up to one period; an interface check is event-driven. A
 * preemption back waits r1's Master_Down_Interval. {@link VrrpTiming#SLACK} covers the rest (script
 * start-up included); lines starting {@code TIMING} report the measured times.
 */
class TrackingFailoverIT {

  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final int P1 = 150;
  private static final int P2 = 100;
  private static final String VIP4 = "192.0.2.210/24";
  private static final String VIP6 = "2001:db8::210/64";
  private static final List<InetAddress> VIPS =
      List.of(VipWatch.address(VIP4), VipWatch.address(VIP6));

  /** Scripts, processes and files are looked at once a second. */
  private static final Duration POLLED = Duration.ofSeconds(1);

  private static final Duration SETTLE = INTERVAL.multipliedBy(3);

  /**
   * The longest time allowed between two adverts while scripts hang: below the hung script's
   * timeout (300 ms, what a loop blocked by it would show) and r2's Master_Down_Interval, with room
   * for a busy CPU on top of the 100 ms interval.
   */
  private static final Duration ADVERT_GAP = INTERVAL.multipliedBy(5).dividedBy(2);

  /** A JVM start on a busy 2-CPU machine, then an election: not a timing claim. */
  private static final Duration START = Duration.ofSeconds(60);

  @RegisterExtension static final SharedLab LAB = SharedLab.agents("trk", 2);

  private final List<LabDaemon> agents = new ArrayList<>();
  private final List<String> extraLinks = new ArrayList<>();
  private Path scratch;

  /** The LAB.lab() is shared by the tests: leave it as found. */
  @AfterEach
  void reset() {
    LabDaemon.stopAll(agents);
    extraLinks.forEach(l -> LAB.lab().run(r1(), "ip", "link", "del", l));
    extraLinks.clear();
    LAB.watch().removeEverywhere(LAB.lab().routers(), VIPS);
    Procs.delete(scratch);
  }

  /** (a) A weight-0 script fails: r1 goes FAULT (status says why), r2 takes over; back on rise. */
  @Test
  void failingScriptMovesTheVip(TestInfo test) throws IOException {
    Path dir = ItLogs.dir(test);
    scratch = Procs.scratchDir("fiptrk");
    Path flag = Files.createFile(scratch.resolve("r1-ok"));
    LabDaemon a1 =
        startPair(
            dir,
            """
            scripts:
            - name: flag
              command: [test, -f, %s]
              interval: 1s
            """
                .formatted(flag));

    long t0 = System.nanoTime();
    Files.delete(flag);
    timed(
        "script check fails (1s, fall 1) -> r2",
        t0,
        r2(),
        POLLED.plus(VrrpTiming.skew(3, INTERVAL, P2)));
    StatusView v4 = awaitStatus(a1, "ipv4", s -> s.state().equals("FAULT"));
    assertThat(v4.faults()).contains(VipServices.TRACKING);
    assertThat(v4.checks())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.kind()).isEqualTo("script");
              assertThat(c.name()).isEqualTo("flag");
              assertThat(c.healthy()).isFalse();
              assertThat(c.effect()).isEqualTo("FAULT");
              assertThat(c.message()).startsWith("exit 1");
            });
    assertThat(a1.status("web", "ipv6").state()).isEqualTo("FAULT");
    // what an operator sees: floatip status, run where the agent runs
    String printed =
        LAB.lab()
            .exec(r1(), LabDaemon.floatipCommand("status").toArray(String[]::new))
            .replaceAll(" +", " ");
    assertThat(printed).contains(" FAULT ").contains("check script flag: failing, FAULT (exit 1");
    LAB.watch().assertSettled(r2(), LAB.lab().routers(), VIPS, SETTLE);

    t0 = System.nanoTime();
    Files.createFile(flag);
    timed(
        "script check healthy again -> r1 preempts",
        t0,
        r1(),
        POLLED.plus(VrrpTiming.masterDown(3, INTERVAL, P1)));
    LAB.watch().assertSettled(r1(), LAB.lab().routers(), VIPS, SETTLE);
  }

  /** (b) The tracked process (exact comm name) is killed: r1 FAULT, r2 master; restarted: back. */
  @Test
  void stoppedProcessMovesTheVip(TestInfo test) throws IOException {
    Path dir = ItLogs.dir(test);
    scratch = Procs.scratchDir("fiptrk");
    // a process of our own with a unique comm name (at most 15 characters)
    String comm = "fipchk-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(), 6);
    Path program =
        Files.copy(
            Path.of("/bin/sleep"), scratch.resolve(comm), StandardCopyOption.COPY_ATTRIBUTES);
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    Process tracked =
        LAB.lab().start(r1().namespace(), dir.resolve(comm + ".log"), program.toString(), "600");
    Awaitility.await("comm " + comm)
        .atMost(Duration.ofSeconds(10))
        .until(() -> Procs.all().stream().anyMatch(p -> p.comm().equals(comm)));
    LabDaemon a1 =
        startPair(
            dir,
            """
            processes:
            - name: %s
            """
                .formatted(comm));
    assertThat(a1.status("web", "ipv4").checks().getFirst().message()).contains("1 running");

    long t0 = System.nanoTime();
    tracked.destroy(); // SIGTERM by PID: only the process we started
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !tracked.isAlive());
    timed("tracked process stopped -> r2", t0, r2(), POLLED.plus(VrrpTiming.skew(3, INTERVAL, P2)));
    StatusView v4 = awaitStatus(a1, "ipv4", s -> s.state().equals("FAULT"));
    assertThat(v4.checks().getFirst().healthy()).isFalse();
    assertThat(v4.checks().getFirst().effect()).isEqualTo("FAULT");
    LAB.watch().assertSettled(r2(), LAB.lab().routers(), VIPS, SETTLE);

    t0 = System.nanoTime();
    LAB.lab().start(r1().namespace(), dir.resolve(comm + ".log"), program.toString(), "600");
    timed(
        "tracked process running again -> r1 preempts",
        t0,
        r1(),
        POLLED.plus(VrrpTiming.masterDown(3, INTERVAL, P1)));
    LAB.watch().assertSettled(r1(), LAB.lab().routers(), VIPS, SETTLE);
  }

  /**
   * (c) A file with weight −30: value 2 takes r1 to 150 − 60 = 90 &lt; 100, so r2 preempts it (no
   * FAULT); value 9 (−270 &lt; −253) is FAULT; value 0 gives r1 its 150 back and it preempts.
   */
  @Test
  void fileValueTimesNegativeWeightMovesTheVipByPriority(TestInfo test) {
    Path dir = ItLogs.dir(test);
    scratch = Procs.scratchDir("fiptrk");
    Path value = FloatipYaml.writeText(scratch.resolve("weight"), "0\n");
    LabDaemon a1 =
        startPair(
            dir,
            """
            files:
            - path: %s
              weight: -30
            """
                .formatted(value));

    long t0 = System.nanoTime();
    FloatipYaml.writeText(value, "2\n");
    timed(
        "file value 2 x weight -30 -> r2 preempts r1 at 90",
        t0,
        r2(),
        POLLED.plus(VrrpTiming.masterDown(3, INTERVAL, P2)));
    StatusView v4 = awaitStatus(a1, "ipv4", s -> s.state().equals("BACKUP"));
    assertThat(v4.priority()).isEqualTo(90);
    assertThat(v4.basePriority()).isEqualTo(P1);
    assertThat(v4.faults()).isEmpty();
    assertThat(v4.checks().getFirst().effect()).isEqualTo("-60");
    LAB.watch().assertSettled(r2(), LAB.lab().routers(), VIPS, SETTLE);

    FloatipYaml.writeText(value, "9\n");
    v4 = awaitStatus(a1, "ipv4", s -> s.state().equals("FAULT"));
    assertThat(v4.checks().getFirst().effect()).isEqualTo("FAULT");
    LAB.watch().assertSettled(r2(), LAB.lab().routers(), VIPS, SETTLE);

    t0 = System.nanoTime();
    FloatipYaml.writeText(value, "0\n");
    timed(
        "file value 0 -> r1 back at 150, preempts",
        t0,
        r1(),
        POLLED.plus(VrrpTiming.masterDown(3, INTERVAL, P1)));
    assertThat(awaitStatus(a1, "ipv4", s -> s.state().equals("MASTER")).priority()).isEqualTo(P1);
    LAB.watch().assertSettled(r1(), LAB.lab().routers(), VIPS, SETTLE);
  }

  /**
   * (d) A tracked extra interface of r1 (one end of a veth pair inside r1, no traffic): set down,
   * then its carrier lost (the peer end down); each time r2 takes over within Skew_Time, and r1
   * preempts back when the link returns.
   */
  @Test
  void downedTrackedInterfaceMovesTheVip(TestInfo test) {
    Path dir = ItLogs.dir(test);
    LAB.lab().addVethPair(r1(), "trk0", "trk1");
    extraLinks.add("trk0");
    LabDaemon a1 =
        startPair(
            dir,
            """
            interfaces:
            - name: trk0
            """);

    for (String downed : List.of("trk0", "trk1")) {
      String what =
          downed.equals("trk0") ? "tracked interface set down" : "tracked link no carrier";
      long t0 = System.nanoTime();
      LAB.lab().link(r1(), downed, false);
      timed(what + " -> r2", t0, r2(), VrrpTiming.skew(3, INTERVAL, P2));
      StatusView v4 = awaitStatus(a1, "ipv4", s -> s.state().equals("FAULT"));
      assertThat(v4.checks().getFirst().name()).isEqualTo("trk0");
      assertThat(v4.checks().getFirst().healthy()).isFalse();
      LAB.watch().assertSettled(r2(), LAB.lab().routers(), VIPS, SETTLE);

      t0 = System.nanoTime();
      LAB.lab().link(r1(), downed, true);
      timed(what + ", back up -> r1 preempts", t0, r1(), VrrpTiming.masterDown(3, INTERVAL, P1));
      LAB.watch().assertSettled(r1(), LAB.lab().routers(), VIPS, SETTLE);
    }
  }

  /**
   * (e) A script that hangs ({@code sleep 60}, timeout 300 ms, weight −20) is killed with its whole
   * process group at its timeout, every run; it runs as {@code nobody}. Meanwhile r1's adverts keep
   * their interval (captured on r2, which stays backup) and another script check of the same VIP
   * still moves the VIP in its normal time.
   */
  @Test
  void hungScriptIsKilledWithoutDelayingAnything(TestInfo test) throws IOException {
    Path dir = ItLogs.dir(test);
    scratch = Procs.scratchDir("fiptrk");
    Path flag = Files.createFile(scratch.resolve("r1-ok"));
    Path hang = scratch.resolve("hang");
    Path leaderPid = scratch.resolve("hang.pid");
    Path sleepPid = scratch.resolve("sleep.pid");
    String script =
        "echo $$ > %s; if [ -e %s ]; then sleep 60 & echo $! > %s; wait; fi"
            .formatted(leaderPid, hang, sleepPid);
    LabDaemon a1 =
        startPair(
            dir,
            """
            scripts:
            - name: flag
              command: [test, -f, %s]
              interval: 1s
            - name: hang
              command: [sh, -c, '%s']
              interval: 1s
              timeout: 300ms
              weight: -20
            """
                .formatted(flag, script));
    // default user when the agent is root: nobody
    assertThat(Files.getOwner(leaderPid).getName()).isEqualTo("nobody");

    try (AdvertCapture adverts =
        AdvertCapture.start(
            LAB.lab(), r2(), VipWatch.literal(r1().ipv4()), dir.resolve("adverts-at-r2.log"))) {
      Instant hangFrom = Instant.now();
      Files.createFile(hang);
      Set<Long> groups = new LinkedHashSet<>();
      // three hung runs in a row, each killed with its process group at its timeout
      for (int run = 1; run <= 3; run++) {
        long pgid = awaitHungRun(leaderPid, sleepPid, groups);
        long seen = System.nanoTime();
        long sleeper = Procs.readLong(sleepPid).orElseThrow();
        Awaitility.await("process group " + pgid + " killed")
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(10))
            .until(() -> Procs.group(pgid).isEmpty() && !Procs.alive(sleeper));
        Duration gone = Duration.ofNanos(System.nanoTime() - seen);
        VrrpTiming.report(
            "hung script run " + run + ": seen running -> group gone",
            gone,
            VrrpTiming.bound(Duration.ofMillis(300)));
        assertThat(gone).isLessThanOrEqualTo(VrrpTiming.bound(Duration.ofMillis(300)));
      }
      StatusView v4 =
          awaitStatus(a1, "ipv4", s -> s.priority() == P1 - 20 && s.state().equals("MASTER"));
      assertThat(v4.checks())
          .filteredOn(c -> c.name().equals("hang"))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.healthy()).isFalse();
                assertThat(c.effect()).isEqualTo("-20");
                assertThat(c.message()).contains("timed out after 300ms");
              });
      // r2 stays backup all along: r1's adverts never stopped long enough
      LAB.watch().assertSettled(r1(), LAB.lab().routers(), VIPS, Duration.ofSeconds(1));
      Instant hangTo = Instant.now();
      Duration longest = adverts.longestGap(hangFrom, hangTo);
      long count = adverts.count(hangFrom, hangTo);
      long expected = Duration.between(hangFrom, hangTo).dividedBy(INTERVAL);
      VrrpTiming.report(
          "adverts while scripts hang: longest gap (" + count + "/" + expected + " adverts)",
          longest,
          ADVERT_GAP);
      assertThat(longest).isLessThanOrEqualTo(ADVERT_GAP);
      assertThat(count).isGreaterThanOrEqualTo(expected * 9 / 10);

      // the other check of the VIP is not held up by the hanging one
      long t0 = System.nanoTime();
      Files.delete(flag);
      timed(
          "script check fails while another hangs -> r2",
          t0,
          r2(),
          POLLED.plus(VrrpTiming.skew(3, INTERVAL, P2)));
      Files.delete(hang);
      Files.createFile(flag);
      LAB.watch().awaitSoleHolder(r1(), LAB.lab().routers(), VIPS, Duration.ofSeconds(10));
      assertThat(groups).allSatisfy(g -> assertThat(Procs.group(g)).isEmpty());
    }
  }

  /**
   * A check that fails from the start keeps a joining higher-priority node out: r2 holds the VIP,
   * r1 (150) starts with its weight-0 script failing. The check's first run (tick 0) must put r1 in
   * FAULT before its Master_Down_Interval (341 ms) would let it preempt r2: r1 never becomes
   * master, the VIP never moves.
   */
  @Test
  void checkFailingAtStartKeepsTheVipWhereItIs(TestInfo test) {
    Path dir = ItLogs.dir(test);
    scratch = Procs.scratchDir("fiptrk");
    Path flag = scratch.resolve("r1-ok"); // absent
    FloatipYaml base = base();
    Path c1 =
        base.track(
                """
                scripts:
                - name: flag
                  command: [test, -f, %s]
                  interval: 1s
                """
                    .formatted(flag))
            .write(dir.resolve("vip-r1.yaml"));
    Path c2 = base.write(dir.resolve("vip-r2.yaml"));
    LabDaemon a2 = LabDaemon.agent(LAB.lab(), r2(), c2, dir.resolve("agent-r2.log"));
    agents.add(a2);
    LAB.watch().awaitSoleHolder(r2(), LAB.lab().routers(), VIPS, START);
    LAB.watch().assertSettled(r2(), LAB.lab().routers(), VIPS, SETTLE);

    LabDaemon a1 = LabDaemon.agent(LAB.lab(), r1(), c1, dir.resolve("agent-r1.log"));
    agents.add(a1);
    long deadline = System.nanoTime() + START.toNanos();
    while (a1.stateChanges(0).stream().noneMatch(c -> c.to().equals("FAULT"))) {
      assertThat(LAB.watch().holders(LAB.lab().routers(), VIPS))
          .as("holders while r1 starts")
          .allSatisfy((vip, holders) -> assertThat(holders).containsExactly(r2().name()));
      assertThat(System.nanoTime()).as("r1 in FAULT within " + START).isLessThan(deadline);
    }
    LAB.watch().assertSettled(r2(), LAB.lab().routers(), VIPS, INTERVAL.multipliedBy(5));
    assertThat(a1.stateChanges(0)).noneMatch(c -> c.to().equals("MASTER"));
    assertThat(a2.stateChanges(0)).noneMatch(c -> c.from().equals("MASTER"));
    assertThat(
            awaitStatus(a1, "ipv4", s -> s.state().equals("FAULT")).checks().getFirst().healthy())
        .isFalse();
  }

  /**
   * A reload that edits the checks of a VIP whose check is failing: r1 stays in FAULT throughout
   * (no FAULT → BACKUP → FAULT blip while the new checks have not run yet), the VIP stays on r2;
   * once the check passes, r1 preempts.
   */
  @Test
  void reloadWithEditedChecksKeepsAFailingNodeInFault(TestInfo test) throws IOException {
    Path dir = ItLogs.dir(test);
    scratch = Procs.scratchDir("fiptrk");
    Path flag = Files.createFile(scratch.resolve("r1-ok"));
    String track =
        """
        scripts:
        - name: flag
          command: [test, -f, %s]
          interval: %s
        """;
    LabDaemon a1 = startPair(dir, track.formatted(flag, "1s"));
    Files.delete(flag);
    LAB.watch().awaitSoleHolder(r2(), LAB.lab().routers(), VIPS, Duration.ofSeconds(5));
    awaitStatus(a1, "ipv4", s -> s.state().equals("FAULT"));

    int mark = a1.lines().size();
    base().track(track.formatted(flag, "900ms")).write(dir.resolve("vip-r1.yaml"));
    a1.sighup();
    a1.awaitLine(Duration.ofSeconds(10), mark, "reloading");
    LAB.watch().assertSettled(r2(), LAB.lab().routers(), VIPS, Duration.ofSeconds(2));
    assertThat(a1.stateChanges(mark)).as("r1's state changes after the reload").isEmpty();
    assertThat(
            awaitStatus(a1, "ipv4", s -> s.state().equals("FAULT")).checks().getFirst().healthy())
        .isFalse();

    long t0 = System.nanoTime();
    Files.createFile(flag);
    timed(
        "edited script check healthy -> r1 preempts",
        t0,
        r1(),
        POLLED.plus(VrrpTiming.masterDown(3, INTERVAL, P1)));
  }

  /**
   * A reload that adds an address family to a VIP whose check is failing: the new IPv6 router on r1
   * starts in FAULT like its IPv4 sibling (the checks are the VIP's), so r2 gets the new address
   * too.
   */
  @Test
  void reloadAddingAFamilyToAFailingVipStartsItInFault(TestInfo test) throws IOException {
    Path dir = ItLogs.dir(test);
    scratch = Procs.scratchDir("fiptrk");
    Path flag = scratch.resolve("r1-ok"); // absent: r1 is in FAULT from the start
    String track =
        """
        scripts:
        - name: flag
          command: [test, -f, %s]
          interval: 1s
        """
            .formatted(flag);
    List<InetAddress> v4 = List.of(VIPS.getFirst());
    FloatipYaml v4Only = base().addresses(VIP4);
    Path c1 = v4Only.track(track).write(dir.resolve("vip-r1.yaml"));
    Path c2 = v4Only.write(dir.resolve("vip-r2.yaml"));
    LabDaemon a1 = LabDaemon.agent(LAB.lab(), r1(), c1, dir.resolve("agent-r1.log"));
    agents.add(a1);
    LabDaemon a2 = LabDaemon.agent(LAB.lab(), r2(), c2, dir.resolve("agent-r2.log"));
    agents.add(a2);
    LAB.watch().awaitSoleHolder(r2(), LAB.lab().routers(), v4, START);
    awaitStatus(a1, "ipv4", s -> s.state().equals("FAULT"));

    int mark1 = a1.lines().size();
    int mark2 = a2.lines().size();
    base().track(track).write(c1);
    base().write(c2);
    a1.sighup();
    a2.sighup();
    a1.awaitLine(Duration.ofSeconds(10), mark1, "web/v6", "VRID 81");
    a2.awaitLine(Duration.ofSeconds(10), mark2, "web/v6", "VRID 81");
    LAB.watch().awaitSoleHolder(r2(), LAB.lab().routers(), VIPS, Duration.ofSeconds(10));
    LAB.watch().assertSettled(r2(), LAB.lab().routers(), VIPS, Duration.ofSeconds(1));
    assertThat(awaitStatus(a1, "ipv6", s -> s.state().equals("FAULT")).faults())
        .contains(VipServices.TRACKING);
    assertThat(a1.stateChanges(mark1)).noneMatch(c -> c.to().equals("MASTER"));
  }

  /** Waits for a run of the hanging script not seen before to be in its sleep; its group ID. */
  private static long awaitHungRun(Path leaderPid, Path sleepPid, Set<Long> seen) {
    return Awaitility.await("a new hung run")
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              OptionalLong leader = Procs.readLong(leaderPid);
              OptionalLong sleeper = Procs.readLong(sleepPid);
              if (leader.isEmpty()
                  || sleeper.isEmpty()
                  || seen.contains(leader.getAsLong())
                  || !Procs.alive(sleeper.getAsLong())
                  || Procs.group(leader.getAsLong()).stream()
                      .noneMatch(p -> p.pid() == sleeper.getAsLong())) {
                return 0L;
              }
              seen.add(leader.getAsLong());
              return leader.getAsLong();
            },
            pgid -> pgid != 0L);
  }

  // ---- helpers

  private static Node r1() {
    return LAB.lab().router(1);
  }

  private static Node r2() {
    return LAB.lab().router(2);
  }

  /**
   * Starts r1 with {@code track} (a {@code spec.track} block) and r2 without checks; waits until r1
   * holds the VIPs with every check healthy and r2 is backup.
   */
  private LabDaemon startPair(Path dir, String track) {
    FloatipYaml base = base();
    Path c1 = base.track(track).write(dir.resolve("vip-r1.yaml"));
    Path c2 = base.write(dir.resolve("vip-r2.yaml"));
    LabDaemon a1 = LabDaemon.agent(LAB.lab(), r1(), c1, dir.resolve("agent-r1.log"));
    agents.add(a1);
    LabDaemon a2 = LabDaemon.agent(LAB.lab(), r2(), c2, dir.resolve("agent-r2.log"));
    agents.add(a2);
    LAB.watch().awaitSoleHolder(r1(), LAB.lab().routers(), VIPS, START);
    a2.awaitLine(START, "web/v4", "-> BACKUP");
    awaitStatus(
        a1,
        "ipv4",
        s ->
            s.state().equals("MASTER")
                && !s.checks().isEmpty()
                && s.checks().stream().allMatch(c -> Boolean.TRUE.equals(c.healthy())));
    LAB.watch().assertSettled(r1(), LAB.lab().routers(), VIPS, SETTLE);
    return a1;
  }

  /** The VirtualIP both nodes run, without checks. */
  private static FloatipYaml base() {
    return FloatipYaml.vip("web", 81)
        .multicast()
        .addresses(VIP4, VIP6)
        .interval("100ms")
        .priority(r1().name(), P1)
        .priority(r2().name(), P2);
  }

  /** Polls the agent's /status until the router of {@code family} matches. */
  private static StatusView awaitStatus(LabDaemon agent, String family, Predicate<StatusView> p) {
    return Awaitility.await(agent + " web/" + family + " status")
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> agent.status("web", family), p);
  }

  /** Awaits {@code holder} alone and asserts the time from t0 within protocol + slack. */
  private static void timed(String what, long t0, Node holder, Duration protocol) {
    Duration bound = VrrpTiming.bound(protocol);
    Duration took =
        LAB.watch().awaitSoleHolder(t0, holder, LAB.lab().routers(), VIPS, bound.plusSeconds(10));
    VrrpTiming.report(what, took, bound);
    assertThat(took).as(what).isLessThanOrEqualTo(bound);
  }
}
