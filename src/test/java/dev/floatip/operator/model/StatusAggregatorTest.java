package dev.floatip.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.api.v1alpha1.Candidate;
import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.Phase;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.config.Violation;
import dev.floatip.operator.model.StatusAggregator.Input;
import dev.floatip.operator.model.StatusAggregator.Result;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatusAggregatorTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:10Z");
  private static final VridAllocator.Decision OK = new VridAllocator.Decision(51, true, null);
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);
  private static final List<String> ADDRESSES = List.of("192.0.2.200/24", "2001:db8::200/64");

  /** "Master@-5000": master since 5000 ms before NOW. */
  private static NodeStatus node(String text) {
    String[] p = text.split("@");
    NodeState state = NodeState.valueOf(p[0]);
    String since = p.length > 1 ? NOW.plusMillis(Long.parseLong(p[1])).toString() : null;
    return new NodeStatus(
        state,
        100,
        100,
        since,
        state == NodeState.Master ? since : null,
        null,
        null,
        1L,
        null,
        null);
  }

  private static Map<String, NodeStatus> nodes(String... entries) {
    Map<String, NodeStatus> m = new HashMap<>();
    for (String e : entries) {
      String[] kv = e.split("=");
      m.put(kv[0], kv[1].equals("null") ? null : node(kv[1]));
    }
    return m;
  }

  private static VirtualIPStatus status(Map<String, NodeStatus> nodes) {
    return new VirtualIPStatus(null, null, null, null, null, nodes, null);
  }

  private static Result run(Map<String, NodeStatus> nodes, Set<String> stale) {
    return StatusAggregator.aggregate(
        new Input(status(nodes), 3, List.of(), OK, ONE_SECOND, stale, NOW, ADDRESSES));
  }

  /** Issue 13: a failover is one operator write, not "NoMaster, then Active". */
  @Test
  void aMasterThatJustLeftIsHeldUntilItsSuccessorReportsOrMasterDownIntervalPasses() {
    Map<String, NodeStatus> before = nodes("a=Master@-9000", "b=Backup@-9000");
    VirtualIPStatus previous = new VirtualIPStatus(3L, 51, "a", Phase.Active, "2/2", before, null);
    // a went to Fault 1 s ago, b has not taken over yet: hold until 3 × 1 s + 2 s after a left
    Map<String, NodeStatus> now = nodes("a=Fault@-1000", "b=Backup@-9000");
    VirtualIPStatus read = new VirtualIPStatus(3L, 51, "a", Phase.Active, "2/2", now, null);
    Result r = run(now, Set.of());
    assertThat(r.master()).isNull();
    assertThat(r.phase()).isEqualTo(Phase.NoMaster);
    assertThat(StatusAggregator.masterLossHold(read, r, ONE_SECOND, NOW))
        .contains(Duration.ofSeconds(4));
    // past the hold: NoMaster is written
    Map<String, NodeStatus> later = nodes("a=Fault@-6000", "b=Backup@-9000");
    assertThat(
            StatusAggregator.masterLossHold(
                new VirtualIPStatus(3L, 51, "a", Phase.Active, "2/2", later, null),
                run(later, Set.of()),
                ONE_SECOND,
                NOW))
        .isEmpty();
    // b took over: nothing held, the one write names b
    Result taken = run(nodes("a=Fault@-1000", "b=Master@-100"), Set.of());
    assertThat(taken.master()).isEqualTo("b");
    assertThat(StatusAggregator.masterLossHold(read, taken, ONE_SECOND, NOW)).isEmpty();
    // an entry still saying Master (a stale node) or no master before: nothing held
    assertThat(
            StatusAggregator.masterLossHold(
                new VirtualIPStatus(3L, 51, null, Phase.NoMaster, "0/2", now, null),
                r,
                ONE_SECOND,
                NOW))
        .isEmpty();
    assertThat(StatusAggregator.masterLossHold(previous, r, ONE_SECOND, NOW)).isEmpty();
  }

  /** An agent refining its Fault reason costs no operator write: the reason stays in its entry. */
  @Test
  void aChangedReasonOfANodeThatIsNotReadyChangesNoCondition() {
    Map<String, NodeStatus> one = nodes("a=Master@-9000");
    Map<String, NodeStatus> two = nodes("a=Master@-9000");
    one.put(
        "b",
        new NodeStatus(NodeState.Fault, 0, 100, null, null, "link down", null, 1L, null, null));
    two.put(
        "b",
        new NodeStatus(NodeState.Fault, 0, 100, null, null, "no socket", null, 1L, null, null));
    Result first = run(one, Set.of());
    assertThat(first.condition("Degraded").orElseThrow().getMessage()).contains("b: Fault");
    assertThat(run(two, Set.of()).conditions()).isEqualTo(first.conditions());
  }

  static Stream<Arguments> phases() {
    return Stream.of(
        // nodes, stale, phase, master, nodesReady, Ready, Degraded, SplitBrain, recheck
        Arguments.of(
            nodes(), Set.of(), Phase.Pending, null, "0/0", "False", "False", "False", false),
        Arguments.of(
            nodes("a=Master@-5000", "b=Backup@-5000"),
            Set.of(),
            Phase.Active,
            "a",
            "2/2",
            "True",
            "False",
            "False",
            false),
        Arguments.of(
            nodes("a=Backup", "b=Backup"),
            Set.of(),
            Phase.NoMaster,
            null,
            "2/2",
            "False",
            "False",
            "False",
            false),
        Arguments.of(
            nodes("a=Master@-5000", "b=Fault"),
            Set.of(),
            Phase.Active,
            "a",
            "1/2",
            "True",
            "True",
            "False",
            false),
        Arguments.of(
            nodes("a=Master@-5000", "b=Initialize"),
            Set.of(),
            Phase.Active,
            "a",
            "1/2",
            "True",
            "True",
            "False",
            false),
        // two masters for 300 ms (< 1 s): not yet a split brain, look again
        Arguments.of(
            nodes("a=Master@-5000", "b=Master@-300"),
            Set.of(),
            Phase.Active,
            "b",
            "2/2",
            "True",
            "False",
            "False",
            true),
        // two masters for 1.5 s
        Arguments.of(
            nodes("a=Master@-5000", "b=Master@-1500"),
            Set.of(),
            Phase.SplitBrain,
            null,
            "2/2",
            "False",
            "False",
            "True",
            false),
        Arguments.of(
            nodes("a=Master@-5000", "b=Master@-1500", "c=Master@-9000"),
            Set.of(),
            Phase.SplitBrain,
            null,
            "3/3",
            "False",
            "False",
            "True",
            false),
        // the old master's node is gone: its stale entry is no second master
        Arguments.of(
            nodes("a=Master@-9000", "b=Master@-5000"),
            Set.of("a"),
            Phase.Active,
            "b",
            "1/2",
            "True",
            "True",
            "False",
            false),
        // Stopped and null (a mock-deleted key) entries do not participate
        Arguments.of(
            nodes("a=Master@-5000", "b=Stopped", "c=null"),
            Set.of(),
            Phase.Active,
            "a",
            "1/1",
            "True",
            "False",
            "False",
            false));
  }

  @ParameterizedTest
  @MethodSource
  void phases(
      Map<String, NodeStatus> nodes,
      Set<String> stale,
      Phase phase,
      String master,
      String nodesReady,
      String ready,
      String degraded,
      String splitBrain,
      boolean recheck) {
    Result r = run(nodes, stale);
    assertThat(r.phase()).isEqualTo(phase);
    assertThat(r.master()).isEqualTo(master);
    assertThat(r.nodesReady()).isEqualTo(nodesReady);
    assertThat(r.condition("Ready").orElseThrow().getStatus()).isEqualTo(ready);
    assertThat(r.condition("Degraded").orElseThrow().getStatus()).isEqualTo(degraded);
    assertThat(r.condition("SplitBrain").orElseThrow().getStatus()).isEqualTo(splitBrain);
    assertThat(r.condition("VRIDConflict").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(r.condition("InvalidSpec").orElseThrow().getStatus()).isEqualTo("False");
    assertThat(r.recheckAfter().isPresent()).isEqualTo(recheck);
    assertThat(r.virtualRouterId()).isEqualTo(51);
    assertThat(r.observedGeneration()).isEqualTo(3);
    assertThat(r.conditions())
        .extracting(Condition::getType)
        .containsExactly("Ready", "Degraded", "SplitBrain", "VRIDConflict", "InvalidSpec");
    assertThat(r.conditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3));
  }

  @Test
  void recheckIsWhenTheOverlapExceedsTheInterval() {
    Result r = run(nodes("a=Master@-5000", "b=Master@-300"), Set.of());
    assertThat(r.recheckAfter()).contains(Duration.ofMillis(710));
  }

  @Test
  void invalidSpecNamesTheFieldAndKeepsTheRecordedVrid() {
    VirtualIPStatus prev =
        new VirtualIPStatus(2L, 40, "a", Phase.Active, "1/1", nodes("a=Master@-5000"), null);
    Result r =
        StatusAggregator.aggregate(
            new Input(
                prev,
                3,
                List.of(new Violation("spec.addresses[0]", "not an IP address")),
                null,
                null,
                Set.of(),
                NOW,
                ADDRESSES));
    assertThat(r.phase()).isEqualTo(Phase.Invalid);
    assertThat(r.virtualRouterId()).isEqualTo(40);
    Condition c = r.condition("InvalidSpec").orElseThrow();
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getMessage()).isEqualTo("spec.addresses[0]: not an IP address");
    assertThat(r.condition("Ready").orElseThrow().getReason()).isEqualTo("InvalidSpec");
    assertThat(r.condition("VRIDConflict").orElseThrow().getStatus()).isEqualTo("Unknown");
  }

  @Test
  void vridConflictHoldsItPending() {
    Result r =
        StatusAggregator.aggregate(
            new Input(
                null,
                1,
                List.of(),
                new VridAllocator.Decision(9, false, "VRID 9 is already used by VirtualIP \"a\""),
                ONE_SECOND,
                Set.of(),
                NOW,
                ADDRESSES));
    assertThat(r.phase()).isEqualTo(Phase.Pending);
    assertThat(r.virtualRouterId()).isEqualTo(9);
    assertThat(r.condition("VRIDConflict").orElseThrow())
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getMessage()).contains("already used by VirtualIP \"a\"");
            });
  }

  @Test
  void lastTransitionTimeIsStableWhileTheStatusIsTheSame() {
    Map<String, NodeStatus> n = nodes("a=Master@-5000", "b=Backup@-5000");
    Result first = run(n, Set.of());
    VirtualIPStatus written =
        new VirtualIPStatus(
            first.observedGeneration(),
            first.virtualRouterId(),
            first.master(),
            first.phase(),
            first.nodesReady(),
            n,
            first.conditions(),
            first.addressList());
    Instant later = NOW.plusSeconds(60);
    Result same =
        StatusAggregator.aggregate(
            new Input(written, 3, List.of(), OK, ONE_SECOND, Set.of(), later, ADDRESSES));
    assertThat(same.conditions()).isEqualTo(first.conditions());
    assertThat(same.differsFrom(written)).isFalse();

    // b fails: Degraded flips at `later`, Ready keeps its time
    Map<String, NodeStatus> failed = new HashMap<>(n);
    failed.put("b", node("Fault"));
    VirtualIPStatus withFault =
        new VirtualIPStatus(3L, 51, "a", Phase.Active, "2/2", failed, first.conditions());
    Result changed =
        StatusAggregator.aggregate(
            new Input(withFault, 3, List.of(), OK, ONE_SECOND, Set.of(), later, ADDRESSES));
    assertThat(changed.differsFrom(withFault)).isTrue();
    assertThat(changed.condition("Degraded").orElseThrow().getLastTransitionTime())
        .isEqualTo("2026-11-21T12:01:10Z");
    assertThat(changed.condition("Ready").orElseThrow().getLastTransitionTime())
        .isEqualTo("2026-11-21T12:00:10Z");
  }

  /**
   * Issue 11, defect 8: status.master used to be "a,b" in a split brain. It is one node or none;
   * the SplitBrain condition names the holders.
   */
  @Test
  void splitBrainHasNoMasterAndTheConditionNamesTheHolders() {
    Result r = run(nodes("a=Master@-5000", "b=Master@-1500", "c=Backup@-9000"), Set.of());
    assertThat(r.phase()).isEqualTo(Phase.SplitBrain);
    assertThat(r.master()).isNull();
    assertThat(r.condition("SplitBrain").orElseThrow().getMessage())
        .isEqualTo("a, b report Master for longer than one advertisement interval");
    assertThat(r.condition("Ready").orElseThrow().getMessage()).isEqualTo("a, b all report Master");
  }

  @Test
  void noMasterIsEverAList() {
    for (String[] entries :
        List.of(
            new String[] {"a=Master@-5000", "b=Master@-300"},
            new String[] {"a=Master@-5000", "b=Master@-1500"},
            new String[] {"a=Master@-5000", "b=Master@-1500", "c=Master@-200"},
            new String[] {"a=Master", "b=Master"})) {
      String master = run(nodes(entries), Set.of()).master();
      assertThat(master)
          .as(String.join(" ", entries))
          .satisfiesAnyOf(m -> assertThat(m).isNull(), m -> assertThat(m).matches("[a-z]"));
    }
  }

  @Test
  void aBriefSecondMasterDoesNotReplaceThePreviousOne() {
    Map<String, NodeStatus> n = nodes("a=Master@-5000", "b=Master@-300");
    VirtualIPStatus prev = new VirtualIPStatus(3L, 51, "a", Phase.Active, "2/2", n, null);
    Result r =
        StatusAggregator.aggregate(
            new Input(prev, 3, List.of(), OK, ONE_SECOND, Set.of(), NOW, ADDRESSES));
    assertThat(r.phase()).isEqualTo(Phase.Active);
    assertThat(r.master()).isEqualTo("a");
    assertThat(r.condition("Ready").orElseThrow().getMessage())
        .isEqualTo("a is master (a, b report Master, for now)");
  }

  /** Issue 11, defect 8: the ADDRESSES column reads status.addressList, one plain text. */
  @Test
  void addressListIsThePlainTextOfTheSpecAddresses() {
    Result r = run(nodes("a=Master@-5000"), Set.of());
    assertThat(r.addressList()).isEqualTo("192.0.2.200/24, 2001:db8::200/64");
    VirtualIPStatus written =
        new VirtualIPStatus(
            r.observedGeneration(),
            r.virtualRouterId(),
            r.master(),
            r.phase(),
            r.nodesReady(),
            nodes("a=Master@-5000"),
            r.conditions(),
            "192.0.2.200/24");
    assertThat(r.differsFrom(written)).as("a changed address list is written").isTrue();
  }

  private static Result withCandidates(
      Map<String, NodeStatus> nodes, Set<String> gone, CandidateChoice choice) {
    return StatusAggregator.aggregate(
        new Input(
            status(nodes), 3, List.of(), OK, ONE_SECOND, Set.of(), NOW, ADDRESSES, gone, choice));
  }

  private static CandidateChoice choice(int matched, String... names) {
    return new CandidateChoice(
        Stream.of(names).map(n -> new Candidate(n, List.of())).toList(),
        matched,
        names.length,
        names.length == 0 ? 5 : 0);
  }

  @Test
  void pastTheLimitCandidatesLimitedNamesTheCountTheValueAndTheRemedy() {
    Result r = withCandidates(nodes("a=Master@-5000"), Set.of(), choice(40, "a", "b"));
    assertThat(r.candidates()).extracting(Candidate::name).containsExactly("a", "b");
    Condition c = r.condition("CandidatesLimited").orElseThrow();
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo("TooManyNodes");
    assertThat(c.getMessage())
        .contains("40 nodes match")
        .contains("limit of 2")
        .contains("Helm value maxCandidates")
        .contains("spec.nodeSelector")
        .contains("spec.priority.order");
    assertThat(r.phase()).isEqualTo(Phase.Active);

    Result within = withCandidates(nodes("a=Master@-5000"), Set.of(), choice(2, "a", "b"));
    assertThat(within.condition("CandidatesLimited").orElseThrow().getStatus()).isEqualTo("False");
    // unchanged candidates and conditions: nothing to write
    VirtualIPStatus written =
        new VirtualIPStatus(
            within.observedGeneration(),
            within.virtualRouterId(),
            within.master(),
            within.phase(),
            within.nodesReady(),
            nodes("a=Master@-5000"),
            within.conditions(),
            within.addressList(),
            within.candidates());
    assertThat(within.differsFrom(written)).isFalse();
    assertThat(
            withCandidates(nodes("a=Master@-5000"), Set.of(), choice(2, "b", "a"))
                .differsFrom(written))
        .isTrue();
  }

  @Test
  void noCandidatesIsPendingAndSaysWhereAgentsRun() {
    Result r = withCandidates(nodes(), Set.of(), choice(0));
    assertThat(r.phase()).isEqualTo(Phase.Pending);
    Condition ready = r.condition("Ready").orElseThrow();
    assertThat(ready.getReason()).isEqualTo("NoCandidates");
    assertThat(ready.getMessage())
        .contains("5 nodes that run an agent")
        .contains("agent.nodeSelector")
        .contains("spec.nodeSelector");
    assertThat(r.candidates()).isEmpty();
  }

  @Test
  void entriesOfDeletedNodesAreIgnoredAndRemoved() {
    Result r =
        withCandidates(
            nodes("gone=Master@-5000", "b=Backup@-5000"), Set.of("gone", "never"), choice(1, "b"));
    assertThat(r.removedNodes()).containsExactly("gone");
    assertThat(r.master()).isNull();
    assertThat(r.phase()).isEqualTo(Phase.NoMaster);
    assertThat(r.nodesReady()).isEqualTo("1/1");
    assertThat(r.differsFrom(status(nodes("gone=Master@-5000", "b=Backup@-5000")))).isTrue();
  }
}
