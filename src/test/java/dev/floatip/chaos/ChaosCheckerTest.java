package dev.floatip.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker of hack/chaos.sh on hand-made traces (no root): each invariant is reported when
 * broken and only then, the bounds derive from the RFC 5798 timers, the schedule depends on the
 * seed alone, and the dry run prints it without starting anything.
 */
class ChaosCheckerTest {

  private static final String A = "192.0.2.200";
  private static final String B = "198.51.100.200";
  private static final double T = 1_800_000_000.0; // the traces' epoch origin

  @TempDir Path dir;

  @BeforeAll
  static void python() {
    Assumptions.assumeTrue(ChaosChecker.hasPython(), "skipped: no python3");
  }

  /** A run: script events (events.tsv) and address changes per node (mon-nX.log). */
  private final class Trace {
    private final List<String> events = new ArrayList<>();
    private final Map<String, List<String>> monitors = new HashMap<>();
    private final Map<String, List<String>> logs = new HashMap<>();
    private String[] checkArgs = {};
    private static final DateTimeFormatter ISO =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS", Locale.ROOT);

    Trace ev(double t, String kind, String node, String phase) {
      events.add(String.format(Locale.ROOT, "%.6f\t%s\t%s\t%s\t", T + t, kind, node, phase));
      return this;
    }

    /** A line of the node's agent log, stamped as the agent stamps it (local time of day). */
    Trace log(double t, String node, String text) {
      logs.computeIfAbsent(node, n -> new ArrayList<>())
          .add(
              DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).format(local(t))
                  + " "
                  + text);
      return this;
    }

    Trace checkedWith(String... args) {
      checkArgs = args;
      return this;
    }

    private LocalDateTime local(double t) {
      long micros = Math.round((T + t) * 1e6);
      Instant at = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
      return LocalDateTime.ofInstant(at, ZoneId.systemDefault());
    }

    Trace add(double t, String node, String address) {
      return addr(t, node, address, "");
    }

    Trace del(double t, String node, String address) {
      return addr(t, node, address, "Deleted ");
    }

    private Trace addr(double t, String node, String address, String deleted) {
      String stamp = ISO.format(local(t));
      monitors
          .computeIfAbsent(node, n -> new ArrayList<>())
          .add(
              "["
                  + stamp
                  + "] "
                  + deleted
                  + "2: eth0    inet "
                  + address
                  + "/24 scope global secondary eth0\\       valid_lft forever preferred_lft"
                  + " forever");
      return this;
    }

    /** Three ready agents, n1 master of A and n3 of B from before the checks begin at t = 0. */
    Trace started() {
      return ev(-3, "ready", "n1", "on")
          .ev(-3, "ready", "n2", "on")
          .ev(-3, "ready", "n3", "on")
          .add(-2, "n1", A)
          .add(-2, "n3", B)
          .ev(0, "begin", "-", "on");
    }

    /** The last fault ended at 20 s and the checks end at 25 s. */
    ChaosChecker.Result finish() throws IOException {
      ev(20, "quiet", "-", "on").ev(25, "end", "-", "on");
      Files.write(dir.resolve("events.tsv"), events);
      for (String n : List.of("n1", "n2", "n3")) {
        Files.write(dir.resolve("mon-" + n + ".log"), monitors.getOrDefault(n, List.of()));
        Files.write(dir.resolve(n + ".log"), logs.getOrDefault(n, List.of()));
      }
      return ChaosChecker.check(dir, checkArgs);
    }
  }

  /** kill -9 of n1 (master of A): n2 takes over, the restarted n1 removes its orphan, preempts. */
  private Trace killAndRestart(boolean removesOrphan) {
    Trace t =
        new Trace()
            .started()
            .ev(1, "kill", "n1", "on")
            .add(1.35, "n2", A) // Master_Down_Interval of n2 (priority 100): 361 ms
            .ev(2, "kill", "n1", "off")
            .ev(5, "ready", "n1", "on");
    if (removesOrphan) {
      t.del(4.9, "n1", A).add(5.4, "n1", A);
    }
    return t.del(5.45, "n2", A);
  }

  @Test
  void aCleanRunHasNoViolationAndCountsTheOrphanTheKillLeft() throws IOException {
    ChaosChecker.Result r = killAndRestart(true).finish();
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out())
        .contains("faults by kind: kill 1, term 0, stop 0, flap 0, loss 0, oneway 0; total 1")
        .contains("orphans left by kill -9: 1 address(es); not removed after restart: 0")
        .contains("longest no-holder window outside partitions: 350 ms")
        .contains("longest dual-holder window outside partitions: 50 ms")
        .contains("violations: 0");
  }

  @Test
  void anOrphanTheRestartedAgentKeepsIsAViolation() throws IOException {
    ChaosChecker.Result r = killAndRestart(false).finish();
    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    assertThat(r.out())
        .contains("not removed after restart: 1")
        .containsPattern("orphan after kill \\+ restart +node n1 +address 192\\.0\\.2\\.200");
  }

  @Test
  void twoLiveHoldersLongerThanAnAdvertPlusDeliveryIsAViolationOutsideAPartitionOnly()
      throws IOException {
    // 400 ms > A + D = 350 ms: a violation; the same inside a loss window + settle is not one
    ChaosChecker.Result outside = new Trace().started().add(3, "n2", A).del(3.4, "n2", A).finish();
    assertThat(outside.exit()).as(outside.out()).isEqualTo(1);
    assertThat(outside.out())
        .containsPattern(
            "\\+ +3\\.000 s \\(\\d\\d:\\d\\d:03\\.000\\) +dual holder +node n1\\+n2 +address 192\\.0\\.2\\.200 +400 ms");

    ChaosChecker.Result inside =
        new Trace()
            .started()
            .ev(2.9, "loss", "n2", "on")
            .add(3, "n2", A)
            .ev(3.2, "loss", "n2", "off")
            .del(3.5, "n2", A) // 300 ms after the window, within settle (350 ms)
            .finish();
    assertThat(inside.exit()).as(inside.out()).isZero();

    ChaosChecker.Result after =
        new Trace()
            .started()
            .ev(2.9, "oneway", "n2", "on")
            .add(3, "n2", A)
            .ev(3.2, "oneway", "n2", "off")
            .del(4.0, "n2", A) // settle ends at 3.55: 450 ms of dual in checked time
            .finish();
    assertThat(after.exit()).as(after.out()).isEqualTo(1);
    assertThat(after.out()).contains("dual holder").contains("450 ms");
  }

  @Test
  void theReportTellsAStarvedDataplaneFromTheAgentsLog() throws IOException {
    // n2 steps down in time (its log) but its address goes 900 ms later: a dual-holder violation,
    // and the report's lag line says the state machine decided and the worker acted late
    ChaosChecker.Result r =
        new Trace()
            .started()
            .add(3, "n2", A)
            .log(3.05, "n2", "INFO  [d.f.a.EventLoop] chaos-a/v4: BACKUP -> MASTER (MASTER_DOWN)")
            .log(
                3.1, "n2", "INFO  [d.f.a.EventLoop] chaos-a/v4: MASTER -> BACKUP (HIGHER_PRIORITY)")
            .del(4.0, "n2", A)
            .checkedWith("--names", "chaos-a,chaos-b")
            .finish();
    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "MASTER -> BACKUP to the address's removal: 1 transitions, median 900 ms, max 900 ms")
        .contains("dual holder");
  }

  @Test
  void aStoppedNodeIsNotALiveHolder() throws IOException {
    // n1 frozen 2 s: n2 takes over; both hold A, but only n2 is live; n1 drops A 100 ms after CONT
    ChaosChecker.Result r =
        new Trace()
            .started()
            .ev(1, "stop", "n1", "on")
            .add(1.36, "n2", A)
            .ev(3, "stop", "n1", "off")
            .del(3.1, "n2", A)
            .finish();
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("longest no-holder window outside partitions: 360 ms");
  }

  @Test
  void noLiveHolderLongerThanMasterDownIntervalPlusDeliveryIsAViolation() throws IOException {
    // n1 drops A with no fault and nobody takes it for 800 ms > MDI + D = 630 ms
    ChaosChecker.Result r = new Trace().started().del(2, "n1", A).add(2.8, "n1", A).finish();
    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    assertThat(r.out()).containsPattern("no holder +node - +address 192\\.0\\.2\\.200 +800 ms");
  }

  @Test
  void aSigtermThatLeavesAnAddressAndAnAgentThatDiesAreViolations() throws IOException {
    ChaosChecker.Result r =
        new Trace()
            .started()
            .ev(1, "term", "n3", "on")
            .ev(1.5, "exited", "n3", "on")
            .add(1.3, "n2", B)
            .ev(2, "term", "n3", "off")
            .ev(4, "ready", "n3", "on")
            .del(4, "n3", B)
            .add(4.4, "n3", B)
            .del(4.45, "n2", B)
            .ev(8, "died", "n2", "on")
            .ev(9, "ready", "n2", "on")
            .finish();
    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    assertThat(r.out())
        .containsPattern("address left after SIGTERM +node n3 +address 198\\.51\\.100\\.200")
        .containsPattern("agent died unexpectedly +node n2");
  }

  @Test
  void aRunThatEndsWithTheWrongHolderHasNotConverged() throws IOException {
    ChaosChecker.Result r =
        new Trace()
            .started()
            .ev(1, "flap", "n1", "on")
            .add(1.4, "n2", A)
            .del(1.1, "n1", A)
            .ev(1.5, "flap", "n1", "off")
            .finish();
    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    assertThat(r.out())
        .containsPattern("not converged at the end +node - +address 192\\.0\\.2\\.200");
  }

  @Test
  void theBoundsComeFromTheRfcTimers() {
    ChaosChecker.Result r =
        ChaosChecker.run(
            List.of(
                "python3",
                ChaosChecker.CHECKER.toString(),
                "bounds",
                "--advert",
                "1",
                "--priorities",
                "150,100,50",
                "--delivery",
                "0.25"),
            Map.of(),
            Duration.ofSeconds(30));
    assertThat(r.exit()).as(r.out()).isZero();
    // Master_Down_Interval = 3 A + (256 - 50) A / 256 = 3.805 s for the lowest priority
    assertThat(r.out().lines())
        .contains("MDI=3.805", "DUAL=1.250", "NOHOLDER=4.055", "SETTLE=1.250", "CONVERGE=5.555");
  }

  @Test
  void theScheduleDependsOnTheSeedAloneAndTheDryRunPrintsItWithoutRoot() {
    String a = plan("14", 500);
    assertThat(a).isEqualTo(plan("14", 500)).isNotEqualTo(plan("15", 500));
    assertThat(a.lines()).hasSize(500);
    for (String kind : List.of("kill", "term", "stop", "flap", "loss", "oneway")) {
      assertThat(a).contains("\t" + kind + "\t");
    }
    ChaosChecker.Result dry =
        ChaosChecker.run(
            List.of("bash", ChaosChecker.SCRIPT.toString(), "--dry-run"),
            Map.of("SEED", "14", "FAULTS", "30"),
            Duration.ofSeconds(60));
    assertThat(dry.exit()).as(dry.out()).isZero();
    assertThat(dry.out())
        .contains("nothing is started")
        .containsPattern("fipchaos-[0-9]+-sw")
        .contains("NOHOLDER=0.630");
    for (String row : plan("14", 30).lines().toList()) {
      assertThat(dry.out()).contains("  " + row);
    }
    ChaosChecker.Result bad =
        ChaosChecker.run(
            List.of("bash", ChaosChecker.SCRIPT.toString(), "--dry-run"),
            Map.of("FAULTS", "many"),
            Duration.ofSeconds(60));
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.out()).contains("FAULTS must be a positive integer");
  }

  private static String plan(String seed, int faults) {
    ChaosChecker.Result r =
        ChaosChecker.run(
            List.of(
                "python3",
                ChaosChecker.CHECKER.toString(),
                "plan",
                "--seed",
                seed,
                "--faults",
                String.valueOf(faults)),
            Map.of(),
            Duration.ofSeconds(30));
    assertThat(r.exit()).as(r.out()).isZero();
    return r.out();
  }
}
