package dev.floatip.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiRateEnvTest {

  @ParameterizedTest(name = "qps={0} burst={1} → {2}/{3}")
  @CsvSource(
      nullValues = "-",
      value = {
        "-, -, 10, 30",
        "5, -, 5, 30",
        "-, 100, 10, 100",
        "' 2.5 ', 7, 2.5, 7",
        "'', '', 10, 30"
      })
  void absentValuesKeepTheDefault(String qps, String burst, double wantQps, int wantBurst) {
    Map<String, String> env = new java.util.HashMap<>();
    if (qps != null) {
      env.put(ApiRateEnv.QPS, qps);
    }
    if (burst != null) {
      env.put(ApiRateEnv.BURST, burst);
    }
    assertThat(ApiRateEnv.read(env, ApiRate.AGENT_DEFAULT))
        .isEqualTo(new ApiRate(wantQps, wantBurst));
  }

  @ParameterizedTest(name = "{0}={1} is refused")
  @CsvSource({
    "FLOATIP_KUBE_API_QPS, 0",
    "FLOATIP_KUBE_API_QPS, -1",
    "FLOATIP_KUBE_API_QPS, ten",
    "FLOATIP_KUBE_API_QPS, NaN",
    "FLOATIP_KUBE_API_QPS, Infinity",
    "FLOATIP_KUBE_API_BURST, 0",
    "FLOATIP_KUBE_API_BURST, 2.5",
    "FLOATIP_KUBE_API_BURST, 99999999999"
  })
  void aBadValueNamesTheVariable(String variable, String value) {
    assertThatThrownBy(() -> ApiRateEnv.read(Map.of(variable, value), ApiRate.AGENT_DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(variable + " must be")
        .hasMessageContaining("\"" + value + "\"");
  }
}
