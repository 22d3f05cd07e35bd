package dev.floatip.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.operator.model.OperatorConfig;
import dev.floatip.operator.model.Vips;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The planner on its own: it computes after the inputs listed, and a new plan reconciles only the
 * VirtualIPs it concerns differently (a Node event reaches no other VirtualIP).
 */
class PlannerTest {

  private final List<Node> nodes = new CopyOnWriteArrayList<>();
  private final List<VirtualIP> vips = new CopyOnWriteArrayList<>();
  private final Set<String> fired = ConcurrentHashMap.newKeySet();
  private final Planner planner = new Planner(OperatorConfig.defaults(), v -> List.of());

  @AfterEach
  void stop() {
    planner.stop();
  }

  private static Node node(String name, String role) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(Map.of("role", role))
        .endMetadata()
        .build();
  }

  private static VirtualIP vip(String name, String role, String entryOf) {
    VirtualIP v =
        Vips.vip(
            name, "{addresses: [192.0.2.1], nodeSelector: {matchLabels: {role: " + role + "}}}");
    v.getMetadata().setUid(name + "-uid");
    v.getMetadata().setGeneration(1L);
    if (entryOf != null) {
      v.setStatus(
          new VirtualIPStatus(
              1L,
              null,
              null,
              null,
              null,
              Map.of(
                  entryOf,
                  new NodeStatus(
                      NodeState.Backup, 100, 100, null, null, null, null, 1L, null, null)),
              null));
    }
    return v;
  }

  /** The next plan after {@code change}, and which VirtualIPs it reconciled. */
  private Set<String> after(Runnable change) {
    long before = planner.computations();
    fired.clear();
    change.run();
    planner.changed();
    await().atMost(Duration.ofSeconds(10)).until(() -> planner.computations() > before);
    return Set.copyOf(fired);
  }

  @Test
  void aNewPlanReconcilesOnlyTheVirtualIPsItConcernsDifferently() {
    nodes.addAll(List.of(node("web-1", "web"), node("db-1", "db"), node("old", "none")));
    vips.addAll(List.of(vip("web", "web", null), vip("db", "db", "old")));
    boolean[] listed = {false};
    planner.inputs(() -> nodes.stream(), () -> vips.stream(), () -> listed[0]);
    planner.setEventHandler(e -> fired.add(e.getRelatedCustomResourceID().getName()));
    planner.start();
    assertThat(planner.current()).as("nothing before the informers listed").isNull();

    // the first plan reconciles every VirtualIP
    assertThat(after(() -> listed[0] = true)).containsExactlyInAnyOrder("web", "db");
    assertThat(planner.current().vips().get("web").candidates().names()).containsExactly("web-1");

    // a node joins the web pool: only web
    assertThat(after(() -> nodes.add(node("web-2", "web")))).containsExactly("web");
    // a node that no VirtualIP selects nor holds an entry of: none
    assertThat(after(() -> nodes.add(node("spare", "none")))).isEmpty();
    // the node db holds an entry of goes: only db (its entry is to be removed)
    assertThat(after(() -> nodes.removeIf(n -> n.getMetadata().getName().equals("old"))))
        .containsExactly("db");
    // a new VirtualIP: only it
    assertThat(after(() -> vips.add(vip("web2", "web", null)))).containsExactly("web2");
  }

  @Test
  void theOperatorsOwnVridWriteDoesNotChangeThePlan() {
    VirtualIP web = vip("web", "web", null);
    vips.add(web);
    planner.inputs(() -> nodes.stream(), () -> vips.stream(), () -> true);
    planner.setEventHandler(e -> fired.add(e.getRelatedCustomResourceID().getName()));
    planner.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> planner.current() != null);
    int vrid = planner.current().vips().get("web").vrid().vrid();

    VirtualIP written = vip("web", "web", null);
    written.setStatus(new VirtualIPStatus(1L, vrid, null, null, null, null, null));
    assertThat(planner.peerChangeMatters(written, web)).isFalse();
    VirtualIP other = vip("web", "web", null);
    other.setStatus(new VirtualIPStatus(1L, vrid % 255 + 1, null, null, null, null, null));
    assertThat(planner.peerChangeMatters(other, web)).isTrue();
    VirtualIP edited = vip("web", "web", null);
    edited.getMetadata().setGeneration(2L);
    assertThat(planner.peerChangeMatters(edited, web)).isTrue();
  }
}
