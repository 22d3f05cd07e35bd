package dev.floatip.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.crd.CrdFileTest;
import dev.floatip.kube.ApiRate;
import dev.floatip.operator.OperatorSettings;
import dev.floatip.operator.SecretNamespaces;
import dev.floatip.operator.model.AgentAllowance;
import dev.floatip.operator.model.AgentDaemonSetFactory;
import dev.floatip.operator.model.AgentRbacFactory;
import dev.floatip.operator.model.Labels;
import dev.floatip.operator.model.OperatorConfig;
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
 * helm-unittest suite: lint, the CRD (a template: an upgrade applies it, uninstall keeps it), the
 * committed install manifest, the operator Deployment's hardening, that every value reaches the
 * operator's settings, that the operator's RBAC lets it do what the code does and holds every rule
 * it grants the agents (Kubernetes' escalation rule, without escalate or bind), and the portability
 * pieces (quota, PDB, anti-affinity, pull secrets, NOTES). Issue 11's chart defects 1, 6, 7, 8 and
 * 9 each have a test here.
 */
class HelmChartTest {

  private static final Path CRD = Path.of("crds", "virtualips.floatip.dev.yaml");
  private static final Path CHART_CRD =
      Helm.CHART.resolve("files/crds/virtualips.floatip.dev.yaml");
  private static final Path INSTALL = Path.of("manifests", "install.yaml");
  private static final String RBAC_GROUP = "rbac.authorization.k8s.io";

  private static Rendered render(String... args) {
    return Rendered.parse(Helm.template(args));
  }

  private static Deployment deployment(Rendered r) {
    return r.as(r.one("Deployment"), Deployment.class);
  }

  /** The operator's Role in the release namespace. */
  private static Role operatorRole(Rendered r) {
    return r.as(r.get("Role", "floatip-operator"), Role.class);
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
                "--set", "logFormat=json",
                "--set", "imagePullSecrets[0].name=regcred",
                "--set", "agent.secretNamespaces[0]=vrrp-secrets",
                "--set", "agent.priorityClassName=system-cluster-critical",
                "--set", "agent.nodeSelector.kubernetes\\.io/os=linux",
                "--set", "agent.processTracking=true",
                "--set", "agent.hostPaths[0]=/run/vrrp",
                "--set", "operator.maxCandidates=8"))) {
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
    assertThat(Helm.CHART.resolve("crds"))
        .as("no crds/ in the chart: Helm never upgrades those (issue 11, defect 8)")
        .doesNotExist();
    // and it is what the chart renders (a template: helm upgrade applies it)
    JsonNode crd = render().one("CustomResourceDefinition");
    JsonNode generated = Rendered.parse(Files.readString(CRD)).one("CustomResourceDefinition");
    assertThat(crd.at("/metadata/name").asText()).isEqualTo("virtualips.floatip.dev");
    assertThat(crd.get("spec")).isEqualTo(generated.get("spec"));
    assertThat(crd.at("/metadata/annotations/helm.sh~1resource-policy").asText())
        .as("helm uninstall keeps the CRD (crds.keep)")
        .isEqualTo("keep");
    assertThat(crd.at("/metadata/labels/app.kubernetes.io~1managed-by").asText()).isEqualTo("Helm");
  }

  @Test
  void crdsEnabledAndKeepAreValues() {
    assertThat(render("--set", "crds.enabled=false").ofKind("CustomResourceDefinition")).isEmpty();
    JsonNode crd = render("--set", "crds.keep=false").one("CustomResourceDefinition");
    assertThat(crd.at("/metadata/annotations/helm.sh~1resource-policy").isMissingNode()).isTrue();
  }

  /**
   * What {@code helm upgrade} applies is the render of the new chart: a chart whose CRD copy
   * changed (here: one more printer column) renders the changed CRD, still with the keep
   * annotation. With the CRD under crds/, no render would carry it and no upgrade would apply it.
   */
  @Test
  void anUpgradeToAChartWithAChangedCrdAppliesIt() throws IOException {
    Path chart = copyChart();
    try {
      Path copy = chart.resolve("files/crds/virtualips.floatip.dev.yaml");
      String crd = Files.readString(copy);
      String changed =
          crd.replaceFirst(
              "(?m)^  - additionalPrinterColumns:\n",
              "  - additionalPrinterColumns:\n"
                  + "    - jsonPath: .metadata.annotations.upgrade-check\n"
                  + "      name: UpgradeCheck\n"
                  + "      type: string\n");
      assertThat(changed).as("the CRD has printer columns to add to").isNotEqualTo(crd);
      Files.writeString(copy, changed);
      JsonNode before = render().one("CustomResourceDefinition");
      JsonNode after = renderChart(chart).one("CustomResourceDefinition");
      assertThat(after.at("/spec/versions/0/additionalPrinterColumns/0/name").asText())
          .isEqualTo("UpgradeCheck");
      assertThat(after.get("spec")).isNotEqualTo(before.get("spec"));
      assertThat(after.at("/metadata/annotations/helm.sh~1resource-policy").asText())
          .isEqualTo("keep");
    } finally {
      deleteTree(chart);
    }
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
    String release = version.replace("-SNAPSHOT", "");
    // appVersion is the default image tag: a tag one can publish, never a -SNAPSHOT (defect 9)
    assertThat(chart.get("appVersion").asText()).as("Chart.yaml appVersion").isEqualTo(release);
    assertThat(chart.get("appVersion").asText()).matches("[0-9]+\\.[0-9]+\\.[0-9]+");
    assertThat(chart.get("version").asText()).as("Chart.yaml version").isEqualTo(release);
    Container operator =
        deployment(render()).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(operator.getImage()).isEqualTo("ghcr.io/floatip/floatip:" + release);
    // the image the README and the Dockerfile tell you to build is the one the chart runs
    assertThat(Files.readString(Path.of("src/main/docker/Dockerfile")))
        .contains("ghcr.io/floatip/floatip:" + release + " ")
        .doesNotContain("SNAPSHOT");
    assertThat(Files.readString(Path.of("README.md"))).doesNotContain("floatip:" + version);
  }

  /**
   * The CRD's x-kubernetes-validations use {@code reason} and {@code fieldPath}, which
   * kube-apiserver accepts from 1.28 (defect 8): Chart.yaml and the README say so.
   */
  @Test
  void kubeVersionIsTheOneTheCrdNeeds() throws IOException {
    JsonNode chart = Rendered.YAML.readTree(Helm.CHART.resolve("Chart.yaml").toFile());
    assertThat(chart.get("kubeVersion").asText()).isEqualTo(">=1.28.0-0");
    assertThat(Files.readString(CRD)).contains("fieldPath:").contains("reason:");
    assertThat(Files.readString(Path.of("README.md")))
        .contains("Kubernetes ≥ 1.28")
        .doesNotContain("Kubernetes ≥ 1.25");
    Helm.Result old = Helm.templateResult("--kube-version", "1.27.9");
    assertThat(old.exit()).as("helm template --kube-version 1.27.9 is refused").isNotZero();
    assertThat(old.err()).contains(">=1.28.0-0");
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
                fromChart.leaseName(),
                fromChart.imagePullSecrets(),
                fromChart.secretNamespaces(),
                fromChart.allowance(),
                fromChart.maxCandidates(),
                fromChart.operatorApiRate(),
                fromChart.agentApiRate()))
        .isEqualTo(defaults);
    assertThat(env(deployment(render())))
        .as("every setting of issue 13 is passed, not left to the operator's default")
        .containsKeys(
            "FLOATIP_OPERATOR_MAX_CANDIDATES",
            "FLOATIP_OPERATOR_KUBE_API_QPS",
            "FLOATIP_OPERATOR_KUBE_API_BURST",
            "FLOATIP_OPERATOR_AGENT_NODE_SELECTOR",
            "FLOATIP_OPERATOR_AGENT_PROCESS_TRACKING",
            "FLOATIP_OPERATOR_AGENT_SCRIPT_USERS",
            "FLOATIP_OPERATOR_AGENT_HOST_PATHS",
            "FLOATIP_OPERATOR_AGENT_KUBE_API_QPS",
            "FLOATIP_OPERATOR_AGENT_KUBE_API_BURST");
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
            "--set", "operator.leaderElection.leaseName=vip-lease",
            "--set", "imagePullSecrets[0].name=regcred",
            "--set", "imagePullSecrets[1].name=mirror",
            "--set", "agent.secretNamespaces[0]=vrrp-secrets",
            "--set", "agent.nodeSelector.kubernetes\\.io/os=linux",
            "--set", "agent.nodeSelector.floatip\\.dev/agent=",
            "--set", "agent.processTracking=true",
            "--set", "agent.scriptUsers=false",
            "--set", "agent.hostPaths[0]=/run/vrrp",
            "--set", "agent.hostPaths[1]=/etc/keepalived",
            "--set-json", "agent.kubeApi.qps=2.5",
            "--set", "agent.kubeApi.burst=4",
            "--set", "operator.maxCandidates=5",
            "--set", "operator.kubeApi.qps=50",
            "--set", "operator.kubeApi.burst=100");
    OperatorConfig cfg = bind(deployment(r));
    assertThat(cfg.allowance())
        .isEqualTo(
            new AgentAllowance(
                Map.of("kubernetes.io/os", "linux", "floatip.dev/agent", ""),
                true,
                false,
                List.of("/etc/keepalived", "/run/vrrp")));
    assertThat(cfg.agentApiRate()).isEqualTo(new ApiRate(2.5, 4));
    assertThat(cfg.operatorApiRate()).isEqualTo(new ApiRate(50, 100));
    assertThat(cfg.maxCandidates()).isEqualTo(5);
    assertThat(cfg.imagePullSecrets()).containsExactly("regcred", "mirror");
    assertThat(cfg.secretNamespaces()).containsExactly("vrrp-secrets");
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
    Role nsRole = operatorRole(r);
    assertThat(covers(nsRole.getRules(), "coordination.k8s.io", "leases", "patch", "vip-lease"))
        .isTrue();
    assertThat(r.get("Role", "vip-agent-secrets")).isNotNull();
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
        "agent.secretNamespaces[0]=Not_A_Namespace | at '/agent/secretNamespaces/0'",
        "crds.keep=yes                         | at '/crds/keep'",
        "agent.hostPaths[0]=run/vrrp           | at '/agent/hostPaths/0'",
        "agent.processTracking=yes             | at '/agent/processTracking'",
        "operator.maxCandidates=1              | at '/operator/maxCandidates'",
        "agent.kubeApi.burst=0                 | at '/agent/kubeApi/burst'",
        "operator.kubeApi.qps=0                | at '/operator/kubeApi/qps'",
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
    List<PolicyRule> ns = operatorRole(r).getRules();
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
      {RBAC_GROUP, "clusterrolebindings", "get", agent, "AgentResources"},
      {RBAC_GROUP, "clusterrolebindings", "update", agent, "AgentResources"},
      {RBAC_GROUP, "clusterrolebindings", "delete", agent, "AgentResources.deleteAll"},
    };
    for (Object[] n : needs) {
      assertThat(covers(cluster, (String) n[0], (String) n[1], (String) n[2], (String) n[3]))
          .as("operator ClusterRole allows %s %s/%s %s (%s)", n[2], n[0], n[1], n[3], n[4])
          .isTrue();
    }
    Object[][] nsNeeds = {
      {"apps", "daemonsets", "get", agent},
      {"apps", "daemonsets", "list", null},
      {"apps", "daemonsets", "watch", null},
      {"apps", "daemonsets", "create", null},
      {"apps", "daemonsets", "update", agent},
      {"apps", "daemonsets", "delete", agent},
      {"", "serviceaccounts", "create", null},
      {"", "serviceaccounts", "get", agent},
      {"", "serviceaccounts", "update", agent},
      {"", "serviceaccounts", "delete", agent},
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
    assertThat(covers(cluster, RBAC_GROUP, "clusterrolebindings", "update", "cluster-admin"))
        .isFalse();
  }

  /**
   * Issue 11, defect 1: Fabric8's LeaseLock (kubernetes-client-api 7.6.1, ResourceLock) gets the
   * Lease, creates it when missing, and acquires and renews it with a JSON merge PATCH; JOSDK
   * 5.3.2's LeaderElectionManager.checkLeaseAccess refuses to start without get, create and update
   * in a SelfSubjectRulesReview. The Role grants exactly that union: without patch the first
   * leader's renew is refused and no replica ever leads again.
   */
  @Test
  void leaseVerbsAreExactlyWhatTheLockAndJosdksCheckUse() {
    List<PolicyRule> leases =
        operatorRole(render()).getRules().stream()
            .filter(p -> p.getResources().contains("leases"))
            .toList();
    assertThat(covers(leases, "coordination.k8s.io", "leases", "get", "floatip-operator"))
        .as("LeaseLock.get")
        .isTrue();
    assertThat(covers(leases, "coordination.k8s.io", "leases", "create", null))
        .as("LeaseLock.create (a POST has no name)")
        .isTrue();
    assertThat(covers(leases, "coordination.k8s.io", "leases", "patch", "floatip-operator"))
        .as("LeaseLock.update: acquire and renew with a JSON merge patch")
        .isTrue();
    assertThat(covers(leases, "coordination.k8s.io", "leases", "update", "floatip-operator"))
        .as("JOSDK's start-up check wants update")
        .isTrue();
    assertThat(leases)
        .flatExtracting(PolicyRule::getVerbs)
        .containsExactlyInAnyOrder("create", "get", "update", "patch");
    assertThat(leases)
        .filteredOn(p -> !p.getVerbs().contains("create"))
        .allSatisfy(p -> assertThat(p.getResourceNames()).containsExactly("floatip-operator"));
  }

  /**
   * Issue 11, defects 2 and 7: the operator holds every rule of the agents' ClusterRole itself, so
   * kube-apiserver's escalation check (pkg/registry/rbac/validation/rule.go ConfirmNoEscalation)
   * and bind check let it create, update and bind that role without {@code escalate} or {@code
   * bind}, which it must not have: with either plus {@code clusterrolebindings create} it would be
   * cluster-admin equivalent.
   */
  @Test
  void operatorHoldsEveryRuleItGrantsAndNeitherEscalateNorBind() {
    Rendered r = render();
    List<PolicyRule> cluster = r.as(r.one("ClusterRole"), ClusterRole.class).getRules();
    OperatorConfig cfg = bind(deployment(r));
    ClusterRole agentRole = AgentRbacFactory.clusterRole(cfg);
    for (PolicyRule rule : agentRole.getRules()) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            assertThat(covers(cluster, group, resource, verb, null))
                .as(
                    "the operator must hold the agents' rule %s %s/%s cluster-wide to create and"
                        + " bind their ClusterRole",
                    verb, group, resource)
                .isTrue();
          }
        }
      }
    }
    for (JsonNode role :
        Stream.concat(r.ofKind("ClusterRole").stream(), r.ofKind("Role").stream()).toList()) {
      for (PolicyRule rule : r.as(role, Role.class).getRules()) {
        assertThat(rule.getVerbs())
            .as("%s %s", role.at("/metadata/name").asText(), rule)
            .doesNotContain("escalate", "bind", "impersonate", "*");
      }
    }
  }

  /**
   * Issue 11, defect 3's RBAC half: core/v1 Events about the cluster-scoped VirtualIP go to
   * namespace {@code default}; the operator may create and patch (aggregate) Events there only.
   */
  @Test
  void operatorEventsOnlyInNamespaceDefault() {
    Rendered r = render();
    Role events = r.as(r.get("Role", "floatip-operator-events"), Role.class);
    assertThat(events.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(events.getRules())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getApiGroups()).containsExactly("");
              assertThat(p.getResources()).containsExactly("events");
              assertThat(p.getVerbs()).containsExactlyInAnyOrder("create", "patch");
            });
    RoleBinding rb = r.as(r.get("RoleBinding", "floatip-operator-events"), RoleBinding.class);
    assertThat(rb.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(rb.getRoleRef().getName()).isEqualTo("floatip-operator-events");
    assertThat(rb.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo("floatip-operator");
              assertThat(s.getNamespace()).isEqualTo(Helm.NAMESPACE);
            });
    List<PolicyRule> cluster = r.as(r.one("ClusterRole"), ClusterRole.class).getRules();
    assertThat(cluster).noneMatch(p -> p.getResources().contains("events"));
    assertThat(operatorRole(r).getRules()).noneMatch(p -> p.getResources().contains("events"));
  }

  /**
   * Issue 11, defect 6: the agents read Secrets only in the release namespace and the namespaces of
   * {@code agent.secretNamespaces} (a Role and RoleBinding in each), never cluster-wide.
   */
  @Test
  void agentsReadSecretsOnlyInTheAllowedNamespaces() throws IOException {
    assertThat(agentSecretRoles(render())).containsExactly(Helm.NAMESPACE);
    Rendered r =
        render(
            "--set", "agent.secretNamespaces[0]=vrrp-a",
            "--set", "agent.secretNamespaces[1]=vrrp-b",
            "--set", "agent.secretNamespaces[2]=" + Helm.NAMESPACE);
    assertThat(agentSecretRoles(r)).containsExactlyInAnyOrder(Helm.NAMESPACE, "vrrp-a", "vrrp-b");
    for (JsonNode node : r.ofKind("Role")) {
      Role role = r.as(node, Role.class);
      if (!role.getMetadata().getName().equals("floatip-agent-secrets")) {
        continue;
      }
      assertThat(role.getRules())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getResources()).containsExactly("secrets");
                assertThat(p.getVerbs()).containsExactly("get");
              });
    }
    for (JsonNode node : r.ofKind("RoleBinding")) {
      RoleBinding rb = r.as(node, RoleBinding.class);
      if (!rb.getMetadata().getName().equals("floatip-agent-secrets")) {
        continue;
      }
      assertThat(rb.getRoleRef().getName()).isEqualTo("floatip-agent-secrets");
      assertThat(rb.getSubjects())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getKind()).isEqualTo("ServiceAccount");
                assertThat(s.getName()).isEqualTo(OperatorConfig.DEFAULT_AGENT_NAME);
                assertThat(s.getNamespace()).isEqualTo(Helm.NAMESPACE);
              });
    }
    // the agents' cluster-wide role has no Secret rule; the operator knows the allowed namespaces
    assertThat(AgentRbacFactory.clusterRole(bind(deployment(r))).getRules())
        .noneMatch(p -> p.getResources().contains("secrets"));
    assertThat(bind(deployment(r)).secretNamespaces())
        .containsExactly("vrrp-a", "vrrp-b", Helm.NAMESPACE);
    // the examples keep their Secret where the default install allows it; elsewhere is refused
    OperatorConfig defaults = bind(deployment(render()));
    for (VirtualIP vip : exampleVirtualIPs()) {
      assertThat(SecretNamespaces.check(vip, defaults)).as("%s", vip.getMetadata()).isEmpty();
    }
    assertThat(defaults.allowsSecretNamespace("vrrp-a")).isFalse();
  }

  private static List<String> agentSecretRoles(Rendered r) {
    List<String> roles =
        r.ofKind("Role").stream()
            .filter(n -> n.at("/metadata/name").asText().equals("floatip-agent-secrets"))
            .map(n -> n.at("/metadata/namespace").asText())
            .toList();
    List<String> bindings =
        r.ofKind("RoleBinding").stream()
            .filter(n -> n.at("/metadata/name").asText().equals("floatip-agent-secrets"))
            .map(n -> n.at("/metadata/namespace").asText())
            .toList();
    assertThat(bindings).as("a RoleBinding beside each Role").isEqualTo(roles);
    return roles;
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
    RoleBinding rb = r.as(r.get("RoleBinding", "floatip-operator"), RoleBinding.class);
    assertThat(rb.getMetadata().getNamespace()).isEqualTo(Helm.NAMESPACE);
    assertThat(rb.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(rb.getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo(sa));
    assertThat(operatorRole(r).getMetadata().getNamespace()).isEqualTo(Helm.NAMESPACE);
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
    assertThat(r.ofKind("RoleBinding")).isEmpty();
    assertThat(r.ofKind("ServiceAccount")).isEmpty();
    assertThat(deployment(r).getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("my-operator");
  }

  // ---------------------------------------------------------------- portability (defect 9)

  /**
   * GKE admits pods of the system-*-critical PriorityClasses outside kube-system only in a
   * namespace with a ResourceQuota scoped to that class: the chart renders one for the agents'.
   */
  @Test
  void aCriticalAgentPriorityClassComesWithAScopedResourceQuota() {
    for (String pc : List.of("system-node-critical", "system-cluster-critical")) {
      JsonNode quota = render("--set", "agent.priorityClassName=" + pc).one("ResourceQuota");
      assertThat(quota.at("/metadata/namespace").asText()).isEqualTo(Helm.NAMESPACE);
      JsonNode expr = quota.at("/spec/scopeSelector/matchExpressions/0");
      assertThat(expr.get("scopeName").asText()).isEqualTo("PriorityClass");
      assertThat(expr.get("operator").asText()).isEqualTo("In");
      assertThat(expr.get("values").toString()).isEqualTo("[\"" + pc + "\"]");
      assertThat(quota.at("/spec/hard/pods").asText()).isNotEmpty();
    }
    assertThat(render("--set", "agent.priorityClassName=").ofKind("ResourceQuota")).isEmpty();
    assertThat(render("--set", "agent.priorityClassName=my-class").ofKind("ResourceQuota"))
        .isEmpty();
    assertThat(render("--set", "agent.priorityClassQuota=false").ofKind("ResourceQuota")).isEmpty();
    assertThat(bind(deployment(render())).priorityClassName()).isEqualTo("system-node-critical");
  }

  @Test
  void imagePullSecretsReachTheAgents() throws IOException {
    Rendered r = render("--set", "imagePullSecrets[0].name=regcred");
    OperatorConfig cfg = bind(deployment(r));
    var agentPod = AgentDaemonSetFactory.build(cfg).getSpec().getTemplate().getSpec();
    assertThat(agentPod.getImagePullSecrets())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("regcred"));
    assertThat(deployment(r).getSpec().getTemplate().getSpec().getImagePullSecrets())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("regcred"));
  }

  @Test
  void operatorReplicasSpreadAndKeepOneThroughDrains() {
    Rendered r = render();
    JsonNode pdb = r.one("PodDisruptionBudget");
    assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    Deployment d = deployment(r);
    Map<String, String> selector = new LinkedHashMap<>();
    pdb.at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
    assertThat(selector).isEqualTo(d.getSpec().getSelector().getMatchLabels());
    var anti =
        d.getSpec()
            .getTemplate()
            .getSpec()
            .getAffinity()
            .getPodAntiAffinity()
            .getPreferredDuringSchedulingIgnoredDuringExecution();
    assertThat(anti)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getPodAffinityTerm().getTopologyKey())
                  .isEqualTo("kubernetes.io/hostname");
              assertThat(t.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                  .isEqualTo(d.getSpec().getSelector().getMatchLabels());
            });
    // one replica: no budget (it would block every drain); operator.affinity replaces the default
    assertThat(
            render("--set", "operator.replicas=1", "--set", "operator.leaderElection.enabled=false")
                .ofKind("PodDisruptionBudget"))
        .isEmpty();
    var own =
        deployment(
                render(
                    "--set",
                    "operator.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                        + ".nodeSelectorTerms[0].matchExpressions[0].key=kubernetes.io/os",
                    "--set",
                    "operator.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                        + ".nodeSelectorTerms[0].matchExpressions[0].operator=Exists"))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getAffinity();
    assertThat(own.getPodAntiAffinity()).isNull();
    assertThat(own.getNodeAffinity()).isNotNull();
  }

  /** NOTES.txt is shown after installing a packaged chart: no paths of this repository. */
  @Test
  void notesPointAtNoRepositoryPath() {
    Helm.Result r =
        Helm.helm(
            List.of(
                Helm.binary().toString(),
                "install",
                Helm.RELEASE,
                Helm.CHART.toString(),
                "--namespace",
                Helm.NAMESPACE,
                "--dry-run=client",
                "--set",
                "agent.secretNamespaces[0]=vrrp"));
    assertThat(r.exit()).as("helm install --dry-run=client:\n%s", r.err()).isZero();
    String notes = r.out().substring(r.out().indexOf("NOTES:"));
    assertThat(notes)
        .contains("kubectl get vip")
        .contains("floatip, vrrp")
        .doesNotContainPattern("(manifests|hack|helm|crds|src)/")
        .doesNotContain("README.md");
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

  /** A copy of the chart in a temporary directory. */
  private static Path copyChart() throws IOException {
    Path dir = Files.createTempDirectory("floatip-chart").resolve("floatip");
    try (Stream<Path> files = Files.walk(Helm.CHART)) {
      for (Path f : files.toList()) {
        Path to = dir.resolve(Helm.CHART.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    return dir;
  }

  private static Rendered renderChart(Path chart) {
    Helm.Result r =
        Helm.helm(
            List.of(
                Helm.binary().toString(),
                "template",
                Helm.RELEASE,
                chart.toString(),
                "--namespace",
                Helm.NAMESPACE));
    assertThat(r.exit()).as("helm template %s:\n%s", chart, r.err()).isZero();
    return Rendered.parse(r.out());
  }

  private static void deleteTree(Path chart) throws IOException {
    try (Stream<Path> walk = Files.walk(chart.getParent())) {
      walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
  }

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
