package dev.floatip.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floatip.operator.model.AgentAllowance;
import dev.floatip.operator.model.OperatorConfig;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperatorConfigTest {

  @Test
  void tolerationsParseFromJsonAsTheChartWritesThem() {
    assertThat(
            OperatorConfig.parseTolerations(
                "[{\"key\":\"dedicated\",\"operator\":\"Equal\",\"value\":\"lb\","
                    + "\"effect\":\"NoExecute\",\"tolerationSeconds\":30}]"))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("dedicated");
              assertThat(t.getOperator()).isEqualTo("Equal");
              assertThat(t.getValue()).isEqualTo("lb");
              assertThat(t.getEffect()).isEqualTo("NoExecute");
              assertThat(t.getTolerationSeconds()).isEqualTo(30L);
            });
  }

  @Test
  void tolerationsParseFromYamlFlowStyle() {
    assertThat(OperatorConfig.parseTolerations("[{operator: Exists}]"))
        .extracting(Toleration::getOperator)
        .containsExactly("Exists");
  }

  @Test
  void emptyOrAbsentTolerationsAreNone() {
    assertThat(OperatorConfig.parseTolerations(null)).isEmpty();
    assertThat(OperatorConfig.parseTolerations(" ")).isEmpty();
    assertThat(OperatorConfig.parseTolerations("[]")).isEmpty();
  }

  @Test
  void malformedTolerationsNameTheSetting() {
    assertThatThrownBy(() -> OperatorConfig.parseTolerations("{key: a}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("floatip.operator.agent.tolerations")
        .hasMessageContaining("FLOATIP_OPERATOR_AGENT_TOLERATIONS");
    assertThatThrownBy(() -> OperatorConfig.parseTolerations("[{kee: a}]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kee");
  }

  @Test
  void listsParseAsTheChartJoinsThem() {
    assertThat(OperatorConfig.parseList(null)).isEmpty();
    assertThat(OperatorConfig.parseList("")).isEmpty();
    assertThat(OperatorConfig.parseList("regcred")).containsExactly("regcred");
    assertThat(OperatorConfig.parseList(" a, b,,c ")).containsExactly("a", "b", "c");
  }

  @Test
  void secretsAreAllowedInTheReleaseNamespaceAndTheListedOnes() {
    OperatorConfig d = OperatorConfig.defaults();
    assertThat(d.allowsSecretNamespace(null)).isTrue();
    assertThat(d.allowsSecretNamespace("")).isTrue();
    assertThat(d.allowsSecretNamespace(d.namespace())).isTrue();
    assertThat(d.allowsSecretNamespace("other")).isFalse();
    assertThat(d.secretNamespaces()).isEmpty();
    assertThat(d.imagePullSecrets()).isEmpty();
  }

  @Test
  void nodeSelectorParsesAsTheChartWritesIt() {
    assertThat(OperatorConfig.parseNodeSelector(null)).isEmpty();
    assertThat(OperatorConfig.parseNodeSelector("{}")).isEmpty();
    assertThat(OperatorConfig.parseNodeSelector("{\"kubernetes.io/os\":\"linux\",\"lb\":\"\"}"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("kubernetes.io/os", "linux", "lb", ""));
    assertThatThrownBy(() -> OperatorConfig.parseNodeSelector("[a]"))
        .hasMessageContaining("agent.nodeSelector")
        .hasMessageContaining("FLOATIP_OPERATOR_AGENT_NODE_SELECTOR");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'{\"bad key!\": \"x\"}'        | agent.nodeSelector: \"bad key!\" is not a valid label key",
        "'{\"a/b/c\": \"x\"}'           | \"a/b/c\" is not a valid label key",
        "'{\"Example.COM/a\": \"x\"}'   | \"Example.COM/a\" is not a valid label key",
        "'{\"zone\": \"-a\"}'           | agent.nodeSelector.zone: \"-a\" is not a valid label value",
      })
  void invalidNodeSelectorsNameTheValue(String json, String message) {
    assertThatThrownBy(
            () ->
                new AgentAllowance(OperatorConfig.parseNodeSelector(json), false, true, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("agent.nodeSelector")
        .hasMessageContaining(message);
  }

  @Test
  void hostPathsParseAndAreSorted() {
    assertThat(OperatorConfig.parseHostPaths("")).isEmpty();
    assertThat(OperatorConfig.parseHostPaths("[]")).isEmpty();
    List<String> paths = OperatorConfig.parseHostPaths("[\"/run/vrrp\", \"/etc/keepalived\"]");
    assertThat(new AgentAllowance(Map.of(), false, true, paths).hostPaths())
        .containsExactly("/etc/keepalived", "/run/vrrp");
    assertThatThrownBy(() -> OperatorConfig.parseHostPaths("{a: b}"))
        .hasMessageContaining("agent.hostPaths")
        .hasMessageContaining("FLOATIP_OPERATOR_AGENT_HOST_PATHS");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "run/vrrp                | must be an absolute path",
        "/                       | would give the agents the host's whole file system",
        "/run/vrrp/              | must be a normalized path",
        "/run//vrrp              | must be a normalized path",
        "/run/./vrrp             | must be a normalized path",
        "/run/vrrp/..            | must be a normalized path",
        "/proc                   | must not be or lie under /proc (a system path)",
        "/etc                    | must not be or lie under /etc (a system path); use /etc/keepalived",
        "/var/lib/kubelet/pods   | must not be or lie under /var/lib/kubelet",
        "/run/vrrp,/run/vrrp     | is listed twice",
        "/run,/run/vrrp          | \"/run/vrrp\" lies inside /run, listed too",
      })
  void invalidHostPathsNameTheValue(String paths, String message) {
    List<String> list = List.of(paths.split(","));
    assertThatThrownBy(() -> new AgentAllowance(Map.of(), false, true, list))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("agent.hostPaths: ")
        .hasMessageContaining(message);
  }

  @Test
  void allowedHostPathsAndTheFilesUnderThem() {
    AgentAllowance a =
        new AgentAllowance(
            Map.of(), false, true, List.of("/etc/keepalived", "/run/vrrp", "/run/vrrp-b"));
    assertThat(a.hostPathOf("/run/vrrp/x")).contains("/run/vrrp");
    assertThat(a.hostPathOf("/run/vrrp-b/x/y")).contains("/run/vrrp-b");
    assertThat(a.hostPathOf("/etc/keepalived/up")).contains("/etc/keepalived");
    assertThat(a.hostPathOf("/run/vrrp")).isEmpty();
    assertThat(a.hostPathOf("/run/vrrp/../x")).isEmpty();
    assertThat(a.hostPathOf("/run/vrrpx")).isEmpty();
  }

  @Test
  void maxCandidatesBelowTwoNamesTheValue() {
    OperatorConfig d = OperatorConfig.defaults();
    assertThatThrownBy(
            () ->
                new OperatorConfig(
                    d.namespace(),
                    d.agentName(),
                    d.image(),
                    d.imagePullPolicy(),
                    d.agentRequests(),
                    d.agentLimits(),
                    d.priorityClassName(),
                    d.agentTolerations(),
                    d.agentMetricsPort(),
                    d.logFormat(),
                    d.finalizerTimeout(),
                    d.leaderElection(),
                    d.leaseName(),
                    d.imagePullSecrets(),
                    d.secretNamespaces(),
                    d.allowance(),
                    1,
                    d.operatorApiRate(),
                    d.agentApiRate()))
        .hasMessageContaining("operator.maxCandidates");
  }
}
