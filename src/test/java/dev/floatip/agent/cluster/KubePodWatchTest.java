package dev.floatip.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floatip.testing.MockApiServer;
import dev.floatip.testing.apiserver.Identity;
import dev.floatip.tracking.PodCount;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KubePodWatch} against the strict test API server, as the agents' ServiceAccount (with the
 * agents' ClusterRole): the server answers the {@code spec.nodeName} field selector on lists and
 * watches, so the watch is the one the agent runs.
 */
class KubePodWatchTest {

  private static final Duration LONG = Duration.ofSeconds(20);
  private static final String NODE = "node-a";

  private MockApiServer server;

  /** The test's own writes: admin. */
  private KubernetesClient client;

  /** The agent's client. */
  private KubernetesClient agent;

  private KubePodWatch watch;

  @BeforeEach
  void start() {
    server = MockApiServer.start();
    server.createAgentRbac();
    server.createNamespace("dns");
    server.createNamespace("web");
    client = server.client();
    agent = server.newClient(Identity.AGENT);
  }

  @AfterEach
  void close() {
    if (watch != null) {
      watch.close();
    }
    agent.close();
    server.close();
  }

  /** The counts one subscription received, in order. */
  private static final class Counts implements Consumer<PodCount> {
    final List<PodCount> seen = new CopyOnWriteArrayList<>();

    @Override
    public void accept(PodCount count) {
      seen.add(count);
    }

    void awaitLast(int ready, int total) {
      PodCount want = new PodCount(ready, total);
      await()
          .atMost(LONG)
          .untilAsserted(() -> assertThat(seen).isNotEmpty().last().isEqualTo(want));
    }
  }

  private static LabelSelector app(String app) {
    return new LabelSelectorBuilder().withMatchLabels(Map.of("app", app)).build();
  }

  private static Pod pod(String namespace, String name, String node, String app, boolean ready) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withLabels(Map.of("app", app))
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  private void create(Pod pod) {
    client.resource(pod).create();
  }

  private void ready(String namespace, String name, boolean ready) {
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            p ->
                new PodBuilder(p)
                    .editStatus()
                    .editFirstCondition()
                    .withStatus(ready ? "True" : "False")
                    .endCondition()
                    .endStatus()
                    .build());
  }

  private KubePodWatch started() {
    watch = new KubePodWatch(agent, NODE);
    watch.start();
    return watch;
  }

  @Test
  void countsReadyPodsOfThisNodeNamespaceAndSelectorOnly() {
    create(pod("dns", "a1", NODE, "unbound", true));
    create(pod("dns", "a2", NODE, "unbound", false));
    create(pod("dns", "a3", NODE, "other", true)); // selector does not match
    create(pod("dns", "b1", "node-b", "unbound", true)); // another node
    create(pod("web", "w1", NODE, "unbound", true)); // another namespace
    Counts counts = new Counts();
    watch = new KubePodWatch(agent, NODE);
    watch.subscribe("dns", app("unbound"), counts);
    assertThat(counts.seen).isEmpty(); // nothing before the initial list

    watch.start();
    counts.awaitLast(1, 2);

    ready("dns", "a2", true);
    counts.awaitLast(2, 2);

    // Changes that must not count: if any did, its count would come before the next one.
    create(pod("dns", "b2", "node-b", "unbound", true));
    create(pod("web", "w2", NODE, "unbound", true));
    create(pod("dns", "a4", NODE, "other", true));
    ready("dns", "b1", false);
    ready("web", "w1", false);
    ready("dns", "a3", false);

    ready("dns", "a1", false);
    counts.awaitLast(1, 2);

    create(pod("dns", "a5", NODE, "unbound", true));
    counts.awaitLast(2, 3);

    client.pods().inNamespace("dns").withName("a2").delete();
    counts.awaitLast(1, 2);

    assertThat(counts.seen)
        .containsExactly(
            new PodCount(1, 2),
            new PodCount(2, 2),
            new PodCount(1, 2),
            new PodCount(2, 3),
            new PodCount(1, 2));
  }

  @Test
  void aTerminatingPodIsNotReady() {
    create(
        new PodBuilder(pod("dns", "a1", NODE, "unbound", true))
            .editMetadata()
            .addToFinalizers("floatip.dev/test")
            .endMetadata()
            .build());
    create(pod("dns", "a2", NODE, "unbound", true));
    Counts counts = new Counts();
    started().subscribe("dns", app("unbound"), counts);
    counts.awaitLast(2, 2);

    // With a finalizer the pod stays, with a deletionTimestamp, still reporting Ready.
    client.pods().inNamespace("dns").withName("a1").delete();
    counts.awaitLast(1, 2);
    assertThat(client.pods().inNamespace("dns").withName("a1").get().getStatus().getConditions())
        .singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
  }

  @Test
  void onlyRunningPodsWithReadyTrueAreReady() {
    Pod ready = pod("dns", "a", NODE, "unbound", true);
    assertThat(KubePodWatch.ready(ready)).isTrue();
    assertThat(KubePodWatch.ready(pod("dns", "a", NODE, "unbound", false))).isFalse();
    assertThat(
            KubePodWatch.ready(
                new PodBuilder(ready).editStatus().withPhase("Pending").endStatus().build()))
        .isFalse();
    assertThat(
            KubePodWatch.ready(
                new PodBuilder(ready).editStatus().withConditions(List.of()).endStatus().build()))
        .isFalse();
    assertThat(
            KubePodWatch.ready(
                new PodBuilder(ready)
                    .editMetadata()
                    .withDeletionTimestamp("2026-01-01T00:00:00Z")
                    .endMetadata()
                    .build()))
        .isFalse();
    assertThat(KubePodWatch.ready(new PodBuilder(ready).withStatus(null).build())).isFalse();
  }

  @Test
  void matchExpressionsSelect() {
    create(labelled("a", Map.of("app", "dns", "tier", "edge")));
    create(labelled("b", Map.of("app", "dns", "tier", "core")));
    create(labelled("c", Map.of("app", "dns", "tier", "edge", "canary", "yes")));
    create(labelled("d", Map.of("app", "web", "tier", "edge")));
    create(labelled("e", Map.of("app", "dns")));
    LabelSelector selector =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("app")
            .withOperator("In")
            .withValues("dns", "resolver")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("tier")
            .withOperator("NotIn")
            .withValues("core")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("tier")
            .withOperator("Exists")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("canary")
            .withOperator("DoesNotExist")
            .endMatchExpression()
            .build();
    Counts counts = new Counts();
    started().subscribe("dns", selector, counts);
    counts.awaitLast(1, 1); // only "a"

    create(labelled("f", Map.of("app", "resolver", "tier", "edge")));
    counts.awaitLast(2, 2);
  }

  private static Pod labelled(String name, Map<String, String> labels) {
    return new PodBuilder(pod("dns", name, NODE, "x", true))
        .editMetadata()
        .withLabels(labels)
        .endMetadata()
        .build();
  }

  @Test
  void aLateSubscriberGetsTheCurrentCountAndAClosedOneNothingMore() {
    create(pod("dns", "a1", NODE, "unbound", true));
    Counts early = new Counts();
    started().subscribe("dns", app("unbound"), early);
    early.awaitLast(1, 1);

    Counts late = new Counts();
    var lateSubscription = watch.subscribe("dns", app("unbound"), late);
    late.awaitLast(1, 1);
    Counts empty = new Counts();
    watch.subscribe("dns", app("nothing"), empty);
    empty.awaitLast(0, 0);

    lateSubscription.close();
    create(pod("dns", "a2", NODE, "unbound", false));
    early.awaitLast(1, 2);
    ready("dns", "a2", true);
    early.awaitLast(2, 2);

    assertThat(late.seen).containsExactly(new PodCount(1, 1));
    assertThat(empty.seen).containsExactly(new PodCount(0, 0));
  }

  @Test
  void aFailingListenerDoesNotStopTheWatch() {
    create(pod("dns", "a1", NODE, "unbound", true));
    started()
        .subscribe(
            "dns",
            app("unbound"),
            c -> {
              throw new IllegalStateException("listener bug");
            });
    Counts counts = new Counts();
    watch.subscribe("dns", app("unbound"), counts);
    counts.awaitLast(1, 1);
    ready("dns", "a1", false);
    counts.awaitLast(0, 1);
  }

  @Test
  void askTheServerForThisNodesPodsOnly() throws InterruptedException {
    watch = new KubePodWatch(agent, NODE);
    watch.start();
    long deadline = System.nanoTime() + LONG.toNanos();
    String path = "";
    while (!path.contains("/api/v1/pods?") && System.nanoTime() < deadline) {
      RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
      path = request == null ? "" : request.getPath();
    }
    assertThat(path).startsWith("/api/v1/pods?").contains("fieldSelector=spec.nodeName%3Dnode-a");
  }
}
