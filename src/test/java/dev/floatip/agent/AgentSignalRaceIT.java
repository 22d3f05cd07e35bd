package dev.floatip.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12 item 2 and the exit bound of item 11: a SIGTERM at any moment of start-up ends with the
 * process gone within the second the README promises and no VIP on the node ("never added any" or
 * "resigned and addresses removed"); before the fix a TERM 1.4-2.5 s after launch was swallowed and
 * the agent went on to become MASTER. Also: a port clash exits without advising {@code kill -9} and
 * leaves the running agent's VIP alone.
 */
class AgentSignalRaceIT {

  private static final String VIP = "192.0.2.211/24";

  /** README, "Signals": "the agent exits 0 within a second". */
  private static final Duration EXIT_BOUND = Duration.ofSeconds(1);

  private static final Duration START = Duration.ofSeconds(60);

  @RegisterExtension static final SharedLab LAB = SharedLab.agents("sig", 1);

  private final List<LabDaemon> agents = new ArrayList<>();

  @AfterEach
  void reset() {
    LabDaemon.stopAll(agents);
    LAB.watch().removeEverywhere(LAB.lab().routers(), List.of(VipWatch.address(VIP)));
  }

  /** TERM at a fixed time after launch: before main, during Quarkus boot, during start-up. */
  @ParameterizedTest(name = "TERM {0} ms after launch")
  @ValueSource(ints = {200, 800, 1200, 1500, 1800, 2100, 2500, 3000})
  void termDuringStartUpExitsWithinTheBoundAndLeavesNoVip(int millis, TestInfo test) {
    Path dir = ItLogs.dir(test);
    long launched = System.nanoTime();
    LabDaemon agent = start(dir, "agent-" + millis + ".log");
    LockSupport.parkNanos(launched + Duration.ofMillis(millis).toNanos() - System.nanoTime());
    termAndCheck(agent, "TERM at " + millis + " ms");
  }

  /** TERM right when the routers start: start-up is under way, the agent is not MASTER yet. */
  @Test
  void termWhenTheRoutersStartExitsWithinTheBoundAndLeavesNoVip(TestInfo test) {
    LabDaemon agent = start(ItLogs.dir(test), "agent.log");
    agent.awaitLine(START, "v/v4", "-> BACKUP");
    termAndCheck(agent, "TERM at the first transition");
  }

  /** TERM as MASTER: resign and remove the address within the bound. */
  @Test
  void termAsMasterResignsAndRemovesTheVipWithinTheBound(TestInfo test) {
    LabDaemon agent = start(ItLogs.dir(test), "agent.log");
    agent.awaitLine(START, "v/v4", "-> MASTER");
    assertTrue(vipOnNode(), "the MASTER holds the VIP");
    termAndCheck(agent, "TERM as MASTER");
  }

  /**
   * A HUP during start-up is neither fatal nor lost: the agent runs on and becomes MASTER. (Before
   * main() runs, in the JVM's first few hundred ms, the JVM's own handler still ends the process on
   * HUP, having added nothing; the TERM cases show main() runs by 800 ms here.)
   */
  @Test
  void hupDuringStartUpIsNotFatal(TestInfo test) {
    Path dir = ItLogs.dir(test);
    long launched = System.nanoTime();
    LabDaemon agent = start(dir, "agent.log");
    for (int ms : new int[] {900, 1500, 2100, 2700}) {
      LockSupport.parkNanos(launched + Duration.ofMillis(ms).toNanos() - System.nanoTime());
      agent.sighup();
    }
    agent.awaitLine(START, "v/v4", "-> MASTER");
    assertTrue(agent.alive(), agent.logTail());
    termAndCheck(agent, "TERM as MASTER after HUPs");
  }

  /** A second agent on the same metrics port: exits, names the port, no kill -9 advice. */
  @Test
  void aPortClashExitsWithSafeAdviceAndLeavesTheRunningAgentAlone(TestInfo test) {
    Path dir = ItLogs.dir(test);
    LabDaemon first = start(dir, "first.log");
    first.awaitLine(START, "v/v4", "-> MASTER");
    LabDaemon second = start(dir, "second.log");
    int status = second.awaitExit(START);
    String out = String.join("\n", second.lines());
    assertEquals(1, status, out);
    assertTrue(out.contains("9654") && out.contains("SIGTERM"), out);
    assertFalse(out.contains("kill -9"), "must not advise kill -9:\n" + out);
    assertTrue(first.alive() && vipOnNode(), first.logTail());
    termAndCheck(first, "TERM as MASTER after a clash");
  }

  private void termAndCheck(LabDaemon agent, String what) {
    long sent = System.nanoTime();
    agent.sigterm();
    int status = agent.awaitExit(Duration.ofSeconds(10));
    Duration took = Duration.ofNanos(System.nanoTime() - sent);
    System.out.printf("%s: exit %d after %d ms%n", what, status, took.toMillis());
    // 143: the JVM's own handler, when the TERM comes before main() (nothing started then)
    assertTrue(Set.of(0, 143).contains(status), what + ": exit " + status + "\n" + agent.logTail());
    assertTrue(
        took.compareTo(EXIT_BOUND) <= 0,
        what + ": exit took " + took.toMillis() + " ms\n" + agent.logTail());
    assertFalse(vipOnNode(), what + ": VIP left on the node\n" + agent.logTail());
  }

  private boolean vipOnNode() {
    Node r1 = LAB.lab().router(1);
    return LAB.lab()
        .exec(r1, "ip", "-o", "addr", "show")
        .lines()
        .anyMatch(l -> l.contains(" 192.0.2.211/"));
  }

  private LabDaemon start(Path dir, String log) {
    Path config = dir.resolve("vip.yaml");
    FloatipYaml.write(
        config,
        List.of(FloatipYaml.vip("v", 71).addresses(VIP).interval("100ms").priority("r1", 150)));
    NetnsLab lab = LAB.lab();
    LabDaemon a = LabDaemon.agent(lab, lab.router(1), config, dir.resolve(log));
    agents.add(a);
    return a;
  }
}
