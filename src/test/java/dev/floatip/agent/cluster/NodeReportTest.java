package dev.floatip.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.agent.RouterId;
import dev.floatip.agent.RouterStatus;
import dev.floatip.api.v1alpha1.CheckStatus;
import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.config.IpLiteral;
import dev.floatip.tracking.CheckEffect;
import dev.floatip.tracking.CheckKind;
import dev.floatip.tracking.Effective;
import dev.floatip.vrrp.Counters;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.Reason;
import dev.floatip.vrrp.State;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeReportTest {

  private static final Counters.Snapshot NO_COUNTS =
      new Counters.Snapshot(Map.of(), 0, 0, 0, 0, 0, 0);
  private static final Instant CHANGED = Instant.parse("2026-03-01T10:15:30.123456789Z");
  private static final Instant MASTER_SINCE = Instant.parse("2026-03-01T10:15:30.987654Z");

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // literals only: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static RouterStatus router(
      IpFamily family, State state, int priority, Reason reason, Set<String> faults, String src) {
    return new RouterStatus(
        new RouterId("web", family),
        "eth0",
        51,
        state,
        priority,
        Optional.empty(),
        Optional.of(CHANGED),
        Optional.ofNullable(reason),
        faults,
        false,
        NO_COUNTS,
        ip(src));
  }

  private static RouterStatus v4(State state, Reason reason) {
    return router(IpFamily.IPV4, state, 110, reason, Set.of(), "10.0.0.1");
  }

  private static RouterStatus v6(State state, Reason reason) {
    return router(IpFamily.IPV6, state, 90, reason, Set.of(), "fd00::1");
  }

  @Test
  void aLoneMasterRouterReportsMasterWithItsSourceAndTimes() {
    NodeStatus s =
        NodeReport.running(
            List.of(v4(State.MASTER, Reason.MASTER_DOWN)), Optional.empty(), 100, 4, MASTER_SINCE);

    assertThat(s)
        .isEqualTo(
            new NodeStatus(
                NodeState.Master,
                110,
                100,
                "2026-03-01T10:15:30.123Z",
                "2026-03-01T10:15:30.987Z",
                "MasterDown",
                null,
                4L,
                List.of("10.0.0.1"),
                null));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("states")
  void eachRouterStateMapsToItsNodeState(State state, NodeState expected) {
    NodeStatus s = NodeReport.running(List.of(v4(state, null)), Optional.empty(), 100, 1, null);

    assertThat(s.state()).isEqualTo(expected);
    assertThat(s.masterSince()).isNull();
    assertThat(s.reason()).isEmpty();
  }

  static Stream<Arguments> states() {
    return Stream.of(
        Arguments.of(State.INITIALIZE, NodeState.Initialize),
        Arguments.of(State.BACKUP, NodeState.Backup),
        Arguments.of(State.MASTER, NodeState.Master),
        Arguments.of(State.FAULT, NodeState.Fault));
  }

  @Test
  void dualStackWithOneFamilyMasterReportsMasterAndNamesBothFamilies() {
    NodeStatus s =
        NodeReport.running(
            List.of(v6(State.BACKUP, Reason.STARTUP), v4(State.MASTER, Reason.PREEMPTED)),
            Optional.empty(),
            100,
            2,
            MASTER_SINCE);

    assertThat(s.state()).isEqualTo(NodeState.Master);
    assertThat(s.priority()).as("the master router's priority").isEqualTo(110);
    assertThat(s.reason()).isEqualTo("IPv4 Master, IPv6 Backup; Preempted");
    assertThat(s.addresses())
        .as("parsed back by the peers' Placement")
        .map(a -> IpLiteral.parse(a).orElseThrow())
        .containsExactly(ip("10.0.0.1"), ip("fd00::1"));
  }

  @Test
  void dualStackWithOneFamilyInFaultReportsFault() {
    NodeStatus s =
        NodeReport.running(
            List.of(
                v4(State.MASTER, Reason.MASTER_DOWN),
                router(
                    IpFamily.IPV6, State.FAULT, 90, Reason.FAULT, Set.of("no address"), "fd00::1")),
            Optional.empty(),
            100,
            2,
            null);

    assertThat(s.state()).isEqualTo(NodeState.Fault);
    assertThat(s.priority()).isEqualTo(90);
    assertThat(s.reason()).isEqualTo("IPv4 Master, IPv6 Fault; no address");
  }

  @Test
  void dualStackInTheSameStateReportsOnlyTheReason() {
    NodeStatus s =
        NodeReport.running(
            List.of(v4(State.BACKUP, Reason.HIGHER_PRIORITY_MASTER), v6(State.BACKUP, null)),
            Optional.empty(),
            100,
            2,
            null);

    assertThat(s.state()).isEqualTo(NodeState.Backup);
    assertThat(s.reason()).isEqualTo("HigherPriorityMaster");
  }

  @Test
  void aTrackingFaultIsReportedAsTheFailingChecks() {
    Effective checks =
        new Effective(
            100,
            80,
            true,
            true,
            List.of(
                new CheckEffect(CheckKind.SCRIPT, "dig", false, 0, true, "exit 1"),
                new CheckEffect(CheckKind.TCP, "db", true, -20, false, "connected")));
    RouterStatus faulty =
        router(
            IpFamily.IPV4,
            State.FAULT,
            80,
            Reason.FAULT,
            Set.of("tracking", "interface down"),
            "10.0.0.1");

    NodeStatus s = NodeReport.running(List.of(faulty), Optional.of(checks), 120, 3, null);

    assertThat(s.state()).isEqualTo(NodeState.Fault);
    assertThat(s.reason()).isEqualTo("interface down; script dig: exit 1");
    // the plan's base (it travels with observedGeneration), not tracking's, which may run ahead of
    // it
    assertThat(s.basePriority()).as("from the plan, with its generation").isEqualTo(120);
    assertThat(s.checks())
        .containsExactly(
            new CheckStatus("script", "dig", false, null, "exit 1"),
            new CheckStatus("tcp", "db", true, -20, "connected"));
  }

  @Test
  void aTrackingFaultWithoutChecksKeepsTheFaultKey() {
    RouterStatus faulty =
        router(IpFamily.IPV4, State.FAULT, 80, Reason.FAULT, Set.of("tracking"), "10.0.0.1");

    NodeStatus s = NodeReport.running(List.of(faulty), Optional.empty(), 100, 3, null);

    assertThat(s.reason()).isEqualTo("tracking");
  }

  @Test
  void noRoutersYetReportsInitialize() {
    NodeStatus s = NodeReport.running(List.of(), Optional.empty(), 100, 5, null);

    assertThat(s)
        .isEqualTo(
            new NodeStatus(
                NodeState.Initialize, 100, 100, null, null, "starting", null, 5L, null, null));
  }

  @Test
  void notRunIsAFaultNamingWhy() {
    NodeStatus s = NodeReport.notRun("no interface holds 192.0.2.0/24", 6, CHANGED);

    assertThat(s)
        .isEqualTo(
            new NodeStatus(
                NodeState.Fault,
                null,
                null,
                "2026-03-01T10:15:30.123Z",
                null,
                "not run: no interface holds 192.0.2.0/24",
                null,
                6L,
                null,
                null));
  }

  @Test
  void stoppedCarriesOnlyStateTimeReasonAndGeneration() {
    NodeStatus s = NodeReport.stopped(7, CHANGED, "VirtualIP deleted");

    assertThat(s)
        .isEqualTo(
            new NodeStatus(
                NodeState.Stopped,
                null,
                null,
                "2026-03-01T10:15:30.123Z",
                null,
                "VirtualIP deleted",
                null,
                7L,
                null,
                null));
  }

  static Stream<Arguments> foreign() {
    return Stream.of(
        Arguments.of("none", List.of(), null),
        Arguments.of("sorted and distinct", List.of(77, 3, 77, 200), List.of(3, 77, 200)),
        Arguments.of("only real VRIDs, 1..255", List.of(0, 1, 255, 256, -4), List.of(1, 255)),
        Arguments.of(
            "every VRID is at most 255 of them",
            IntStream.rangeClosed(-10, 400).boxed().toList(),
            IntStream.rangeClosed(1, 255).boxed().toList()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("foreign")
  void foreignVridsAreSortedDistinctAndBounded(
      String why, List<Integer> heard, List<Integer> expected) {
    assertThat(NodeReport.foreignVrids(heard)).isEqualTo(expected);
  }

  @Test
  void anEntryCarriesTheForeignVridsAndNothingElseChanges() {
    NodeStatus s = NodeReport.notRun("no interface", 6, CHANGED);

    NodeStatus with = NodeReport.withForeignVrids(s, List.of(9, 77));

    assertThat(with.foreignVrids()).containsExactly(9, 77);
    assertThat(NodeReport.withForeignVrids(with, null)).isEqualTo(s);
  }

  static Stream<Arguments> words() {
    return Stream.of(
        Arguments.of(Reason.MAINTENANCE, "Maintenance"),
        Arguments.of(Reason.MASTER_DOWN, "MasterDown"),
        Arguments.of(Reason.HIGHER_PRIORITY_MASTER, "HigherPriorityMaster"),
        Arguments.of(Reason.FAULT_CLEARED, "FaultCleared"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("words")
  void reasonsReadLikeKubernetesConditionReasons(Reason reason, String expected) {
    assertThat(NodeReport.words(reason)).isEqualTo(expected);
  }
}
