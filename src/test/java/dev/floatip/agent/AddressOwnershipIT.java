package dev.floatip.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floatip.testing.FloatipYaml;
import dev.floatip.testing.ItLogs;
import dev.floatip.testing.LabDaemon;
import dev.floatip.testing.NetnsLab;
import dev.floatip.testing.NetnsLab.Node;
import dev.floatip.testing.SharedLab;
import dev.floatip.testing.VipWatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 items 5 and 6 on a real kernel: the agent removes at start exactly the addresses an
 * earlier run added (IFA_PROTO mark, Linux 6.3+), whatever the config says now, and never an
 * address it did not add.
 */
class AddressOwnershipIT {

  private static final Duration START = Duration.ofSeconds(60);
  private static final String VIP_A = "192.0.2.221/24";
  private static final String VIP_B = "192.0.2.222/24";
  private static final String ADMIN = "192.0.2.223/24";

  @RegisterExtension static final SharedLab LAB = SharedLab.agents("aown", 1);

  private final List<LabDaemon> agents = new ArrayList<>();

  @AfterEach
  void reset() {
    LabDaemon.stopAll(agents);
    LAB.watch()
        .removeEverywhere(
            LAB.lab().routers(),
            List.of(VipWatch.address(VIP_A), VipWatch.address(VIP_B), VipWatch.address(ADMIN)));
  }

  @Test
  void killNineThenAConfigEditRemovesTheOldVipAndKeepsAnAddressTheAgentNeverAdded(TestInfo test) {
    Path dir = ItLogs.dir(test);
    Node r1 = LAB.lab().router(1);
    Path config = dir.resolve("vip.yaml");
    FloatipYaml.vip("a", 71).addresses(VIP_A).write(config);
    LAB.lab().exec(r1, "ip", "addr", "add", ADMIN, "dev", "eth0"); // an administrator's

    LabDaemon first = start(r1, config, dir, 1);
    first.awaitLine(START, "a/v4", "-> MASTER");
    awaitAddresses(r1, List.of(VIP_A, ADMIN), List.of());
    first.sigkill();
    first.awaitExit(Duration.ofSeconds(10));
    awaitAddresses(r1, List.of(VIP_A, ADMIN), List.of()); // kill -9 leaves the VIP: an orphan

    FloatipYaml.vip("b", 72).addresses(VIP_B).write(config);
    LabDaemon second = start(r1, config, dir, 2);
    second.awaitLine(START, "b/v4", "-> MASTER");
    awaitAddresses(r1, List.of(VIP_B, ADMIN), List.of(VIP_A));
    assertTrue(
        second.lines().stream()
            .anyMatch(l -> l.contains("removing 192.0.2.221 from eth0: left by a previous run")),
        second.logTail());
  }

  @Test
  void aVipThatIsTheNodesOwnAddressIsRefusedAndTheAddressStays(TestInfo test) {
    Path dir = ItLogs.dir(test);
    Node r1 = LAB.lab().router(1);
    String own = VipWatch.literal(r1.ipv4()) + "/24";
    Path config =
        FloatipYaml.write(
            dir.resolve("vip.yaml"),
            List.of(
                FloatipYaml.vip("owner", 73).addresses(own),
                FloatipYaml.vip("b", 74).addresses(VIP_B)));
    List<String> cmd =
        LabDaemon.floatipCommand("agent", "--config", config.toString(), "--node-name", "r1");
    NetnsLab.ExecResult r = LAB.lab().run(r1, cmd.toArray(String[]::new));
    assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(
        r.stderr().contains("spec.addresses[0]: VirtualIP \"owner\": " + own.replace("/24", ""))
            && r.stderr().contains("is this node's own address on eth0"),
        r.stderr());
    awaitAddresses(r1, List.of(own), List.of(VIP_B));
  }

  /**
   * Waits until eth0 of {@code node} has every one of {@code present} and none of {@code absent}.
   */
  private static void awaitAddresses(Node node, List<String> present, List<String> absent) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              String shown = LAB.lab().exec(node, "ip", "-o", "addr", "show", "dev", "eth0");
              return present.stream().allMatch(a -> shown.contains(" " + a + " "))
                  && absent.stream().noneMatch(a -> shown.contains(" " + a + " "));
            });
  }

  private LabDaemon start(Node node, Path config, Path dir, int run) {
    LabDaemon a =
        LabDaemon.agent(
            LAB.lab(), node, config, dir.resolve("agent-" + node.name() + "-" + run + ".log"));
    agents.add(a);
    return a;
  }
}
