package dev.floatip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.agent.StatusView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

  @Test
  void printsOneLinePerRouterWithWhy() {
    Instant now = Instant.parse("2026-11-22T00:10:00Z");
    List<StatusView> routers =
        List.of(
            new StatusView(
                "dns",
                "ipv4",
                51,
                "eth0",
                "MASTER",
                130,
                120,
                "192.0.2.11",
                now.minusSeconds(90),
                "MASTER_DOWN",
                List.of(),
                false,
                10,
                0,
                Map.of(),
                List.of(new StatusView.CheckView("script", "dig", true, "+10", "exit 0"))),
            new StatusView(
                "dns",
                "ipv6",
                51,
                "eth0",
                "FAULT",
                120,
                120,
                "",
                now.minusSeconds(600),
                "FAULT",
                List.of("interface eth0 down"),
                true,
                0,
                0,
                Map.of(),
                List.of(new StatusView.CheckView("script", "dig", true, "+10", "exit 0"))));
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    StatusCommand.print(routers, new PrintStream(buffer, true, StandardCharsets.UTF_8), now);

    List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("VIP").contains("STATE", "PRIO", "MASTER", "WHY");
    assertThat(lines.get(1))
        .contains("dns", "ipv4", "51", "MASTER", "130 (120)", "192.0.2.11", "90s");
    assertThat(lines.get(2)).isEqualTo("  check script dig: ok, +10 (exit 0)");
    assertThat(lines.get(3))
        .contains("FAULT", "10m", "interface eth0 down; STANDBY (node maintenance)")
        .contains(" - ");
    assertThat(lines.get(1)).doesNotContain("STANDBY");
  }

  @Test
  void showsLabelsAndExcludedAddressesUnderTheRouterAndTheyTravelAsJson() throws Exception {
    Instant now = Instant.parse("2026-11-22T00:10:00Z");
    StatusView web =
        new StatusView(
            "web",
            "ipv4",
            51,
            "eth0",
            "MASTER",
            100,
            100,
            "192.0.2.11",
            now,
            "MASTER_DOWN",
            List.of(),
            false,
            1,
            0,
            Map.of(),
            List.of(),
            List.of("192.0.2.200/24 label eth0:10", "192.0.2.201/24 excluded"));
    // what the agent's GET /status sends and the CLI reads back
    var json = new com.fasterxml.jackson.databind.ObjectMapper().findAndRegisterModules();
    List<StatusView> read =
        json.readValue(
            json.writeValueAsString(List.of(web)),
            new com.fasterxml.jackson.core.type.TypeReference<List<StatusView>>() {});
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    StatusCommand.print(read, new PrintStream(buffer, true, StandardCharsets.UTF_8), now);

    assertThat(buffer.toString(StandardCharsets.UTF_8).lines().toList())
        .element(2)
        .isEqualTo("  addresses 192.0.2.200/24 label eth0:10, 192.0.2.201/24 excluded");
  }

  @Test
  void agesAreShort() {
    assertThat(StatusCommand.age(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(StatusCommand.age(Duration.ofMinutes(30))).isEqualTo("30m");
    assertThat(StatusCommand.age(Duration.ofHours(5))).isEqualTo("5h");
  }
}
