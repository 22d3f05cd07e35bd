package dev.floatip.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Toleration;
import org.junit.jupiter.api.Test;

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
}
