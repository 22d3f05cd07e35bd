package dev.floatip.agent.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floatip.agent.RouterId;
import dev.floatip.agent.RouterStatus;
import dev.floatip.api.v1alpha1.NodeState;
import dev.floatip.api.v1alpha1.NodeStatus;
import dev.floatip.config.IpLiteral;
import dev.floatip.testing.apiserver.Identity;
import dev.floatip.tracking.Effective;
import dev.floatip.vrrp.Counters;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.Reason;
import dev.floatip.vrrp.State;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Status writes of many agents against the mock API server: none lost, none in a storm. */
class StatusReporterTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private MockCluster cluster;
  private final List<StatusReporter> reporters = new ArrayList<>();
  private final List<KubernetesClient> clients = new ArrayList<>();

  @BeforeEach
  void setUp() {
    cluster = new MockCluster();
    cluster.apply(
        """
        apiVersion: floatip.dev/v1alpha1
        kind: VirtualIP
        metadata: {name: web}
        spec: {addresses: [192.0.2.200/24], virtualRouterId: 51}
        """);
  }

  @AfterEach
  void tearDown() {
    reporters.forEach(StatusReporter::close);
    clients.forEach(KubernetesClient::close);
    cluster.close();
  }

  /** One agent's routers, changed by the test. */
  private static final class FakeRouters implements StatusReporter.Source {
    volatile RouterStatus router;

    @Override
    public CompletableFuture<List<RouterStatus>> routers() {
      return CompletableFuture.completedFuture(router == null ? List.of() : List.of(router));
    }

    @Override
    public Optional<Effective> checks(String vip) {
      return Optional.empty();
    }
  }

  private static RouterStatus router(String node, State state, int priority) {
    return new RouterStatus(
        new RouterId("web", IpFamily.IPV4),
        "eth0",
        51,
        state,
        priority,
        Optional.empty(),
        Optional.of(Instant.parse("2026-11-22T00:00:00Z").plusMillis(priority)),
        Optional.of(Reason.MASTER_DOWN),
        Set.of(),
        false,
        new Counters.Snapshot(Map.of(), 0, 0, 0, 0, 0, 0),
        IpLiteral.parse("192.0.2." + (10 + Integer.parseInt(node.substring(5)))).orElseThrow());
  }

  /** The entries of "web" (none before the first write). */
  private Map<String, NodeStatus> nodes() {
    var status = cluster.get("web").getStatus();
    return status == null || status.nodes() == null ? Map.of() : status.nodes();
  }

  private StatusReporter reporter(String node, FakeRouters source) {
    StatusReporter r =
        new StatusReporter(cluster.newClient(), node, source, java.time.InstantSource.system());
    reporters.add(r);
    r.start();
    return r;
  }

  @Test
  void twentyAgentsWritingAtOnceLoseNoUpdate() throws Exception {
    int agents = 20;
    int changes = 50;
    ExecutorService pool = Executors.newFixedThreadPool(agents);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    List<StatusReporter> all = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      String node = "node-" + i;
      FakeRouters source = new FakeRouters();
      StatusReporter r = reporter(node, source);
      all.add(r);
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int k = 1; k <= changes; k++) {
                  source.router = router(node, k % 2 == 0 ? State.MASTER : State.BACKUP, k);
                  r.report("web", new StatusReporter.Running(1, 100));
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    // every agent's key ends at its last value (priority 50, Master), none overwritten by another
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Map<String, NodeStatus> nodes = nodes();
              return nodes.size() == agents
                  && nodes.values().stream()
                      .allMatch(n -> n.priority() == changes && n.state() == NodeState.Master);
            });
    // coalesced: 50 changes in a burst are far fewer writes per agent
    for (StatusReporter r : all) {
      assertThat(r.writes()).isBetween(1L, 10L);
    }
  }

  @Test
  void aFailoverCostsOneWriteAndASteadyStateNone() {
    // the mass-failover budget of the README: one patch per VirtualIP that becomes master here
    FakeRouters source = new FakeRouters();
    StatusReporter r = reporter("node-1", source);
    source.router = router("node-1", State.BACKUP, 100);
    r.report("web", new StatusReporter.Running(1, 100));
    await().atMost(WAIT).until(() -> cluster.entry("web", "node-1").isPresent());
    assertThat(r.writes()).isEqualTo(1);
    // steady backup: the periodic flushes (every second) write nothing
    await().during(Duration.ofMillis(2200)).atMost(WAIT).until(() -> r.writes() == 1);

    // the master died: this node takes over
    source.router = router("node-1", State.MASTER, 100);
    r.requestFlush();
    await()
        .atMost(WAIT)
        .until(() -> cluster.entry("web", "node-1").orElseThrow().state() == NodeState.Master);
    await().during(Duration.ofMillis(2200)).atMost(WAIT).until(() -> r.writes() == 2);
  }

  @Test
  void repeatingAReportKeepsItsTimeAndWritesOnce() {
    StatusReporter r = reporter("node-1", new FakeRouters());
    Instant first = Instant.parse("2026-11-22T01:00:00Z");
    r.report("web", new StatusReporter.NotRunning(1, "no interface", first));
    await().atMost(WAIT).until(() -> cluster.entry("web", "node-1").isPresent());

    for (int i = 1; i <= 20; i++) {
      r.report("web", new StatusReporter.NotRunning(1, "no interface", first.plusSeconds(i)));
    }
    r.flushNow(Duration.ofSeconds(5));

    assertThat(r.writes()).isEqualTo(1);
    NodeStatus entry = cluster.entry("web", "node-1").orElseThrow();
    assertThat(entry.state()).isEqualTo(NodeState.Fault);
    assertThat(entry.reason()).isEqualTo("not run: no interface");
    assertThat(entry.since()).isEqualTo("2026-11-22T01:00:00Z");
  }

  @Test
  void aRemovedEntryGoesAndOtherAgentsEntriesStay() {
    FakeRouters a = new FakeRouters();
    FakeRouters b = new FakeRouters();
    a.router = router("node-1", State.MASTER, 120);
    b.router = router("node-2", State.BACKUP, 100);
    StatusReporter ra = reporter("node-1", a);
    StatusReporter rb = reporter("node-2", b);
    ra.report("web", new StatusReporter.Running(1, 120));
    rb.report("web", new StatusReporter.Running(1, 100));
    await().atMost(WAIT).until(() -> nodes().size() == 2);

    rb.remove("web");

    await().atMost(WAIT).until(() -> nodes().keySet().equals(Set.of("node-1")));
    assertThat(cluster.entry("web", "node-1").orElseThrow().priority()).isEqualTo(120);
  }

  @Test
  void theOperatorsFieldsAndTheAgentsEntriesDoNotOverwriteEachOther() {
    FakeRouters a = new FakeRouters();
    a.router = router("node-1", State.MASTER, 120);
    StatusReporter ra = reporter("node-1", a);
    ra.report("web", new StatusReporter.Running(1, 120));
    await().atMost(WAIT).until(() -> cluster.entry("web", "node-1").isPresent());

    cluster.operatorStatus("web", "{\"master\":\"node-1\",\"virtualRouterId\":51}");
    a.router = router("node-1", State.BACKUP, 90);
    ra.requestFlush();

    await()
        .atMost(WAIT)
        .until(() -> cluster.entry("web", "node-1").orElseThrow().state() == NodeState.Backup);
    assertThat(cluster.get("web").getStatus().master()).isEqualTo("node-1");
    assertThat(cluster.get("web").getStatus().virtualRouterId()).isEqualTo(51);
  }

  @Test
  void aVirtualIPDeletedFromTheApiIsNotRetriedForever() {
    FakeRouters a = new FakeRouters();
    a.router = router("node-1", State.MASTER, 120);
    StatusReporter ra = reporter("node-1", a);
    cluster.client.resources(dev.floatip.api.v1alpha1.VirtualIP.class).withName("web").delete();
    await().atMost(WAIT).until(() -> cluster.get("web") == null);

    ra.report("web", new StatusReporter.Running(1, 120));
    await().atMost(WAIT).until(() -> !ra.reports("web"));
    assertThat(ra.writes()).isZero();
    // a 404 is "gone", not an outage: a second VirtualIP is still written at once
    cluster.apply(
        """
        apiVersion: floatip.dev/v1alpha1
        kind: VirtualIP
        metadata: {name: api}
        spec: {addresses: [192.0.2.201/24], virtualRouterId: 52}
        """);
    ra.report("api", new StatusReporter.Running(1, 120));
    await().atMost(WAIT).until(() -> cluster.entry("api", "node-1").isPresent());
  }

  @Test
  void foreignVridsAreWrittenIntoEachEntryWhenTheyChangeOnly() {
    FakeRouters a = new FakeRouters();
    a.router = router("node-1", State.MASTER, 120);
    StatusReporter r = reporter("node-1", a);
    r.report("web", new StatusReporter.Running(1, 120));
    r.flushNow(Duration.ofSeconds(5));
    assertThat(cluster.entry("web", "node-1").orElseThrow().foreignVrids()).isNull();
    long before = r.writes();

    r.foreignVrids(List.of(77, 3, 77));
    r.flushNow(Duration.ofSeconds(5));
    assertThat(cluster.entry("web", "node-1").orElseThrow().foreignVrids()).containsExactly(3, 77);
    assertThat(r.writes()).isEqualTo(before + 1);

    // the same set again, in another order: nothing to write
    r.foreignVrids(Set.of(3, 77));
    r.flushNow(Duration.ofSeconds(5));
    assertThat(r.writes()).isEqualTo(before + 1);

    // none heard any more: the field goes
    r.foreignVrids(Set.of());
    r.flushNow(Duration.ofSeconds(5));
    NodeStatus entry = cluster.entry("web", "node-1").orElseThrow();
    assertThat(entry.foreignVrids()).isNull();
    assertThat(entry.state()).isEqualTo(NodeState.Master);
    assertThat(r.writes()).isEqualTo(before + 2);
  }

  @Test
  void failedWritesAreRetriedAfterTheBackoffDelaysOnTheInjectedClock() {
    // virtual time: the reporter's retry schedule reads only the clock it was given
    Instant t0 = Instant.parse("2026-11-22T02:00:00Z");
    AtomicReference<Instant> now = new AtomicReference<>(t0);
    String path = "/apis/floatip.dev/v1alpha1/virtualips/web/status";
    cluster.api.failNext("PATCH", path, 503, 3);
    KubernetesClient client = clientWithoutRetries();
    StatusReporter r = new StatusReporter(client, "node-1", new FakeRouters(), now::get);
    reporters.add(r); // not started: the test drives every flush, no periodic one runs

    r.report("web", new StatusReporter.NotRunning(1, "no interface", t0)); // flushes: failure 1
    assertThat(flushedAt(r, now, t0)).isFalse();

    // each failure's retry comes exactly delayAfter(n) later, not a millisecond before
    Instant failedAt = t0;
    for (int failure = 1; failure <= 3; failure++) {
      Duration delay = StatusReporter.RETRY.delayAfter(failure);
      assertThat(delay).isEqualTo(Duration.ofSeconds(1L << (failure - 1)));
      // a try before the delay ends would take the next injected failure and let the write
      // through one step early
      assertThat(flushedAt(r, now, failedAt.plus(delay).minusMillis(1))).isFalse();
      failedAt = failedAt.plus(delay);
      assertThat(flushedAt(r, now, failedAt)).isEqualTo(failure == 3);
    }
    assertThat(failedAt).isEqualTo(t0.plusSeconds(1 + 2 + 4));
    NodeStatus entry = cluster.entry("web", "node-1").orElseThrow();
    assertThat(entry.since()).isEqualTo("2026-11-22T02:00:00Z");
    assertThat(r.writes()).isEqualTo(1);

    // a success starts the backoff over: the next outage waits 1 s again, not 8 s
    cluster.api.failNext("PATCH", path, 503, 1);
    Instant later = failedAt.plusSeconds(60);
    now.set(later);
    r.report("web", new StatusReporter.NotRunning(2, "no interface", later));
    assertThat(flushedAt(r, now, later)).isFalse();
    assertThat(flushedAt(r, now, later.plusMillis(999))).isFalse();
    assertThat(flushedAt(r, now, later.plusSeconds(1))).isTrue();
    assertThat(cluster.entry("web", "node-1").orElseThrow().observedGeneration()).isEqualTo(2L);
  }

  /**
   * Moves the virtual clock to {@code at}, asks for a flush and waits until the reporter's thread
   * has run it; true if the entry got written by it.
   */
  private static boolean flushedAt(StatusReporter r, AtomicReference<Instant> now, Instant at) {
    now.set(at);
    long before = r.writes();
    r.requestFlush();
    return r.writes() > before; // writes() runs after the flush on the same thread
  }

  /** The agents' identity, with Fabric8's own retries off: one failed flush is one request. */
  private KubernetesClient clientWithoutRetries() {
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                    .withMasterUrl(cluster.api.url() + "/")
                    .withNamespace("default")
                    .withHttp2Disable(true)
                    .withOauthToken(Identity.AGENT.token())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    clients.add(client);
    return client;
  }
}
