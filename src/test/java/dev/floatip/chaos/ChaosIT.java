package dev.floatip.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.testing.ItLogs;
import dev.floatip.testing.NetnsLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Chaos on the real wire, CI-sized (issue 14): hack/chaos.sh runs three real agents in network
 * namespaces under the fixed seed's 30 faults (kill -9 and restart, SIGTERM and restart,
 * SIGSTOP/SIGCONT, switch-port flaps, VRRP loss and one-way partitions with nftables), 100 ms
 * adverts, and fails on any broken invariant: two live holders beyond one advert + the delivery
 * bound, no holder beyond Master_Down_Interval + the bound, an orphan after a restart, no
 * convergence to the highest priority, an agent dying on its own.
 */
class ChaosIT {

  private static final String SEED = "14";
  private static final int FAULTS = 30;

  @Test
  void thirtySeededFaultsBreakNoInvariant(TestInfo test) {
    NetnsLab.assumeAvailable();
    Path out = ItLogs.dir(test);
    ChaosChecker.Result r =
        ChaosChecker.run(
            List.of("bash", ChaosChecker.SCRIPT.toString()),
            Map.of(
                "SEED",
                SEED,
                "FAULTS",
                String.valueOf(FAULTS),
                "INTERVAL",
                "100ms",
                "OUT",
                out.toString(),
                "FLOATIP_JAR",
                System.getProperty("floatip.jar", "target/quarkus-app/quarkus-run.jar")),
            Duration.ofMinutes(20)); // ≈ 2.5 min; JVM restarts take much longer at load 40
    assertThat(r.exit()).as("hack/chaos.sh (logs in %s):\n%s", out, r.out()).isZero();
    Matcher total = Pattern.compile("faults by kind: .*; total (\\d+)").matcher(r.out());
    assertThat(total.find()).as(r.out()).isTrue();
    assertThat(Integer.parseInt(total.group(1))).isEqualTo(FAULTS);
    assertThat(r.out()).contains("violations: 0");
  }
}
