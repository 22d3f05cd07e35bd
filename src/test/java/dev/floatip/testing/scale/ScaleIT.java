package dev.floatip.testing.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CI-sized run of the scale benchmark (hack/scale-bench.sh at 200 Nodes and 200 VirtualIPs):
 * the same harness, asserting the targets of "Kubernetes at scale", scaled where they depend on the
 * cluster's size. A regression of these ratios fails the test command.
 *
 * <ul>
 *   <li>every VirtualIP has its VRID, phase Active and a master within 30 s of being created; the
 *       operator's peak RSS ≤ 256 MiB;
 *   <li>0 writes a minute from the agents and the operator at steady state (the leader election's
 *       Lease renewals aside: constant, whatever the size);
 *   <li>one failover: ≤ 2 status writes per participating agent and VirtualIP, ≤ 1 from the
 *       operator per VirtualIP;
 *   <li>the largest VirtualIP object ≤ 64 KiB × N / 1000 (64 KiB at 1000 nodes: an object that
 *       grows with the cluster fails already here);
 *   <li>adding and deleting VirtualIPs changes the agent DaemonSet's pod template 0 times.
 * </ul>
 *
 * Needs the packaged jar (failsafe's {@code floatip.jar}); no root, no network namespaces.
 */
class ScaleIT {

  static final int NODES = 200;
  static final int VIPS = 200;

  @Test
  @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
  void twoHundredNodesAndVirtualIPs() throws Exception {
    Path jar = Path.of(System.getProperty("floatip.jar", "target/quarkus-app/quarkus-run.jar"));
    assertThat(jar).as("the packaged operator (mvn package)").exists();
    Path work =
        Path.of(System.getProperty("floatip.it.logs", "target/it-logs")).resolve("scale-it");
    Files.createDirectories(work);
    ScaleBench.Settings settings =
        new ScaleBench.Settings(
            NODES,
            VIPS,
            4,
            Duration.ofSeconds(30),
            Duration.ofSeconds(15),
            20,
            ScaleBenchMain.operatorCommand(),
            Map.of("FLOATIP_JAVA_OPTS", "-Xmx96m", "FLOATIP_JAR", jar.toAbsolutePath().toString()),
            work);
    // the whole run within the 3 minutes CI gives it: a phase that does not finish in time is a
    // failure listed by name, not a hang
    try (ScaleBench bench = new ScaleBench(settings).budget(Duration.ofSeconds(150))) {
      Map<String, Object> r = bench.run();
      Files.writeString(work.resolve("result.json"), bench.json() + "\n");
      System.out.println(Table.of(r));
      @SuppressWarnings("unchecked")
      Map<String, Object> failover = (Map<String, Object>) r.get("failover");
      @SuppressWarnings("unchecked")
      Map<String, Object> addDelete = (Map<String, Object>) r.get("addDelete");
      @SuppressWarnings("unchecked")
      Map<String, Double> steady = (Map<String, Double>) r.get("steadyWritesPerMinute");
      assertSoftly(
          soft -> {
            soft.assertThat(bench.failures()).as("phases that timed out").isEmpty();
            soft.assertThat((Double) r.get("convergedSeconds"))
                .as("seconds until every VirtualIP has its VRID, phase Active and a master")
                .isNotNull()
                .isLessThan(30.0);
            soft.assertThat((Double) r.get("operatorRssPeakMiB"))
                .as("operator peak RSS, MiB")
                .isLessThanOrEqualTo(256.0);
            soft.assertThat(steady.get("operator"))
                .as("operator writes a minute at steady state (Lease renewals aside)")
                .isEqualTo(0.0);
            soft.assertThat(steady.get("agent"))
                .as("agent writes a minute at steady state")
                .isEqualTo(0.0);
            soft.assertThat(failover).as("failover measured").isNotNull();
            if (failover != null) {
              soft.assertThat((Long) failover.get("maxWritesPerAgentPerVirtualIP"))
                  .as("status writes per participating agent and VirtualIP in one failover")
                  .isLessThanOrEqualTo(2L);
              soft.assertThat((Long) failover.get("maxOperatorStatusWritesPerVirtualIP"))
                  .as("operator status writes per VirtualIP in one failover")
                  .isLessThanOrEqualTo(1L);
            }
            soft.assertThat((Long) r.get("largestVirtualIPBytes"))
                .as("largest VirtualIP object, bytes (64 KiB at 1000 nodes, scaled)")
                .isLessThanOrEqualTo(64L * 1024 * NODES / 1000);
            soft.assertThat(addDelete).as("add/delete measured").isNotNull();
            if (addDelete != null) {
              soft.assertThat((Long) addDelete.get("templateChanges"))
                  .as("agent pod template changes while VirtualIPs were added and deleted")
                  .isEqualTo(0L);
            }
            soft.assertThat((List<?>) r.get("failures")).isEmpty();
          });
    }
  }
}
