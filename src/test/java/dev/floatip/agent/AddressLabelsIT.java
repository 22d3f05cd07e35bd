package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floatip.testing.FloatipYaml;
import dev.floatip.testing.ItLogs;
import dev.floatip.testing.LabDaemon;
import dev.floatip.testing.NetnsLab.Node;
import dev.floatip.testing.SharedLab;
import dev.floatip.testing.VipWatch;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * spec.addressLabels and spec.excludedAddresses on a real wire, two agents (r1 150 &gt; r2 100):
 * the master's addresses carry their IFA_LABEL as {@code ip} reads it back ({@code ip -4 addr show
 * label eth0:10}, {@code ip -j addr}); the excluded address is held and announced like the
 * advertised one (the client's neighbour entry follows it on failover, without traffic) while the
 * backup, which compares every advert's address list with its own advertised ones (RFC 5798 §7.1),
 * never sees it listed; {@code floatip status} shows both.
 */
class AddressLabelsIT {

  private static final String VIP = "192.0.2.200/24";
  private static final String EXCLUDED = "192.0.2.201/24";
  private static final List<InetAddress> BOTH =
      List.of(VipWatch.address(VIP), VipWatch.address(EXCLUDED));
  private static final Duration START = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NOBODY = "02:00:00:00:00:99";

  @RegisterExtension static final SharedLab LAB = SharedLab.agents("alb", 2);

  private final List<LabDaemon> agents = new ArrayList<>();

  @AfterEach
  void reset() {
    LabDaemon.stopAll(agents);
    LAB.watch().removeEverywhere(LAB.lab().routers(), BOTH);
    LAB.lab().exec(LAB.lab().client(), "ip", "neigh", "flush", "dev", "eth0");
  }

  /** The label {@code ip -j addr} shows on {@code address} in {@code node}, if it holds it. */
  private static Optional<String> label(Node node, String address) throws Exception {
    String local = address.substring(0, address.indexOf('/'));
    JsonNode links = JSON.readTree(LAB.lab().exec(node, "ip", "-j", "addr", "show", "dev", "eth0"));
    for (JsonNode link : links) {
      for (JsonNode a : link.path("addr_info")) {
        if (a.path("local").asText().equals(local)) {
          return Optional.of(a.path("label").asText());
        }
      }
    }
    return Optional.empty();
  }

  @Test
  void labelledAndExcludedAddressesMoveWithTheVip(TestInfo test) throws Exception {
    Path dir = ItLogs.dir(test);
    Node r1 = LAB.lab().router(1);
    Node r2 = LAB.lab().router(2);
    Node client = LAB.lab().client();
    List<Node> all = LAB.lab().routers();
    Path config =
        FloatipYaml.vip("web", 61)
            .multicast()
            .addresses(VIP)
            .interval("100ms")
            .priority(r1.name(), 150)
            .priority(r2.name(), 100)
            .spec("excludedAddresses", "- " + EXCLUDED)
            .spec(
                "addressLabels", "\"" + VIP + "\": \"eth0:10\"\n\"" + EXCLUDED + "\": \"eth0:11\"")
            .write(dir.resolve("vip.yaml"));

    LabDaemon a1 = LabDaemon.agent(LAB.lab(), r1, config, dir.resolve("agent-r1.log"));
    agents.add(a1);
    LabDaemon a2 = LabDaemon.agent(LAB.lab(), r2, config, dir.resolve("agent-r2.log"));
    agents.add(a2);
    LAB.watch().awaitSoleHolder(r1, all, BOTH, START);
    a2.awaitLine(START, "web/v4", "-> BACKUP");

    // ip reads the labels back
    assertThat(LAB.lab().exec(r1, "ip", "-4", "addr", "show", "label", "eth0:10"))
        .contains("inet " + VIP)
        .doesNotContain("192.0.2.201");
    assertThat(LAB.lab().exec(r1, "ip", "-4", "addr", "show", "label", "eth0:11"))
        .contains("inet " + EXCLUDED);
    assertThat(label(r1, VIP)).contains("eth0:10");
    assertThat(label(r1, EXCLUDED)).contains("eth0:11");
    assertThat(a1.status("web", "ipv4").addresses())
        .containsExactly(VIP + " label eth0:10", EXCLUDED + " label eth0:11 excluded");

    // the excluded address is announced like the other: the client's stale entries (set to a MAC
    // nobody has) follow the new master, without traffic (arp_accept=0 updates existing entries)
    for (InetAddress a : BOTH) {
      LAB.lab()
          .exec(
              client,
              "ip",
              "neigh",
              "replace",
              VipWatch.literal(a),
              "lladdr",
              NOBODY,
              "dev",
              "eth0",
              "nud",
              "stale");
    }
    assertThat(LAB.watch().neighbour(client, BOTH.get(1))).contains(NOBODY);
    a1.sigterm();
    LAB.watch().awaitSoleHolder(r2, all, BOTH, Duration.ofSeconds(10));
    LAB.watch().awaitNeighbour(client, BOTH, r2.mac(), Duration.ofSeconds(2));
    assertThat(label(r2, EXCLUDED)).contains("eth0:11");
    assertThat(label(r1, EXCLUDED)).isEmpty();

    // r2 heard r1's adverts for seconds: never one listing the excluded address
    assertThat(a2.lines()).noneMatch(l -> l.contains("RFC 5798 §7.1"));
  }
}
