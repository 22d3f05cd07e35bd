package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.ConfigError;
import dev.floatip.config.IpLiteral;
import dev.floatip.config.Violation;
import dev.floatip.tracking.PodWatch;
import dev.floatip.tracking.Tracking;
import dev.floatip.tracking.TrackingSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 items 5 and 6: the agent removes exactly the addresses it added (the kernel's IFA_PROTO
 * mark, here the fake's {@code addresses}), never the node's own or an administrator's.
 */
class AgentAddressOwnershipTest {

  private static final InetAddress OLD_VIP = ip("192.0.2.50");
  private static final InetAddress ADMIN = ip("192.0.2.60");
  private static final InetAddress VIP = ip("192.0.2.200");
  private static final String OWNER_MESSAGE =
      "192.0.2.11 is this node's own address on eth0 (not added by floatip); a virtual address"
          + " must be one no node has (an address owner's priority 255 does not exist here)";

  private final FakeDataplane dataplane = new FakeDataplane();
  private final VipRunner runner =
      new VipRunner(
          "node-a",
          dataplane,
          new MonotonicClock(),
          Tracking.create(
              TrackingSettings.defaults(),
              dataplane.linkMonitor(),
              dataplane.addresses(),
              PodWatch.NONE),
          List.of(),
          () -> {});

  @AfterEach
  void stop() {
    runner.close();
  }

  private static InetAddress ip(String text) {
    return IpLiteral.parse(text).orElseThrow();
  }

  private static String doc(String name, String address, int vrid) {
    return "apiVersion: floatip.dev/v1alpha1\nkind: VirtualIP\nmetadata: {name: "
        + name
        + "}\nspec: {addresses: ["
        + address
        + "], interface: eth0, virtualRouterId: "
        + vrid
        + ", transport: {mode: Multicast}, advertisementInterval: 10ms}\n";
  }

  private static VirtualIP vip(String name, String address, int vrid) {
    try {
      return new YAMLMapper().readValue(doc(name, address, vrid), VirtualIP.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Item 6: kill -9 while holding OLD_VIP, config edited to VIP, restart. */
  @Test
  void orphansOfAnEarlierConfigGoAndAddressesFloatipDidNotAddStay() {
    dataplane.addresses.add(OLD_VIP); // added (and marked) by the killed run
    dataplane.foreign.add(ADMIN); // added by hand: no mark

    runner.removeOrphans(List.of(vip("web", "192.0.2.200/24", 10)));

    assertThat(dataplane.addresses).doesNotContain(OLD_VIP);
    assertThat(dataplane.removeCalls).containsExactly(OLD_VIP);
    assertThat(dataplane.foreign).contains(ADMIN);
  }

  /** Item 5: a VIP equal to the node's own address (a converted keepalived address owner). */
  @Test
  void aVipThatIsTheNodesOwnAddressDoesNotRunAndTheAddressIsNeverRemoved() {
    List<VirtualIP> vips =
        List.of(vip("owner", "192.0.2.11/24", 10), vip("web", "192.0.2.200/24", 11));

    runner.removeOrphans(vips);
    runner.start();
    VipRunner.Applied applied =
        runner
            .apply(
                vips.stream().map(v -> new VipRunner.VipInput(v, null, List.of())).toList(), vips)
            .orElseThrow();

    assertThat(applied.notRun()).isEqualTo(Map.of("owner", "spec.addresses[0]: " + OWNER_MESSAGE));
    assertThat(applied.running()).containsOnlyKeys("web");
    assertThat(runner.nodeOwnAddresses(vips))
        .isEqualTo(Map.of("owner", List.of(new Violation("spec.addresses[0]", OWNER_MESSAGE))));
    await().until(() -> dataplane.addresses.contains(VIP)); // the other VIP on eth0 runs
    runner.shutdown(java.time.Duration.ofSeconds(2));
    assertThat(dataplane.removeCalls).doesNotContain(FakeDataplane.PRIMARY).contains(VIP);
  }

  /** Item 5 standalone: a config error naming the field, before any router starts. */
  @Test
  void standaloneRefusesTheFileNamingTheField(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("vip.yaml");
    Files.writeString(
        file, doc("web", "192.0.2.200/24", 11) + "---\n" + doc("owner", "192.0.2.11/24", 10));
    try (StandaloneAgent agent =
        new StandaloneAgent(file, "node-a", dataplane, new MonotonicClock(), List.of())) {
      List<ConfigError> errors = agent.start();
      assertThat(errors.stream().map(ConfigError::toString))
          .containsExactly(
              file.toAbsolutePath() + ": spec.addresses[0]: VirtualIP \"owner\": " + OWNER_MESSAGE);
    }
    assertThat(dataplane.removeCalls).doesNotContain(FakeDataplane.PRIMARY);
    assertThat(dataplane.addresses).isEmpty();
    assertThat(Optional.of(dataplane.sent)).get().asList().isEmpty();
  }
}
