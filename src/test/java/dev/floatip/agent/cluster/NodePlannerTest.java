package dev.floatip.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.floatip.agent.RouterStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.tracking.Effective;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What {@link NodePlanner} passes to {@link Placement#decide}: it leaves out only VirtualIPs whose
 * decision could do nothing on this node, so that skipping them (and their validation, N times per
 * plan in a cluster of N VirtualIPs) changes no outcome.
 */
class NodePlannerTest {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final String SPEC = "spec: {addresses: [192.0.2.100/24], virtualRouterId: 51}\n";

  private static VirtualIP vip(String metadataExtras, String body) {
    try {
      return YAML.readValue(
          "apiVersion: floatip.dev/v1alpha1\nkind: VirtualIP\nmetadata: {name: web, generation: 1"
              + metadataExtras
              + "}\n"
              + body,
          VirtualIP.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Node SELF =
      new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build();

  private final StatusReporter reporter =
      new StatusReporter(
          null, // never started: nothing is written
          "n1",
          new StatusReporter.Source() {
            @Override
            public CompletableFuture<List<RouterStatus>> routers() {
              return CompletableFuture.completedFuture(List.of());
            }

            @Override
            public Optional<Effective> checks(String vip) {
              return Optional.empty();
            }
          },
          InstantSource.system());

  private final NodePlanner planner =
      new NodePlanner("n1", null, reporter, null, InstantSource.system());

  /** VirtualIPs of every kind that do not concern n1 as far as the objects go. */
  private static final Map<String, VirtualIP> NOT_N1 =
      Map.of(
          "candidates of other nodes",
          vip("", SPEC + "status: {virtualRouterId: 51, candidates: [{name: n2}, {name: n3}]}"),
          "no candidates yet",
          vip("", SPEC),
          "no VRID yet",
          vip("", "spec: {addresses: [192.0.2.100/24]}\nstatus: {candidates: [{name: n2}]}"),
          "invalid spec",
          vip("", "spec: {addresses: [not-an-address]}\nstatus: {candidates: [{name: n2}]}"),
          "VRID conflict",
          vip(
              "",
              SPEC
                  + "status: {candidates: [{name: n2}], conditions: [{type: VRIDConflict,"
                  + " status: 'True', reason: R, message: m, lastTransitionTime:"
                  + " '2026-01-01T00:00:00Z'}]}"),
          "a Stopped entry of n1 left",
          vip("", SPEC + "status: {candidates: [{name: n2}], nodes: {n1: {state: Stopped}}}"));

  @Test
  void whatItLeavesOutWouldBeASkipThatChangesNothing() {
    NOT_N1.forEach(
        (what, v) -> {
          assertThat(planner.mayConcern(v, SELF)).as(what).isFalse();
          assertThat(Placement.decide(v, SELF)).as(what).isInstanceOf(Placement.Skip.class);
        });
  }

  @Test
  void aVirtualIPListingThisNodeIsDecided() {
    VirtualIP listed =
        vip("", SPEC + "status: {virtualRouterId: 51, candidates: [{name: n2}, {name: n1}]}");
    assertThat(planner.mayConcern(listed, SELF)).isTrue();
    assertThat(Placement.decide(listed, SELF)).isInstanceOf(Placement.Run.class);
  }

  @Test
  void oneThisNodeHasAnEntryInOrReportsIsDecidedSoThatItsEntryIsRemoved() {
    VirtualIP entry =
        vip("", SPEC + "status: {candidates: [{name: n2}], nodes: {n1: {state: Backup}}}");
    assertThat(planner.mayConcern(entry, SELF)).isTrue();

    VirtualIP reported = NOT_N1.get("candidates of other nodes");
    reporter.report("web", new StatusReporter.Running(1, 100));
    assertThat(planner.mayConcern(reported, SELF)).isTrue();
  }

  @Test
  void deletionsAndAnUnknownNodeAreAlwaysDecided() {
    VirtualIP deleting =
        vip(", deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: [floatip.dev/release]", SPEC);
    assertThat(planner.mayConcern(deleting, SELF)).isTrue();
    assertThat(Placement.decide(deleting, SELF)).isInstanceOf(Placement.Release.class);
    assertThat(planner.mayConcern(NOT_N1.get("candidates of other nodes"), null)).isTrue();
    assertThat(planner.mayConcern(vip("", "status: {}"), SELF)).as("no spec").isTrue();
  }
}
