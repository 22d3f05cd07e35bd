package dev.floatip.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.operator.model.OperatorConfig;
import dev.floatip.operator.model.Vips;
import dev.floatip.testing.ApiServerTestResource;
import dev.floatip.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §2 rule 6 and issue 13, against the strict test API server with the operator as its
 * ServiceAccount: the agents' pod template follows the chart's values (here: a node selector,
 * process tracking, one host path) and never the VirtualIPs; the operator repairs hand edits of
 * what it owns, keeps what others may add, and writes nothing while the live DaemonSet matches.
 */
@QuarkusTest
@TestProfile(AgentTemplateTest.Values.class)
@QuarkusTestResource(value = ApiServerTestResource.class, restrictToAnnotatedClass = true)
class AgentTemplateTest {

  /** Chart values other than the defaults, as the chart passes them. */
  public static final class Values implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "floatip.operator.agent.node-selector", "{\"floatip.dev/agent\": \"true\"}",
          "floatip.operator.agent.process-tracking", "true",
          "floatip.operator.agent.host-paths", "[\"/run/vrrp\"]");
    }
  }

  private static final AtomicBoolean STARTED = new AtomicBoolean();
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  /** How long "nothing happens" is watched for. */
  private static final Duration QUIET = Duration.ofSeconds(3);

  @ApiServerTestResource.Inject MockApiServer mock;
  @Inject Operator operator;
  @Inject OperatorConfig cfg;

  private KubernetesClient client;

  @BeforeEach
  void start() {
    client = mock.client();
    if (STARTED.compareAndSet(false, true)) {
      operator.start();
    }
  }

  @AfterEach
  void deleteAll() {
    assertThat(mock.componentRefusals())
        .as("requests of the operator the API server refused")
        .isEmpty();
    client.resources(VirtualIP.class).list().getItems().forEach(v -> client.resource(v).delete());
    await()
        .atMost(DEADLINE)
        .until(() -> client.resources(VirtualIP.class).list().getItems().isEmpty());
    await().atMost(DEADLINE).until(() -> daemonSet() == null);
  }

  private void create(String name, String spec) {
    client.resource(Vips.vip(name, spec)).create();
  }

  private boolean hasVrid(String name) {
    VirtualIP v = client.resources(VirtualIP.class).withName(name).get();
    return v != null && v.getStatus() != null && v.getStatus().virtualRouterId() != null;
  }

  private DaemonSet daemonSet() {
    return client.apps().daemonSets().inNamespace(cfg.namespace()).withName(cfg.agentName()).get();
  }

  private String version() {
    return daemonSet().getMetadata().getResourceVersion();
  }

  private DaemonSet edit(UnaryOperator<DaemonSet> edit) {
    return client
        .apps()
        .daemonSets()
        .inNamespace(cfg.namespace())
        .withName(cfg.agentName())
        .edit(edit);
  }

  private DaemonSet awaitBase() {
    create("base", "{addresses: [192.0.2.80/24]}");
    await().atMost(DEADLINE).until(() -> daemonSet() != null && hasVrid("base"));
    return daemonSet();
  }

  /** The DaemonSet keeps its resourceVersion (no write at all) for {@link #QUIET}. */
  private void assertUnwritten(String version) {
    await()
        .during(QUIET)
        .atMost(QUIET.plusSeconds(5))
        .until(() -> daemonSet() != null && version().equals(version));
  }

  @Test
  void addingAndDeletingVirtualIPsLeavesThePodTemplate() {
    DaemonSet before = awaitBase();
    PodTemplateSpec template = before.getSpec().getTemplate();
    // the values, not the VirtualIPs
    assertThat(template.getSpec().getNodeSelector())
        .containsExactly(Map.entry("floatip.dev/agent", "true"));
    assertThat(template.getSpec().getHostPID()).isTrue();
    assertThat(template.getSpec().getTolerations()).isEmpty();
    assertThat(template.getSpec().getContainers().get(0).getVolumeMounts())
        .extracting(VolumeMount::getMountPath)
        .containsExactly("/tmp", "/host/run/vrrp");

    // VirtualIPs that used to change the template: selectors, tolerations, processes, files,
    // scripts as another user
    create(
        "sel",
        "{addresses: [192.0.2.81/24], nodeSelector: {matchLabels: {role: ingress}},"
            + " tolerations: [{key: edge, operator: Exists}]}");
    create("procs", "{addresses: [192.0.2.82/24], track: {processes: [{name: nginx}]}}");
    create("files", "{addresses: [192.0.2.83/24], track: {files: [{path: /run/vrrp/up}]}}");
    create(
        "scripts",
        "{addresses: [192.0.2.84/24], track: {scripts: [{name: s, command: [true], user: www}]}}");
    for (String n : List.of("sel", "procs", "files", "scripts")) {
      await().atMost(DEADLINE).until(() -> hasVrid(n));
    }
    assertUnwritten(before.getMetadata().getResourceVersion());

    for (String n : List.of("sel", "procs", "files", "scripts")) {
      client.resources(VirtualIP.class).withName(n).delete();
    }
    await()
        .atMost(DEADLINE)
        .until(() -> client.resources(VirtualIP.class).list().getItems().size() == 1);
    assertUnwritten(before.getMetadata().getResourceVersion());
    DaemonSet after = daemonSet();
    assertThat(after.getSpec().getTemplate()).isEqualTo(template);
    assertThat(after.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration());
  }

  /** Issue 13's number: adding and deleting 100 VirtualIPs changes the pod template 0 times. */
  @Test
  void aHundredVirtualIPsAddedAndDeletedWriteTheDaemonSetNever() {
    String version = awaitBase().getMetadata().getResourceVersion();
    List<String> names = new java.util.ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      String name = "many-" + i;
      names.add(name);
      create(
          name,
          "{addresses: [198.51.100."
              + (i + 1)
              + "/24], nodeSelector: {matchLabels: {vip: v"
              + i
              + "}}, tolerations: [{key: t"
              + i
              + ", operator: Exists}]"
              + (i % 3 == 0 ? ", track: {processes: [{name: p" + i + "}]}" : "")
              + (i % 3 == 1 ? ", track: {files: [{path: /run/vrrp/f" + i + "}]}" : "")
              + "}");
    }
    await().atMost(Duration.ofSeconds(120)).until(() -> names.stream().allMatch(this::hasVrid));
    long added = System.nanoTime();
    names.forEach(n -> client.resources(VirtualIP.class).withName(n).delete());
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> client.resources(VirtualIP.class).list().getItems().size() == 1);
    System.out.printf(
        "AgentTemplateTest: 100 VirtualIPs reconciled in %d ms, deleted in %d ms%n",
        (added - start) / 1_000_000, (System.nanoTime() - added) / 1_000_000);
    assertUnwritten(version);
  }

  @Test
  void handEditsAreRepairedAndRestartsAndPullSecretsKept() {
    DaemonSet before = awaitBase();
    PodTemplateSpec template = before.getSpec().getTemplate();

    // kubectl edit: another image, capabilities removed
    edit(
        d -> {
          var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
          c.setImage("evil.example/floatip:1");
          c.getSecurityContext().getCapabilities().setAdd(List.of("NET_ADMIN"));
          return d;
        });
    await().atMost(DEADLINE).until(() -> daemonSet().getSpec().getTemplate().equals(template));

    // kubectl rollout restart and an added pull secret: not drift, nothing written
    DaemonSet restarted =
        edit(
            d -> {
              d.getSpec()
                  .getTemplate()
                  .getMetadata()
                  .getAnnotations()
                  .put(AgentResources.RESTARTED_AT, "2026-12-07T18:30:00Z");
              d.getSpec()
                  .getTemplate()
                  .getSpec()
                  .setImagePullSecrets(List.of(new LocalObjectReference("mirror")));
              return d;
            });
    assertUnwritten(restarted.getMetadata().getResourceVersion());

    // a toleration added by hand goes; the restart annotation and the pull secret stay
    edit(
        d -> {
          d.getSpec()
              .getTemplate()
              .getSpec()
              .setTolerations(
                  List.of(
                      new io.fabric8.kubernetes.api.model.TolerationBuilder()
                          .withOperator("Exists")
                          .build()));
          return d;
        });
    await()
        .atMost(DEADLINE)
        .until(() -> daemonSet().getSpec().getTemplate().getSpec().getTolerations().isEmpty());
    DaemonSet repaired = daemonSet();
    assertThat(repaired.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(AgentResources.RESTARTED_AT, "2026-12-07T18:30:00Z");
    assertThat(repaired.getSpec().getTemplate().getSpec().getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("mirror");
    assertThat(repaired.getSpec().getTemplate().getSpec().getContainers())
        .isEqualTo(template.getSpec().getContainers());
    assertUnwritten(repaired.getMetadata().getResourceVersion());
  }
}
