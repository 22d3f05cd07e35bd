package dev.floatip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floatip.api.v1alpha1.Phase;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.api.v1alpha1.VirtualIPStatus;
import dev.floatip.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code floatip get} shows exactly the committed CRD's printer columns, with values from live
 * status on Fabric8's mock API server (CRUD mode; a kube-apiserver would print the same table
 * server-side), in kubectl's layout.
 */
class GetCommandTest {

  private static MockApiServer api;

  @BeforeAll
  static void start() throws IOException {
    api = MockApiServer.start(InetAddress.getLoopbackAddress(), 0, MockApiServer.CRD, List.of());
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static CustomResourceDefinition committedCrd() throws IOException {
    try (InputStream in = Files.newInputStream(MockApiServer.CRD)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
  }

  @Test
  void columnsAreTheCommittedCrdsPrinterColumns() throws IOException {
    var versions = committedCrd().getSpec().getVersions();
    assertThat(versions).hasSize(1);
    List<GetCommand.Column> fromCrd =
        versions.getFirst().getAdditionalPrinterColumns().stream()
            .map(
                c ->
                    new GetCommand.Column(
                        c.getName(),
                        c.getJsonPath(),
                        c.getType(),
                        c.getPriority() == null ? 0 : c.getPriority()))
            .toList();

    assertThat(GetCommand.columns()).containsExactlyElementsOf(fromCrd);
    // DESIGN §4
    assertThat(GetCommand.header(GetCommand.columns()))
        .containsExactly("NAME", "ADDRESSES", "VRID", "MASTER", "STATE", "NODES", "AGE");
  }

  /**
   * Every JSON path of the committed CRD finds a value on a VirtualIP whose status is the Java
   * type's, so a renamed status field cannot leave a column that always reads {@code <none>}.
   */
  @Test
  void everyCrdColumnResolvesOnALiveVirtualIp() throws IOException {
    KubernetesClient client = api.client();
    create(client, "every", "[192.0.2.200/24]");
    // the status as the operator's Java type serialises it (the mock stores any field name)
    VirtualIPStatus status =
        new VirtualIPStatus(1L, 51, "n1", Phase.Active, "1/1", null, null, "192.0.2.200/24");
    client
        .genericKubernetesResources(VirtualIP.API_VERSION, VirtualIP.KIND)
        .withName("every")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
    JsonNode live =
        Serialization.jsonMapper()
            .valueToTree(
                client
                    .genericKubernetesResources(VirtualIP.API_VERSION, VirtualIP.KIND)
                    .withName("every")
                    .get());
    for (var c : committedCrd().getSpec().getVersions().getFirst().getAdditionalPrinterColumns()) {
      JsonNode v = GetCommand.at(live, c.getJsonPath());
      assertThat(v).as(c.getName() + " at " + c.getJsonPath()).isNotNull();
      assertThat(v.isNull() || v.isMissingNode()).as(c.getName()).isFalse();
    }
    delete(client, "every");
  }

  @Test
  void printsTheTableFromLiveStatus() throws Exception {
    KubernetesClient client = api.client();
    createWithStatus(client, "dns");
    create(client, "web", "[198.51.100.7/24]");
    try {
      Output out = new Output();
      int code = new GetCommand().run(client, out.stream(), out.errStream());

      assertThat(code).isZero();
      assertThat(out.err()).isEmpty();
      List<String> lines = out.text().lines().toList();
      assertThat(lines).hasSize(3);
      assertThat(lines.get(0)).matches("NAME +ADDRESSES +VRID +MASTER +STATE +NODES +AGE");
      assertThat(lines.get(1))
          .matches("dns +192\\.0\\.2\\.200/24, 2001:db8::200/64 +51 +n1 +Active +3/3 +[0-9]+s");
      assertThat(lines.get(2)).matches("web +<none> +<none> +<none> +<none> +<none> +[0-9]+s");
      assertKubectlLayout(lines);
    } finally {
      delete(client, "dns");
      delete(client, "web");
    }
  }

  /**
   * kubectl's tabwriter: every cell of a column starts at the same place, 3 spaces after the
   * column's widest cell (and at least 6 after its start). Cells here hold no spaces.
   */
  private static void assertKubectlLayout(List<String> lines) {
    // cells are separated by at least three spaces; ADDRESSES holds "a, b"
    List<List<String>> cells = lines.stream().map(l -> List.of(l.split("  +"))).toList();
    for (int col = 0; col + 1 < cells.getFirst().size(); col++) {
      int c = col;
      int widest = cells.stream().mapToInt(r -> r.get(c).length()).max().orElseThrow();
      int start = start(lines.getFirst(), col);
      int next = start(lines.getFirst(), col + 1);
      assertThat(next - start).as("column " + col).isEqualTo(Math.max(6, widest + 3));
      for (String l : lines) {
        assertThat(start(l, col + 1)).as("column %d of: %s", col + 1, l).isEqualTo(next);
      }
    }
  }

  /** Where the {@code n}-th cell (0-based) of a row starts. */
  private static int start(String line, int n) {
    int i = 0;
    for (int cell = 0; cell < n; cell++) {
      while (!line.startsWith("  ", i)) {
        i++;
      }
      while (line.charAt(i) == ' ') {
        i++;
      }
    }
    return i;
  }

  @Test
  void oneByNameAndNotFound() throws Exception {
    KubernetesClient client = api.client();
    createWithStatus(client, "one");
    try {
      GetCommand get = new GetCommand();
      get.name = "one";
      Output out = new Output();
      assertThat(get.run(client, out.stream(), out.errStream())).isZero();
      assertThat(out.text().lines()).hasSize(2);

      get.name = "nope";
      Output missing = new Output();
      assertThat(get.run(client, missing.stream(), missing.errStream())).isEqualTo(1);
      assertThat(missing.err()).contains("NotFound", "virtualips.floatip.dev \"nope\" not found");
      assertThat(missing.text()).isEmpty();
    } finally {
      delete(client, "one");
    }
  }

  @Test
  void noResources() throws Exception {
    Output out = new Output();
    assertThat(new GetCommand().run(api.client(), out.stream(), out.errStream())).isZero();
    assertThat(out.text()).isEmpty();
    assertThat(out.err()).isEqualTo("No resources found\n");
  }

  @Test
  void watchPrintsARowPerChange() throws Exception {
    KubernetesClient client = api.client();
    create(client, "watched", "[203.0.113.9/24]");
    // the operator writes addressList on its first reconcile, before any agent reports
    client
        .genericKubernetesResources(VirtualIP.API_VERSION, VirtualIP.KIND)
        .withName("watched")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\": {\"addressList\": \"203.0.113.9/24\"}}");
    GetCommand get = new GetCommand();
    get.watch = true;
    Output out = new Output();
    CompletableFuture<Object> result = new CompletableFuture<>();
    Thread running =
        new Thread(
            () -> {
              try {
                result.complete(get.run(client, out.stream(), out.errStream()));
              } catch (InterruptedException e) {
                result.complete(e); // Ctrl-C
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            },
            "floatip-get-w");
    running.start();
    try {
      awaitLines(out, 2, Duration.ofSeconds(10));
      setStatus(client, "watched", "n2", 52, "203.0.113.9/24");
      awaitLines(out, 3, Duration.ofSeconds(10));

      List<String> lines = out.text().lines().toList();
      assertThat(lines).as("header, the listed row, the change: no replayed rows").hasSize(3);
      assertThat(lines.get(1)).matches("watched +203\\.0\\.113\\.9/24 +<none> .*");
      assertThat(lines.get(2)).matches("watched +203\\.0\\.113\\.9/24 +52 +n2 +Active .*");
      assertThat(lines.get(2).indexOf(" 52 ") + 1).isEqualTo(lines.get(0).indexOf("VRID"));
      running.interrupt();
      assertThat(result.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    } finally {
      running.interrupt();
      delete(client, "watched");
    }
  }

  @ParameterizedTest
  @CsvSource({
    "-5, <invalid>",
    "-1, 0s",
    "0, 0s",
    "119, 119s",
    "120, 2m",
    "150, 2m30s",
    "600, 10m",
    "10799, 179m",
    "10800, 3h",
    "11100, 3h5m",
    "28800, 8h",
    "172799, 47h",
    "172800, 2d",
    "183600, 2d3h",
    "691200, 8d",
    "63072000, 2y",
    "63158400, 2y1d",
    "252460800, 8y"
  })
  void ageIsKubectlsHumanDuration(long seconds, String expected) {
    assertThat(GetCommand.age(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  @Test
  void cells() {
    JsonNode o =
        Serialization.jsonMapper()
            .createObjectNode()
            .put("x", "")
            .set("status", Serialization.jsonMapper().createObjectNode().put("vrid", 7));
    Instant now = Instant.parse("2026-11-22T00:00:00Z");
    assertThat(GetCommand.cell(o, new GetCommand.Column("V", ".status.vrid", "integer", 0), now))
        .isEqualTo("7");
    assertThat(GetCommand.cell(o, new GetCommand.Column("M", ".status.nope", "string", 0), now))
        .isEqualTo("<none>");
    assertThat(GetCommand.cell(o, new GetCommand.Column("E", ".x", "string", 0), now)).isEmpty();
    assertThat(GetCommand.cell(o, new GetCommand.Column("T", "{.status.vrid}", "string", 0), now))
        .isEqualTo("7");
  }

  // --- helpers

  private static void create(KubernetesClient client, String name, String addresses) {
    GenericKubernetesResource vip =
        Serialization.unmarshal(
            """
            apiVersion: floatip.dev/v1alpha1
            kind: VirtualIP
            metadata: {name: %s}
            spec: {addresses: %s}
            """
                .formatted(name, addresses),
            GenericKubernetesResource.class);
    client.genericKubernetesResources(VirtualIP.API_VERSION, VirtualIP.KIND).resource(vip).create();
  }

  private static void createWithStatus(KubernetesClient client, String name) {
    create(client, name, "[192.0.2.200/24, 2001:db8::200/64]");
    setStatus(client, name, "n1", 51, "192.0.2.200/24, 2001:db8::200/64");
  }

  /** As the operator writes its fields: a merge patch on the status subresource. */
  private static void setStatus(
      KubernetesClient client, String name, String master, int vrid, String addressList) {
    client
        .genericKubernetesResources(VirtualIP.API_VERSION, VirtualIP.KIND)
        .withName(name)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            """
            {"status": {"virtualRouterId": %d, "master": "%s", "phase": "Active",
                        "nodesReady": "3/3", "addressList": "%s",
                        "nodes": {"%s": {"state": "Master", "priority": 150}}}}
            """
                .formatted(vrid, master, addressList, master));
  }

  private static void delete(KubernetesClient client, String name) {
    client
        .genericKubernetesResources(VirtualIP.API_VERSION, VirtualIP.KIND)
        .withName(name)
        .delete();
  }

  private static void awaitLines(Output out, int n, Duration timeout) {
    await()
        .atMost(timeout)
        .alias(n + " lines of output")
        .until(() -> out.text().lines().count() >= n);
  }

  private static final class Output {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    PrintStream stream() {
      return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    PrintStream errStream() {
      return new PrintStream(err, true, StandardCharsets.UTF_8);
    }

    synchronized String text() {
      return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
      return err.toString(StandardCharsets.UTF_8);
    }
  }
}
