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
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The standalone agent's config handling on a real wire: {@code floatip agent} refuses a bad file
 * with exit 2 naming file:line and field; a reload with a bad file keeps the running config; a good
 * edit applies and leaves the routers it did not change alone (no state change at all).
 */
class AgentLifecycleIT {

  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final Duration START = Duration.ofSeconds(60);
  private static final String VIP_A = "192.0.2.201/24";
  private static final String VIP_B = "192.0.2.202/24";
  private static final String VIP_C = "192.0.2.203/24";

  @RegisterExtension static final SharedLab LAB = SharedLab.agents("alc", 2);

  private final List<LabDaemon> agents = new ArrayList<>();

  @AfterEach
  void reset() {
    LabDaemon.stopAll(agents);
    LAB.watch()
        .removeEverywhere(
            LAB.lab().routers(),
            List.of(VipWatch.address(VIP_A), VipWatch.address(VIP_B), VipWatch.address(VIP_C)));
  }

  @Test
  void badConfigFileExitsTwoNamingFileLineAndField(TestInfo test) {
    Path dir = ItLogs.dir(test);
    // line 8 of the rendered document is "  virtualRouterId: 300" (valid: 1..255)
    String text = doc("a", 300, VIP_A, 150, 100).render();
    assertEquals("  virtualRouterId: 300", text.lines().toList().get(7));
    Path bad = FloatipYaml.writeText(dir.resolve("bad.yaml"), text);
    List<String> cmd =
        LabDaemon.floatipCommand("agent", "--config", bad.toString(), "--node-name", "r1");
    NetnsLab.ExecResult r = LAB.lab().run(LAB.lab().router(1), cmd.toArray(String[]::new));
    assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(
        r.stderr().contains(bad + ":8:") && r.stderr().contains("spec.virtualRouterId"),
        "stderr must name file:line and field: " + r.stderr());
    assertEquals(
        List.of(),
        LAB.lab()
            .exec(LAB.lab().router(1), "ip", "-o", "addr", "show", "dev", "eth0")
            .lines()
            .filter(l -> l.contains(" 192.0.2.201/"))
            .toList());
  }

  @Test
  void reloadKeepsTheRunningConfigOnABadFileAndAppliesAGoodEditWithoutDisturbance(TestInfo test) {
    Path dir = ItLogs.dir(test);
    Node r1 = LAB.lab().router(1);
    Node r2 = LAB.lab().router(2);
    List<Node> all = LAB.lab().routers();
    InetAddress a = VipWatch.address(VIP_A);
    InetAddress b = VipWatch.address(VIP_B);
    InetAddress c = VipWatch.address(VIP_C);
    Path config = dir.resolve("vip.yaml");
    FloatipYaml.write(
        config, List.of(doc("a", 61, VIP_A, 150, 100), doc("b", 62, VIP_B, 150, 100)));

    LabDaemon a1 = start(r1, config, dir);
    a1.awaitLine(START, "a/v4", "-> MASTER");
    LabDaemon a2 = start(r2, config, dir);
    a2.awaitLine(START, "b/v4", "-> BACKUP");
    LAB.watch().awaitSoleHolder(r1, all, List.of(a, b), START);
    // r2 stays backup past its Master_Down_Interval: it hears r1
    LAB.watch().assertSettled(r1, all, List.of(a, b), Duration.ofMillis(500));

    // a broken file (VRID out of range) is refused whole; nothing changes
    int mark1 = a1.lines().size();
    int mark2 = a2.lines().size();
    FloatipYaml.write(
        config, List.of(doc("a", 61, VIP_A, 150, 100), doc("b", 300, VIP_B, 150, 100)));
    a1.sighup();
    a2.sighup();
    a1.awaitLine(Duration.ofSeconds(10), mark1, "reload refused");
    a2.awaitLine(Duration.ofSeconds(10), mark2, "reload refused");
    assertTrue(
        a1.lines().stream().anyMatch(l -> l.contains("vip.yaml:") && l.contains("virtualRouterId")),
        a1.logTail());
    LAB.watch().assertSettled(r1, all, List.of(a, b), INTERVAL.multipliedBy(5));
    assertEquals(List.of(), stateChanges(a1, mark1), "no state change on a refused reload");
    assertEquals(List.of(), stateChanges(a2, mark2), "no state change on a refused reload");

    // a good edit: b now prefers r2, c is new, a is untouched
    mark1 = a1.lines().size();
    mark2 = a2.lines().size();
    FloatipYaml.write(
        config,
        List.of(
            doc("a", 61, VIP_A, 150, 100),
            doc("b", 62, VIP_B, 150, 200),
            doc("c", 63, VIP_C, 150, 100)));
    a1.sighup();
    a2.sighup();
    a1.awaitLine(Duration.ofSeconds(10), mark1, "reloading");
    a2.awaitLine(Duration.ofSeconds(10), mark2, "reloading");
    LAB.watch().awaitSoleHolder(r2, all, List.of(b), Duration.ofSeconds(10));
    LAB.watch().awaitSoleHolder(r1, all, List.of(c), Duration.ofSeconds(10));
    LAB.watch().assertSettled(r1, all, List.of(a, c), INTERVAL.multipliedBy(3));
    LAB.watch().assertSettled(r2, all, List.of(b), INTERVAL.multipliedBy(3));
    assertEquals(
        List.of(),
        stateChanges(a1, mark1).stream().filter(l -> l.contains(" a/")).toList(),
        "the unchanged VirtualIP a must not change state on r1");
    assertEquals(
        List.of(),
        stateChanges(a2, mark2).stream().filter(l -> l.contains(" a/")).toList(),
        "the unchanged VirtualIP a must not change state on r2");
    assertTrue(
        stateChanges(a1, mark1).stream().anyMatch(l -> l.contains(" b/v4: MASTER -> BACKUP")),
        a1.logTail());
  }

  /** Log lines of state transitions ("x/v4: BACKUP -> MASTER (...)") from line {@code from}. */
  private static List<String> stateChanges(LabDaemon agent, int from) {
    List<String> lines = agent.lines();
    return lines.subList(from, lines.size()).stream()
        .filter(l -> l.matches(".*: [A-Z]+ -> [A-Z]+ \\(.*"))
        .toList();
  }

  private static FloatipYaml doc(String name, int vrid, String address, int p1, int p2) {
    return FloatipYaml.vip(name, vrid)
        .addresses(address)
        .interval("100ms")
        .priority("r1", p1)
        .priority("r2", p2);
  }

  private LabDaemon start(Node node, Path config, Path dir) {
    LabDaemon a =
        LabDaemon.agent(LAB.lab(), node, config, dir.resolve("agent-" + node.name() + ".log"));
    agents.add(a);
    return a;
  }
}
