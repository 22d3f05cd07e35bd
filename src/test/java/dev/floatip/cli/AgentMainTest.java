package dev.floatip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@link AgentMain#plainOptions}: the same result as picocli for the usual command lines. */
class AgentMainTest {

  @Test
  void theUsualOptionsParseAsPicocliParsesThem() {
    String[][] lines = {
      {"--config", "/etc/floatip/vip.yaml", "--node-name", "n1"},
      {"--config=/etc/floatip/vip.yaml", "--metrics-address=0.0.0.0:9654"},
      {"--node-name", "n2", "--metrics-address", "[::1]:9000"},
      {}
    };
    for (String[] line : lines) {
      AgentCommand plain = AgentMain.plainOptions(line);
      AgentCommand picocli = new AgentCommand();
      new CommandLine(picocli).parseArgs(line);
      assertThat(plain).as(String.join(" ", line)).isNotNull();
      assertThat(plain.config).isEqualTo(picocli.config);
      assertThat(plain.nodeName).isEqualTo(picocli.nodeName);
      assertThat(plain.metricsAddress).isEqualTo(picocli.metricsAddress);
    }
    assertThat(AgentMain.plainOptions("--config", "a.yaml").config).isEqualTo(Path.of("a.yaml"));
  }

  @Test
  void anythingElseIsLeftToPicocli() {
    String[][] lines = {
      {"--help"},
      {"-h"},
      {"--version"},
      {"--config"},
      {"--config="},
      {"--config", "a", "--config", "b"},
      {"--node-name", "a", "--node-name=b"},
      {"--config", "--node-name"},
      {"--bogus", "x"},
      {"positional"},
      {"--config", "a\0b"}
    };
    for (String[] line : lines) {
      assertThat(AgentMain.plainOptions(line)).as(String.join(" ", line)).isNull();
    }
  }
}
