package dev.floatip.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.crd.CrdFileTest;
import dev.floatip.operator.OperatorConfig;
import dev.floatip.operator.OperatorSettings;
import dev.floatip.operator.model.AgentRbacFactory;
import dev.floatip.operator.model.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Helm chart (helm/floatip), rendered by a real helm (see {@link Helm}) and checked like a
 * helm-unittest suite: lint, the CRD copy, the committed install manifest, the operator
 * Deployment's hardening, that every value reaches the operator's settings, and that the operator's
 * RBAC lets it do what the code does, including creating the agents' ClusterRole (Kubernetes'
 * escalation rule).
 */
class HelmChartTest {

  private static final Path CRD = Path.of("crds", "virtualips.floatip.dev.yaml");
  private static final Path CHART_CRD = Helm.CHART.resolve("crds/virtualips.floatip.dev.yaml");
  private static final Path INSTALL = Path.of("manifests", "install.yaml");
  private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

  private static Rendered render(String... args) {
    return Rendered.parse(Helm.template(args));
  }

  private static Deployment deployment(Rendered r) {
    return r.as(r.one("Deployment"), Deployment.class);
  }

  // ---------------------------------------------------------------- lint, CRD, manifest, versions

  @Test
  void lintIsCleanWithDefaultsAndWithEveryOptionOn() {
    for (List<String> extra :
        List.of(
            List.<String>of(),
            List.of(
                "--set", "serviceMonitor.enabled=true",
                "--set", "createNamespace=true",
                "--set", "logFormat=json"))) {
      List<String> cmd = new ArrayList<>(List.of(Helm.binary().toString(), "lint", "--strict"));
      cmd.add(Helm.CHART.toString());
      cmd.addAll(extra);
      Helm.Result r = Helm.helm(cmd);
      assertThat(r.exit()).as("helm lint --strict %s:\n%s%s", extra, r.out(), r.err()).isZero();
      assertThat(r.out()).contains("0 chart(s) failed").doesNotContain("[WARNING]");
    }
  }

  @Test
  void chartCrdIsTheGeneratedCrd() throws IOException {
    assertThat(CHART_CRD).as("the chart's CRD copy").exists();
    if (!Files.readString(CHART_CRD).equals(Files.readString(CRD))) {
      fail(CHART_CRD + " differs from " + CRD + ": run hack/update-crds.sh (it copies the CRD)");
    }
    // and it is what the chart installs
    JsonNode crd = render("--include-crds").one("CustomResourceDefinition");
    assertThat(crd.at("/metadata/name").asText()).isEqualTo("virtualips.floatip.dev");
  }

  @Test
  void installManifestIsAFreshRender() throws IOException {
    Helm.Result r =
        Helm.run(
            List.of("hack/render-manifests.sh", "--stdout"),
            Map.of("FLOATIP_HELM", Helm.binary().toString()));
    assertThat(r.exit()).as("hack/render-manifests.sh --stdout:\n%s", r.err()).isZero();
    assertThat(INSTALL).as("manifests/install.yaml (run hack/render-manifests.sh)").exists();
    String committed = Files.readString(INSTALL, StandardCharsets.UTF_8);
    if (!committed.equals(r.out())) {
      fail(
          "manifests/install.yaml is stale: run hack/render-manifests.sh\n"
              + CrdFileTest.firstDifference(committed, r.out(), "rendered"));
    }
    Rendered install = Rendered.parse(committed);
    assertThat(install.one("Namespace").at("/metadata/name").asText()).isEqualTo(Helm.NAMESPACE);
    assertThat(install.one("CustomResourceDefinition").at("/metadata/name").asText())
        .isEqualTo("virtualips.floatip.dev");
    // the example that names a Secret expects it in the install namespace
    String example = Files.readString(Path.of("manifests/examples/keepalived-v2.yaml"));
    assertThat(example).contains("namespace: " + Helm.NAMESPACE);
  }

  @Test
  void chartVersionsFollowThePom() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher m =
        Pattern.compile("<artifactId>floatip</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(m.find()).as("project version in pom.xml").isTrue();
    String version = m.group(1);
    JsonNode chart = Rendered.YAML.readTree(Helm.CHART.resolve("Chart.yaml").toFile());
    assertThat(chart.get("appVersion").asText()).as("Chart.yaml appVersion").isEqualTo(version);
    assertThat(chart.get("version").asText())
        .as("Chart.yaml version")
        .isEqualTo(version.replace("-SNAPSHOT", ""));
    Container operator =
        deployment(render()).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(operator.getImage()).isEqualTo("ghcr.io/floatip/floatip:" + version);
  }

  // ---------------------------------------------------------------- operator Deployment

  @Test
  void operatorDeploymentIsHardened() {
    Deployment d = deployment(render());
    assertThat(d.getMetadata().getNamespace()).isEqualTo(Helm.NAMESPACE);
    assertThat(d.getSpec().getReplicas()).isEqualTo(2);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getHostNetwork())
        .as("the operator is not on the host network")
        .isNotEqualTo(true);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getContainers()).hasSize(1);
    Container c = pod.getContainers().get(0);
    assertThat(c.getArgs()).containsExactly("operator", "--metrics-address=0.0.0.0:8080");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    // a writable /tmp for Quarkus and the JVM
    assertThat(c.getVolumeMounts()).anySatisfy(v -> assertThat(v.getMountPath()).isEqualTo("/tmp"));
    String tmp =
        c.getVolumeMounts().stream()
            .filter(v -> v.getMountPath().equals("/tmp"))
            .findFirst()
            .orElseThrow()
            .getName();
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo(tmp);
              assertThat(v.getEmptyDir()).isNotNull();
            });
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(pod.getServiceAccountName()).isEqualTo("floatip-operator");
    // the operator's pods are not selected by the agents' selector, nor the other way round
    Map<String, String> selector = d.getSpec().getSelector().getMatchLabels();
    assertThat(selector).containsEntry(Labels.COMPONENT, "operator");
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(selector);
  }

  @Test
  void defaultValuesGiveTheOperatorsDefaults() {
    OperatorConfig fromChart = bind(deployment(render()));
    OperatorConfig defaults = OperatorConfig.defaults();
    assertThat(fromChart.namespace()).isEqualTo(Helm.NAMESPACE);
    assertThat(fromChart.image()).isEqualTo(deploymentImage(render()));
    // everything else: the chart's defaults are the operator's (no drift between the two)
    assertThat(
            new OperatorConfig(
                defaults.namespace(),
                fromChart.agentName(),
                defaults.image(),
                fromChart.imagePullPolicy(),
                fromChart.agentRequests(),
                fromChart.agentLimits(),
                fromChart.priorityClassName(),
                fromChart.agentTolerations(),
                fromChart.agentMetricsPort(),
                fromChart.logFormat(),
                fromChart.finalizerTimeout(),
                fromChart.leaderElection(),
                fromChart.leaseName()))
        .isEqualTo(defaults);
  }

  @Test
  void everyAgentValueReachesTheOperatorsSettings() {
    Rendered r =
        render(
            "--set", "image.repository=registry.example/floatip",
            "--set", "image.tag=1.2.3",
            "--set", "image.pullPolicy=Always",
            "--set", "logFormat=json",
            "--set", "agent.name=vip-agent",
            "--set", "agent.priorityClassName=",
            "--set", "agent.metricsPort=9700",
            "--set", "agent.resources.requests.cpu=20m",
            "--set", "agent.resources.requests.memory=64Mi",
            "--set", "agent.resources.limits.memory=128Mi",
            "--set", "agent.resources.limits.cpu=1",
            "--set", "agent.tolerations[0].key=node-role.kubernetes.io/control-plane",
            "--set", "agent.tolerations[0].operator=Exists",
            "--set", "agent.tolerations[0].effect=NoSchedule",
            "--set", "operator.finalizerTimeout=30s",
            "--set", "operator.replicas=1",
            "--set", "operator.leaderElection.enabled=false",
            "--set", "operator.leaderElection.leaseName=vip-lease");
    OperatorConfig cfg = bind(deployment(r));
    assertThat(cfg.image()).isEqualTo("registry.example/floatip:1.2.3");
    assertThat(deploymentImage(r)).as("one image for operator and agents").isEqualTo(cfg.image());
    assertThat(cfg.imagePullPolicy()).isEqualTo("Always");
    assertThat(cfg.logFormat()).isEqualTo("json");
    assertThat(cfg.agentName()).isEqualTo("vip-agent");
    assertThat(cfg.priorityClassName()).as("empty value = no priority class").isEmpty();
    assertThat(cfg.agentMetricsPort()).isEqualTo(9700);
    assertThat(cfg.agentRequests()).isEqualTo(Map.of("cpu", "20m", "memory", "64Mi"));
    assertThat(cfg.agentLimits()).isEqualTo(Map.of("cpu", "1", "memory", "128Mi"));
    assertThat(cfg.agentTolerations())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("node-role.kubernetes.io/control-plane");
              assertThat(t.getOperator()).isEqualTo("Exists");
              assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
    assertThat(cfg.finalizerTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(cfg.leaderElection()).isFalse();
    assertThat(cfg.leaseName()).isEqualTo("vip-lease");
    // the agent name also names the RBAC the operator may manage, and the agents' metrics Service
    ClusterRole role = r.as(r.one("ClusterRole"), ClusterRole.class);
    assertThat(role.getRules())
        .filteredOn(p -> p.getResourceNames() != null && !p.getResourceNames().isEmpty())
        .filteredOn(p -> p.getApiGroups().contains(RBAC_GROUP))
        .allSatisfy(p -> assertThat(p.getResourceNames()).containsExactly("vip-agent"));
    assertThat(r.get("Service", "vip-agent-metrics").at("/spec/ports/0/port").asInt())
        .isEqualTo(9700);
    Role nsRole = r.as(r.one("Role"), Role.class);
    assertThat(covers(nsRole.getRules(), "coordination.k8s.io", "leases", "update", "vip-lease"))
        .isTrue();
  }

  @Test
  void operatorPlacementValuesApply() {
    Deployment d =
        deployment(
            render(
                "--set", "operator.nodeSelector.kubernetes\\.io/os=linux",
                "--set", "operator.tolerations[0].operator=Exists",
                "--set", "operator.priorityClassName=system-cluster-critical",
                "--set", "operator.javaOpts=-Xmx64m",
                "--set", "imagePullSecrets[0].name=regcred"));
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(pod.getTolerations()).extracting(Toleration::getOperator).containsExactly("Exists");
    assertThat(pod.getPriorityClassName()).isEqualTo("system-cluster-critical");
    assertThat(pod.getImagePullSecrets())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("regcred"));
    assertThat(env(d)).containsEntry("JAVA_OPTS_APPEND", "-Xmx64m");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "operator.leaderElection.enabled=false | operator.leaderElection.enabled is false",
        "logFormat=xml                         | at '/logFormat': value must be one of 'text', 'json'",
        "image.pullPolicy=Sometimes            | at '/image/pullPolicy': value must be one of",
        "operator.replica=3                    | additional properties 'replica' not allowed",
        "agent.tolerations[0].operator=Exist   | at '/agent/tolerations/0/operator'",
        "operator.finalizerTimeout=soon        | at '/operator/finalizerTimeout'",
        "agent.resources.limits.ephemeral-storage=1Gi | resource name \"ephemeral-storage\"",
        "serviceMonitor.enabled=true,metrics.service.enabled=false | needs metrics.service.enabled",
        "serviceAccount.create=false           | serviceAccount.name is required",
      })
  void invalidValuesFailWithAMessage(String set, String message) {
    Helm.Result r = Helm.templateResult("--set", set);
    assertThat(r.exit()).as("helm template --set %s should fail", set).isNotZero();
    assertThat(r.err()).contains(message);
  }

  @Test
  void aSingleReplicaMayRunWithoutLeaderElection() {
    Deployment d =
        deployment(
            render(
                "--set", "operator.replicas=1", "--set", "operator.leaderElection.enabled=false"));
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(env(d)).containsEntry("FLOATIP_OPERATOR_LEADER_ELECTION_ENABLED", "false");
  }

  // ---------------------------------------------------------------- RBAC

  /** What the operator's code calls (see VirtualIPReconciler, AgentResources, LeaderElection). */
  @Test
  void operatorRbacCoversWhatTheOperatorDoes() {
    Rendered r = render();
    List<PolicyRule> cluster = r.as(r.one("ClusterRole"), ClusterRole.class).getRules();
    List<PolicyRule> ns = r.as(r.one("Role"), Role.class).getRules();
    String agent = OperatorConfig.DEFAULT_AGENT_NAME;
    // group, resource, verb, name (null: any), cluster-wide?
    Object[][] needs = {
      {"floatip.dev", "virtualips", "list", null, "informers on VirtualIPs"},
      {"floatip.dev", "virtualips", "watch", null, "informers on VirtualIPs"},
      {"floatip.dev", "virtualips", "get", null, "JOSDK reads the latest before a finalizer patch"},
      {"floatip.dev", "virtualips", "patch", null, "finalizer floatip.dev/release"},
      {"floatip.dev", "virtualips", "update", null, "finalizer floatip.dev/release"},
      {"floatip.dev", "virtualips/status", "patch", null, "StatusWriter merge patch"},
      {"", "nodes", "list", null, "node informer"},
      {"", "nodes", "watch", null, "node informer"},
      {"", "events", "create", null, "EventRecorder"},
      {
        "apiextensions.k8s.io",
        "customresourcedefinitions",
        "get",
        "virtualips.floatip.dev",
        "JOSDK's CRD check"
      },
      {RBAC_GROUP, "clusterroles", "create", null, "AgentResources"},
      {RBAC_GROUP, "clusterroles", "get", agent, "AgentResources"},
      {RBAC_GROUP, "clusterroles", "update", agent, "AgentResources"},
      {RBAC_GROUP, "clusterroles", "delete", agent, "AgentResources.deleteAll"},
      {RBAC_GROUP, "clusterrolebindings", "create", null, "AgentResources"},
      {RBAC_GROUP, "clusterrolebindings", "update", agent, "AgentResources"},
      {RBAC_GROUP, "clusterrolebindings", "delete", agent, "AgentResources.deleteAll"},
    };
    for (Object[] n : needs) {
      assertThat(covers(cluster, (String) n[0], (String) n[1], (String) n[2], (String) n[3]))
          .as("operator ClusterRole allows %s %s/%s %s (%s)", n[2], n[0], n[1], n[3], n[4])
          .isTrue();
    }
    Object[][] nsNeeds = {
      {"apps", "daemonsets", "list", null},
      {"apps", "daemonsets", "watch", null},
      {"apps", "daemonsets", "create", null},
      {"apps", "daemonsets", "update", agent},
      {"apps", "daemonsets", "delete", agent},
      {"", "serviceaccounts", "create", null},
      {"", "serviceaccounts", "update", agent},
      {"", "serviceaccounts", "delete", agent},
      {"coordination.k8s.io", "leases", "create", null},
      {"coordination.k8s.io", "leases", "get", "floatip-operator"},
      {"coordination.k8s.io", "leases", "update", "floatip-operator"},
    };
    for (Object[] n : nsNeeds) {
      assertThat(covers(ns, (String) n[0], (String) n[1], (String) n[2], (String) n[3]))
          .as("operator Role allows %s %s/%s %s", n[2], n[0], n[1], n[3])
          .isTrue();
    }
    // least privilege: no wildcards, no Secrets, no create limited by name (it would not work)
    for (PolicyRule rule : Stream.concat(cluster.stream(), ns.stream()).toList()) {
      assertThat(rule.getVerbs()).as("%s", rule).doesNotContain("*");
      assertThat(rule.getResources()).as("%s", rule).doesNotContain("*", "secrets");
      assertThat(rule.getApiGroups()).as("%s", rule).doesNotContain("*");
      if (rule.getResourceNames() != null && !rule.getResourceNames().isEmpty()) {
        assertThat(rule.getVerbs()).as("named %s", rule).doesNotContain("create", "list", "watch");
      }
    }
    // nothing beyond the agent's own objects on RBAC
    assertThat(covers(cluster, RBAC_GROUP, "clusterroles", "update", "cluster-admin")).isFalse();
    assertThat(covers(cluster, RBAC_GROUP, "clusterroles", "bind", "cluster-admin")).isFalse();
    assertThat(covers(cluster, RBAC_GROUP, "clusterroles", "escalate", "cluster-admin")).isFalse();
  }

  /**
   * Kubernetes lets the operator write the agents' ClusterRole only if it holds every rule in it or
   * has {@code escalate} on it, and bind it only if it holds the rules or has {@code bind}. The
   * operator holds the agents' static rules itself; the Secret rule is covered by escalate/bind on
   * the agent ClusterRole's name (and AgentResources creates the role without it first).
   */
  @Test
  void operatorMayCreateAndBindTheAgentsClusterRole() throws IOException {
    Rendered r = render();
    List<PolicyRule> cluster = r.as(r.one("ClusterRole"), ClusterRole.class).getRules();
    OperatorConfig cfg = bind(deployment(r));
    List<VirtualIP> vips = exampleVirtualIPs();
    ClusterRole agentRole = AgentRbacFactory.clusterRole(cfg, vips);
    assertThat(agentRole.getRules())
        .as("the examples name a Secret: the test covers the Secret rule")
        .anySatisfy(p -> assertThat(p.getResources()).contains("secrets"));
    ClusterRole held = AgentRbacFactory.withoutSecretAccess(agentRole);
    for (PolicyRule rule : held.getRules()) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            assertThat(covers(cluster, group, resource, verb, null))
                .as(
                    "the operator must hold the agents' rule %s %s/%s cluster-wide to create their"
                        + " ClusterRole without escalate",
                    verb, group, resource)
                .isTrue();
          }
        }
      }
    }
    for (String verb : List.of("escalate", "bind", "update")) {
      assertThat(covers(cluster, RBAC_GROUP, "clusterroles", verb, cfg.agentName()))
          .as(
              "%s on clusterroles/%s (the Secret rule the operator does not hold)",
              verb, cfg.agentName())
          .isTrue();
    }
  }

  @Test
  void bindingsNameTheOperatorsServiceAccountInTheReleaseNamespace() {
    Rendered r = render();
    String sa = r.one("ServiceAccount").at("/metadata/name").asText();
    assertThat(deployment(r).getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(sa);
    ClusterRoleBinding crb = r.as(r.one("ClusterRoleBinding"), ClusterRoleBinding.class);
    assertThat(crb.getRoleRef().getName())
        .isEqualTo(r.one("ClusterRole").at("/metadata/name").asText());
    assertThat(crb.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(sa);
              assertThat(s.getNamespace()).isEqualTo(Helm.NAMESPACE);
            });
    RoleBinding rb = r.as(r.one("RoleBinding"), RoleBinding.class);
    assertThat(rb.getMetadata().getNamespace()).isEqualTo(Helm.NAMESPACE);
    assertThat(rb.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(rb.getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo(sa));
    assertThat(r.one("Role").at("/metadata/namespace").asText()).isEqualTo(Helm.NAMESPACE);
  }

  @Test
  void rbacAndServiceAccountCanBeLeftToTheUser() {
    Rendered r =
        render(
            "--set", "rbac.create=false",
            "--set", "serviceAccount.create=false",
            "--set", "serviceAccount.name=my-operator");
    assertThat(r.ofKind("ClusterRole")).isEmpty();
    assertThat(r.ofKind("Role")).isEmpty();
    assertThat(r.ofKind("ServiceAccount")).isEmpty();
    assertThat(deployment(r).getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("my-operator");
  }

  // ---------------------------------------------------------------- metrics

  @Test
  void serviceMonitorIsOptionalAndScrapesOperatorAndAgents() {
    assertThat(render().ofKind("ServiceMonitor")).as("off by default").isEmpty();
    Rendered r =
        render(
            "--set", "serviceMonitor.enabled=true",
            "--set", "serviceMonitor.labels.release=prom");
    JsonNode sm = r.one("ServiceMonitor");
    assertThat(sm.at("/metadata/labels/release").asText()).isEqualTo("prom");
    assertThat(sm.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
    String port = sm.at("/spec/endpoints/0/port").asText();
    List<JsonNode> services = r.ofKind("Service");
    assertThat(services).hasSize(2);
    for (JsonNode svc : services) {
      assertThat(selects(sm.at("/spec/selector"), svc.at("/metadata/labels")))
          .as("ServiceMonitor selects Service %s", svc.at("/metadata/name").asText())
          .isTrue();
      List<String> ports = new ArrayList<>();
      svc.at("/spec/ports").forEach(p -> ports.add(p.get("name").asText()));
      assertThat(ports).contains(port);
    }
    // the agents' Service selects the pods the operator creates
    JsonNode agentSvc = r.get("Service", "floatip-agent-metrics");
    Map<String, String> selector = new LinkedHashMap<>();
    agentSvc
        .at("/spec/selector")
        .fields()
        .forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
    assertThat(selector).isEqualTo(Labels.agentSelector());
    assertThat(agentSvc.at("/spec/ports/0/port").asInt())
        .isEqualTo(OperatorConfig.DEFAULT_AGENT_METRICS_PORT);
  }

  // ---------------------------------------------------------------- helpers

  /** The rendered env, bound by SmallRye Config exactly as the operator binds its environment. */
  static OperatorConfig bind(Deployment d) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withSources(new EnvConfigSource(env(d), 300))
            // what Quarkus registers, so that "60s" binds as it does in the operator
            .withConverter(Duration.class, 200, new DurationConverter())
            .withMapping(OperatorSettings.class)
            .build();
    return config.getConfigMapping(OperatorSettings.class).toConfig();
  }

  static Map<String, String> env(Deployment d) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      }
    }
    return env;
  }

  private static String deploymentImage(Rendered r) {
    return deployment(r).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  static boolean covers(
      List<PolicyRule> rules, String group, String resource, String verb, String name) {
    return rules.stream()
        .anyMatch(
            r ->
                r.getApiGroups().contains(group)
                    && r.getResources().contains(resource)
                    && r.getVerbs().contains(verb)
                    && (r.getResourceNames() == null
                        || r.getResourceNames().isEmpty()
                        || (name != null && r.getResourceNames().contains(name))));
  }

  private static boolean selects(JsonNode selector, JsonNode labels) {
    var it = selector.path("matchLabels").fields();
    while (it.hasNext()) {
      var e = it.next();
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    for (JsonNode expr : selector.path("matchExpressions")) {
      String value = labels.path(expr.get("key").asText()).asText(null);
      List<String> values = new ArrayList<>();
      expr.path("values").forEach(v -> values.add(v.asText()));
      boolean ok =
          switch (expr.get("operator").asText()) {
            case "In" -> values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static List<VirtualIP> exampleVirtualIPs() throws IOException {
    List<VirtualIP> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("manifests", "examples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        Rendered r = Rendered.parse(Files.readString(f));
        for (JsonNode vip : r.ofKind(VirtualIP.KIND)) {
          out.add(r.as(vip, VirtualIP.class));
        }
      }
    }
    assertThat(out).hasSizeGreaterThanOrEqualTo(6);
    return out;
  }
}
