package dev.floatip.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.floatip.operator.model.AgentRbacFactory;
import dev.floatip.operator.model.Labels;
import dev.floatip.operator.model.OperatorConfig;
import dev.floatip.testing.MockApiServer;
import dev.floatip.testing.apiserver.Identity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How {@link AgentResources} writes the agents' objects, against the strict test API server as the
 * operator's ServiceAccount. Issue 11, defect 2: kube-apiserver authorizes a POST before it looks
 * whether the object exists, and for a ClusterRole runs the escalation check on a request that
 * carries no name, so an object that exists is never POSTed again. Issue 13: the live objects are
 * compared with the config (no hash): hand edits are repaired, what others add that is not drift is
 * kept, and nothing is written (or read) while they match.
 */
class AgentResourcesTest {

  private final OperatorConfig cfg =
      OperatorConfig.defaults().withNamespace(MockApiServer.NAMESPACE);
  private final EventCorrelatorTest.FakeClock clock = new EventCorrelatorTest.FakeClock();

  /** One server for the class (starting one takes seconds); each test starts without agents. */
  private static MockApiServer mock;

  private static KubernetesClient admin;
  private static KubernetesClient operator;

  @BeforeAll
  static void start() {
    mock = MockApiServer.start();
    admin = mock.client();
    operator = mock.client(Identity.OPERATOR);
  }

  @AfterAll
  static void stop() {
    mock.close();
  }

  @AfterEach
  void noRefusalsAndNoAgents() {
    assertThat(mock.componentRefusals()).as("requests the API server refused").isEmpty();
    new AgentResources(admin, cfg, clock).deleteAll();
  }

  private AgentResources resources() {
    return new AgentResources(operator, cfg, clock);
  }

  /** Method and path (no query) of every request since the last call. */
  private List<String> requests() throws InterruptedException {
    List<String> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = mock.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      out.add(r.getMethod() + " " + r.getPath().split("\\?")[0]);
    }
    return out;
  }

  private List<String> writes() throws InterruptedException {
    return requests().stream().filter(r -> !r.startsWith("GET")).toList();
  }

  private DaemonSet live() {
    return admin.apps().daemonSets().inNamespace(cfg.namespace()).withName(cfg.agentName()).get();
  }

  private DaemonSet editAsAdmin(UnaryOperator<DaemonSet> edit) {
    return admin
        .apps()
        .daemonSets()
        .inNamespace(cfg.namespace())
        .withName(cfg.agentName())
        .edit(edit);
  }

  private static PodSpec pod(DaemonSet d) {
    return d.getSpec().getTemplate().getSpec();
  }

  @Test
  void missingObjectsAreCreatedOnceThenNothingIsSent() throws InterruptedException {
    AgentResources r = resources();
    requests();
    assertThat(r.sync(true, Optional.empty())).isTrue();
    assertThat(writes())
        .containsExactly(
            "POST /api/v1/namespaces/floatip/serviceaccounts",
            "POST /apis/rbac.authorization.k8s.io/v1/clusterroles",
            "POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
            "POST /apis/apps/v1/namespaces/floatip/daemonsets");
    assertThat(admin.rbac().clusterRoles().withName(cfg.agentName()).get().getRules())
        .isEqualTo(AgentRbacFactory.clusterRole(cfg).getRules());
    assertThat(live().getMetadata().getAnnotations())
        .as("no hash annotation any more")
        .isNullOrEmpty();

    // steady state: the informer's copy matches, nothing is written and nothing read
    Optional<DaemonSet> cached = Optional.of(live());
    requests();
    for (int i = 0; i < 10; i++) {
      assertThat(r.sync(true, cached)).isFalse();
    }
    assertThat(requests()).isEmpty();
    assertThat(live().getMetadata().getGeneration()).isEqualTo(1L);
  }

  @Test
  void nothingIsCreatedWithoutAVirtualIPToRun() throws InterruptedException {
    requests();
    assertThat(resources().sync(false, Optional.empty())).isFalse();
    assertThat(requests()).isEmpty();
    assertThat(live()).isNull();
  }

  @Test
  void existingObjectsAreUpdatedByNameNeverPosted() throws InterruptedException {
    resources().sync(true, Optional.empty());
    // an older operator's ClusterRole (it granted Secrets cluster-wide) and its hashed DaemonSet
    ClusterRole old =
        new ClusterRoleBuilder(admin.rbac().clusterRoles().withName(cfg.agentName()).get())
            .addToRules(
                new PolicyRuleBuilder()
                    .withApiGroups("")
                    .withResources("secrets")
                    .withVerbs("get")
                    .build())
            .build();
    admin.resource(old).update();
    editAsAdmin(
        d -> {
          d.getMetadata().setAnnotations(Map.of(Labels.LEGACY_SPEC_HASH, "0123456789abcdef"));
          d.getSpec().getTemplate().getSpec().setHostPID(true);
          return d;
        });
    Optional<DaemonSet> cached = Optional.of(live());
    requests();

    // a restarted operator (no memory of its last write)
    assertThat(resources().sync(true, cached)).isTrue();
    List<String> writes = writes();
    assertThat(writes).as("no POST of an existing object").noneMatch(r -> r.startsWith("POST"));
    assertThat(writes)
        .containsExactly(
            "PUT /apis/rbac.authorization.k8s.io/v1/clusterroles/floatip-agent",
            "PUT /apis/apps/v1/namespaces/floatip/daemonsets/floatip-agent");
    assertThat(admin.rbac().clusterRoles().withName(cfg.agentName()).get().getRules())
        .as("the reduced role replaces the old one")
        .isEqualTo(AgentRbacFactory.clusterRole(cfg).getRules());
    assertThat(pod(live()).getHostPID()).isFalse();
    assertThat(live().getMetadata().getAnnotations()).doesNotContainKey(Labels.LEGACY_SPEC_HASH);
  }

  static Stream<Arguments> handEdits() {
    return Stream.of(
        Arguments.of(
            "the image",
            (UnaryOperator<DaemonSet>)
                d -> {
                  pod(d).getContainers().get(0).setImage("evil.example/floatip:1");
                  return d;
                }),
        Arguments.of(
            "a removed capability",
            (UnaryOperator<DaemonSet>)
                d -> {
                  pod(d)
                      .getContainers()
                      .get(0)
                      .getSecurityContext()
                      .getCapabilities()
                      .setAdd(List.of("NET_ADMIN"));
                  return d;
                }),
        Arguments.of(
            "an added capability",
            (UnaryOperator<DaemonSet>)
                d -> {
                  pod(d)
                      .getContainers()
                      .get(0)
                      .getSecurityContext()
                      .getCapabilities()
                      .setAdd(List.of("NET_ADMIN", "NET_RAW", "SETGID", "SETUID", "SYS_ADMIN"));
                  return d;
                }),
        Arguments.of(
            "an added toleration",
            (UnaryOperator<DaemonSet>)
                d -> {
                  pod(d)
                      .setTolerations(
                          List.of(new TolerationBuilder().withOperator("Exists").build()));
                  return d;
                }),
        Arguments.of(
            "a memory limit",
            (UnaryOperator<DaemonSet>)
                d -> {
                  pod(d)
                      .getContainers()
                      .get(0)
                      .getResources()
                      .getLimits()
                      .put("memory", new io.fabric8.kubernetes.api.model.Quantity("1Gi"));
                  return d;
                }),
        Arguments.of(
            "a label of the DaemonSet",
            (UnaryOperator<DaemonSet>)
                d -> {
                  d.getMetadata().getLabels().put(Labels.MANAGED_BY, "someone");
                  return d;
                }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void handEdits(String what, UnaryOperator<DaemonSet> edit) throws InterruptedException {
    AgentResources r = resources();
    r.sync(true, Optional.empty());
    DaemonSet before = live();
    DaemonSet edited = editAsAdmin(edit);
    requests();
    assertThat(r.sync(true, Optional.of(edited))).isTrue();
    assertThat(writes())
        .containsExactly("PUT /apis/apps/v1/namespaces/floatip/daemonsets/floatip-agent");
    DaemonSet repaired = live();
    assertThat(repaired.getSpec().getTemplate()).isEqualTo(before.getSpec().getTemplate());
    assertThat(repaired.getMetadata().getLabels()).isEqualTo(before.getMetadata().getLabels());
    // and then it is left alone
    requests();
    assertThat(r.sync(true, Optional.of(repaired))).isFalse();
    assertThat(requests()).isEmpty();
  }

  /**
   * {@code kubectl rollout restart} and an added pull secret are not drift: kept, nothing written;
   * and kept when something else is repaired.
   */
  @Test
  void restartedAtAndAddedPullSecretsSurvive() throws InterruptedException {
    AgentResources r = resources();
    r.sync(true, Optional.empty());
    DaemonSet edited =
        editAsAdmin(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getMetadata()
                  .getAnnotations()
                  .put(AgentResources.RESTARTED_AT, "2026-12-07T18:00:00Z");
              pod(d).setImagePullSecrets(List.of(new LocalObjectReference("mirror")));
              return d;
            });
    requests();
    assertThat(r.sync(true, Optional.of(edited))).isFalse();
    assertThat(requests()).isEmpty();

    edited =
        editAsAdmin(
            d -> {
              pod(d).getContainers().get(0).setImage("other:1");
              return d;
            });
    assertThat(r.sync(true, Optional.of(edited))).isTrue();
    DaemonSet repaired = live();
    assertThat(pod(repaired).getContainers().get(0).getImage()).isEqualTo(cfg.image());
    assertThat(repaired.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(AgentResources.RESTARTED_AT, "2026-12-07T18:00:00Z");
    assertThat(pod(repaired).getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("mirror");
  }

  /** The chart's pull secrets must be there; one someone added besides them is kept. */
  @Test
  void theConfiguredPullSecretsMustBeAmongTheLiveOnes() throws InterruptedException {
    OperatorConfig withSecret =
        new OperatorConfig(
            cfg.namespace(),
            cfg.agentName(),
            cfg.image(),
            cfg.imagePullPolicy(),
            cfg.agentRequests(),
            cfg.agentLimits(),
            cfg.priorityClassName(),
            cfg.agentTolerations(),
            cfg.agentMetricsPort(),
            cfg.logFormat(),
            cfg.finalizerTimeout(),
            cfg.leaderElection(),
            cfg.leaseName(),
            List.of("regcred"),
            cfg.secretNamespaces(),
            cfg.allowance(),
            cfg.maxCandidates(),
            cfg.operatorApiRate(),
            cfg.agentApiRate());
    AgentResources r = new AgentResources(operator, withSecret, clock);
    r.sync(true, Optional.empty());
    DaemonSet edited =
        editAsAdmin(
            d -> {
              pod(d).setImagePullSecrets(List.of(new LocalObjectReference("mirror")));
              return d;
            });
    requests();
    assertThat(r.sync(true, Optional.of(edited))).isTrue();
    assertThat(writes()).hasSize(1);
    assertThat(pod(live()).getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("regcred", "mirror");
  }

  /** What kube-apiserver defaults is not the operator's: not drift. */
  @Test
  void fieldsTheApiServerDefaultedAreNotDrift() throws InterruptedException {
    AgentResources r = resources();
    r.sync(true, Optional.empty());
    DaemonSet defaulted =
        editAsAdmin(
            d -> {
              d.getSpec().setRevisionHistoryLimit(10);
              PodSpec p = pod(d);
              p.setRestartPolicy("Always");
              p.setSchedulerName("default-scheduler");
              p.getContainers().get(0).setTerminationMessagePath("/dev/termination-log");
              p.getContainers().get(0).setTerminationMessagePolicy("File");
              p.getContainers().get(0).getLivenessProbe().setSuccessThreshold(1);
              p.getContainers().get(0).getLivenessProbe().getHttpGet().setScheme("HTTP");
              // the API server's canonical form of a quantity
              p.getContainers()
                  .get(0)
                  .getResources()
                  .getRequests()
                  .put("cpu", new io.fabric8.kubernetes.api.model.Quantity("0.05"));
              return d;
            });
    requests();
    assertThat(r.sync(true, Optional.of(defaulted))).isFalse();
    assertThat(requests()).isEmpty();
  }

  /**
   * The informer may not have seen the operator's own write yet: the stale copy is not taken for
   * drift (no 409 Conflict loop), and a missing copy right after a create is looked up, not POSTed
   * again.
   */
  @Test
  void aCacheBehindTheOperatorsOwnWriteCausesNoWrite() throws InterruptedException {
    AgentResources r = resources();
    requests();
    r.sync(true, Optional.empty());
    requests();
    assertThat(r.sync(true, Optional.empty())).isFalse();
    assertThat(requests())
        .containsExactly("GET /apis/apps/v1/namespaces/floatip/daemonsets/floatip-agent");

    DaemonSet stale =
        editAsAdmin(
            d -> {
              pod(d).getContainers().get(0).setImage("other:1");
              return d;
            });
    assertThat(r.sync(true, Optional.of(stale))).isTrue();
    requests();
    assertThat(r.sync(true, Optional.of(stale)))
        .as("the cache still holds the replaced one")
        .isFalse();
    assertThat(requests()).isEmpty();
  }

  @Test
  void aDaemonSetDeletedByHandIsCreatedAgain() throws InterruptedException {
    AgentResources r = resources();
    r.sync(true, Optional.empty());
    admin.resource(live()).delete();
    requests();
    assertThat(r.sync(true, Optional.empty())).isTrue();
    assertThat(writes()).containsExactly("POST /apis/apps/v1/namespaces/floatip/daemonsets");
    assertThat(live()).isNotNull();
  }

  /**
   * A DaemonSet the informer does not see (its labels changed by hand, so the label selector misses
   * it) is read by name and repaired, never POSTed again (409 every time).
   */
  @Test
  void aDaemonSetTheCacheMissesIsReadAndRepaired() throws InterruptedException {
    resources().sync(true, Optional.empty());
    editAsAdmin(
        d -> {
          d.getMetadata().getLabels().remove("app.kubernetes.io/component");
          return d;
        });
    requests();
    // a restarted operator whose informer does not list it
    assertThat(resources().sync(true, Optional.empty())).isTrue();
    assertThat(writes())
        .containsExactly("PUT /apis/apps/v1/namespaces/floatip/daemonsets/floatip-agent");
    assertThat(live().getMetadata().getLabels()).containsKey("app.kubernetes.io/component");
  }

  /** The RBAC objects are read back now and then: a hand edit there is repaired too. */
  @Test
  void theRbacObjectsAreReadBackEveryFewMinutes() throws InterruptedException {
    AgentResources r = resources();
    r.sync(true, Optional.empty());
    Optional<DaemonSet> cached = Optional.of(live());
    admin.rbac().clusterRoleBindings().withName(cfg.agentName()).delete();
    requests();
    clock.advance(AgentResources.RBAC_RECHECK.minusSeconds(1));
    assertThat(r.sync(true, cached)).isFalse();
    assertThat(requests()).isEmpty();
    clock.advance(java.time.Duration.ofSeconds(1));
    assertThat(r.sync(true, cached)).isTrue();
    assertThat(writes())
        .containsExactly("POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings");
  }

  @Test
  void deleteAllRemovesEverything() {
    AgentResources r = resources();
    r.sync(true, Optional.empty());
    r.deleteAll();
    assertThat(live()).isNull();
    assertThat(admin.rbac().clusterRoles().withName(cfg.agentName()).get()).isNull();
    assertThat(admin.rbac().clusterRoleBindings().withName(cfg.agentName()).get()).isNull();
    assertThat(admin.serviceAccounts().inNamespace(cfg.namespace()).withName(cfg.agentName()).get())
        .isNull();
  }

  // --- the comparison itself -------------------------------------------------------------------

  private static final ObjectMapper YAML = new YAMLMapper();

  private static boolean drifts(String desired, String live) throws Exception {
    JsonNode d = YAML.readTree(desired);
    JsonNode l = YAML.readTree(live);
    return AgentResources.drifts(d, l);
  }

  @Test
  void desiredMustBeWithinLive() throws Exception {
    String want =
        "{kind: K, metadata: {name: n, labels: {a: b}}, spec: {n: 1, list: [{x: 1}], empty: [],"
            + " containers: [{resources: {limits: {memory: 1Gi}}}]}}";
    assertThat(drifts(want, want)).isFalse();
    // the live object's own metadata, extra fields and an extra label are not drift
    assertThat(
            drifts(
                want,
                "{kind: K, metadata: {name: n, uid: u, resourceVersion: '7', labels: {a: b, c: d}},"
                    + " spec: {n: 1, list: [{x: 1, y: 2}], more: true,"
                    + " containers: [{resources: {limits: {memory: 1024Mi}}}]}, status: {}}"))
        .isFalse();
    // a changed or missing value, a different list length, an extra toleration on an empty list
    assertThat(drifts(want, want.replace("n: 1", "n: 2"))).isTrue();
    assertThat(drifts(want, want.replace("{a: b}", "{a: c}"))).isTrue();
    assertThat(drifts(want, want.replace("[{x: 1}]", "[{x: 1}, {x: 1}]"))).isTrue();
    assertThat(drifts(want, want.replace("empty: []", "empty: [{key: k}]"))).isTrue();
    assertThat(drifts(want, want.replace("1Gi", "2Gi"))).isTrue();
    assertThat(drifts(want, want.replace(", list: [{x: 1}]", ""))).isTrue();
    // the desired name is not compared (it is the object read by that name)
    assertThat(drifts(want, want.replace("name: n", "name: m"))).isFalse();
    // numbers by value, whatever their JSON type
    assertThat(drifts("{spec: {n: 1}}", "{spec: {n: 1.0}}")).isFalse();
    // Go's omitempty: kube-apiserver returns no hostPID: false, no empty list
    assertThat(drifts("{spec: {hostPID: false, l: [], s: ''}}", "{spec: {}}")).isFalse();
    assertThat(drifts("{spec: {hostPID: false}}", "{spec: {hostPID: true}}")).isTrue();
    // an empty object is a choice too: the tmp volume turned into a hostPath is drift
    assertThat(
            drifts(
                "{spec: {volumes: [{name: tmp, emptyDir: {}}]}}",
                "{spec: {volumes: [{name: tmp, hostPath: {path: /}}]}}"))
        .isTrue();
  }
}
