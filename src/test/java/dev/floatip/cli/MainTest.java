package dev.floatip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which commands serve HTTP: only the long-running agent and operator. */
class MainTest {

  private static final List<String> KEYS =
      List.of("quarkus.http.host-enabled", "quarkus.http.host", "quarkus.http.port");
  private final Map<String, String> saved = new HashMap<>();

  @BeforeEach
  void save() {
    KEYS.forEach(
        k -> {
          saved.put(k, System.getProperty(k));
          System.clearProperty(k);
        });
  }

  @AfterEach
  void restore() {
    saved.forEach(
        (k, v) -> {
          if (v == null) {
            System.clearProperty(k);
          } else {
            System.setProperty(k, v);
          }
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"get", "status", "version"})
  void shortCommandsOpenNoPort(String command) {
    Main.configureHttp(List.of(command, "--kubeconfig", "/tmp/kc", "-w"));
    assertThat(System.getProperty("quarkus.http.host-enabled")).isEqualTo("false");
    assertThat(System.getProperty("quarkus.http.port")).isNull();
  }

  @Test
  void operatorServesOnItsMetricsAddress() {
    Main.configureHttp(List.of("operator", "--metrics-address", "127.0.0.1:9999"));
    assertThat(System.getProperty("quarkus.http.host-enabled")).isNull();
    assertThat(System.getProperty("quarkus.http.host")).isEqualTo("127.0.0.1");
    assertThat(System.getProperty("quarkus.http.port")).isEqualTo("9999");
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h", "--version"})
  void helpOpensNoPortAndInstallsNoSignalHandlers(String flag) {
    Main.configureHttp(List.of("agent", flag));
    assertThat(System.getProperty("quarkus.http.host-enabled")).isEqualTo("false");
    assertThat(Main.runsAgent(List.of("agent", flag))).isFalse();
    assertThat(Main.runsAgent(List.of("agent", "--config", "/etc/floatip/vip.yaml"))).isTrue();
    assertThat(Main.runsAgent(List.of("status"))).isFalse();
  }

  /** Issue 12 item 11: SIGKILL leaves the VIP on the node; the advice must not suggest it. */
  @Test
  void aPortClashAdvisesSigtermNotKillMinusNine() {
    String advice = Main.portInUse("127.0.0.1", 9654);
    assertThat(advice)
        .contains("127.0.0.1:9654", "SIGTERM", "--metrics-address")
        .doesNotContain("kill -9")
        .doesNotContain("kill it");
  }
}
