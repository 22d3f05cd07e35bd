package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.testing.FloatipYaml;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 11: a VirtualIP on an interface the node does not have is a FAULT with the reason
 * in {@code /status} (and so in {@code floatip status}), not only a WARN in the log.
 */
class NotRunStatusTest {

  @TempDir Path dir;

  private final FakeDataplane dataplane = new FakeDataplane();
  private StandaloneAgent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.shutdown(Duration.ofMillis(500));
    }
  }

  @Test
  void aMissingInterfaceShowsAsFaultWithTheReason() {
    String gone =
        FloatipYaml.vip("gone", 7)
            .addresses("192.0.2.50/24")
            .priority("n1", 150)
            .render()
            .replace("interface: eth0", "interface: eth9");
    String here =
        FloatipYaml.vip("here", 8).addresses("192.0.2.51/24").priority("n1", 150).render();
    Path config = FloatipYaml.writeText(dir.resolve("vip.yaml"), gone + "---\n" + here);
    agent = new StandaloneAgent(config, "n1", dataplane, InstantSource.system(), List.of());

    assertThat(agent.start()).isEmpty();

    assertThat(agent.notRun())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.vip()).isEqualTo("gone");
              assertThat(v.family()).isEqualTo("ipv4");
              assertThat(v.vrid()).isEqualTo(7);
              assertThat(v.interfaceName()).isEqualTo("eth9");
              assertThat(v.state()).isEqualTo("FAULT");
              assertThat(v.faults())
                  .singleElement()
                  .asString()
                  .contains("eth9", "does not exist on this node");
            });
  }
}
