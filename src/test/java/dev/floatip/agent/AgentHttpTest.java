package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plain agent's HTTP port (issue 15, and issue 12's limits that the Quarkus one had): the
 * endpoints answer with the status codes and JSON shapes of the Quarkus agent (MicroProfile Health,
 * Prometheus text, {@code /status}); junk creates no meter series; connections are capped and
 * silent ones closed; the request rate is bounded but health probes pass; a slow client blocks
 * neither the other clients nor the VRRP loop. The JDK server reads its limits once per JVM, when
 * the first server is made: this test's package runs before the other tests that make one.
 */
class AgentHttpTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AgentRuntime runtime = new AgentRuntime(registry);
  private final EventLoop loop =
      new EventLoop(Clock.systemUTC(), new FakeDataplane(), List.of(runtime.metrics()));
  private final AgentHttp http;

  AgentHttpTest() throws IOException {
    http = AgentHttp.bind(new InetSocketAddress("127.0.0.1", 0), runtime, registry);
  }

  @AfterEach
  void stop() {
    http.close();
    runtime.stopped();
    loop.close();
  }

  private void serveRunningLoop() {
    loop.start();
    runtime.started(loop, vip -> Optional.empty());
    http.start();
  }

  record Response(int status, String head, String body) {}

  /** One HTTP/1.1 request on its own connection; status -1 when closed unanswered. */
  private Response request(String method, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(http.address(), 5_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          (method + " " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String all;
      try {
        all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.net.SocketException e) {
        // a connection the server closed before reading what was sent ends in a reset
        return new Response(-1, "", "");
      }
      if (all.length() < 12) {
        return new Response(-1, "", "");
      }
      int split = all.indexOf("\r\n\r\n");
      return new Response(
          Integer.parseInt(all.substring(9, 12)),
          all.substring(0, split).toLowerCase(),
          all.substring(split + 4));
    }
  }

  private int status(String path) throws IOException {
    return request("GET", path).status();
  }

  @Test
  void healthHasMicroProfileShapeAndCodes() throws IOException {
    http.start(); // serving before the loop runs: alive, not ready
    Response ready = request("GET", "/q/health/ready");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.head()).contains("content-type: application/json");
    JsonNode down = JSON.readTree(ready.body());
    assertThat(down.get("status").asText()).isEqualTo("DOWN");
    assertThat(down.get("checks").get(0).get("name").asText()).isEqualTo("agent");
    assertThat(down.get("checks").get(0).get("status").asText()).isEqualTo("DOWN");
    assertThat(status("/q/health/live")).isEqualTo(200);

    loop.start();
    runtime.started(loop, vip -> Optional.empty());
    assertThat(status("/q/health/ready")).isEqualTo(200);
    JsonNode live = JSON.readTree(request("GET", "/q/health/live").body());
    assertThat(live.get("status").asText()).isEqualTo("UP");
    JsonNode check = live.get("checks").get(0);
    assertThat(check.get("name").asText()).isEqualTo("vrrp-event-loop");
    assertThat(check.get("status").asText()).isEqualTo("UP");
    assertThat(check.get("data").get("lastTickMillisAgo").isNumber()).isTrue();
    JsonNode all = JSON.readTree(request("GET", "/q/health").body());
    assertThat(all.get("checks")).hasSize(2);
  }

  @Test
  void metricsStatusAndUnknownPaths() throws IOException {
    serveRunningLoop();
    Response metrics = request("GET", "/q/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.head()).contains("content-type: text/plain; version=0.0.4");
    assertThat(metrics.body()).contains("# TYPE ").contains("jvm_memory_used_bytes");
    Response status = request("GET", "/status");
    assertThat(status.status()).isEqualTo(200);
    assertThat(JSON.readTree(status.body()).isArray()).isTrue();
    assertThat(status("/nope")).isEqualTo(404);
    assertThat(request("POST", "/status").status()).isEqualTo(405);
    assertThat(request("HEAD", "/q/health/live").status()).isEqualTo(200);
  }

  @Test
  void statusIs503WhenTheAgentDoesNotRun() throws IOException {
    http.start();
    assertThat(status("/status")).isEqualTo(503);
  }

  @Test
  void randomMethodsAndUrisDoNotCreateMeterSeries() throws IOException {
    serveRunningLoop();
    status("/q/metrics");
    int before = meterIds().size();
    Random random = new Random(12);
    int answered = 0;
    for (int i = 0; i < 100; i++) {
      String method = "M" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).toUpperCase();
      if (request(method, "/x" + Integer.toString(random.nextInt(), 36)).status() > 0) {
        answered++;
      }
      status("/q/health/u" + random.nextInt());
    }
    assertThat(answered).as("the server answered the junk").isPositive();
    assertThat(meterIds().size()).isLessThanOrEqualTo(before + 2);
    assertThat(meterIds()).noneMatch(id -> id.startsWith("http.server"));
  }

  private Set<String> meterIds() {
    return registry.getMeters().stream()
        .map(Meter::getId)
        .map(id -> id.getName() + id.getTags())
        .collect(Collectors.toSet());
  }

  @Test
  void theRequestRateIsBoundedButHealthProbesPass() throws IOException {
    serveRunningLoop();
    int limited = 0;
    for (int i = 0; i < 120; i++) {
      Response r = request("GET", "/q/metrics");
      if (r.status() == 429) {
        limited++;
        assertThat(r.head()).contains("retry-after: 1");
      }
    }
    assertThat(limited).as("requests refused with 429 of 120 in a burst").isGreaterThan(40);
    for (int i = 0; i < 50; i++) {
      assertThat(status("/q/health/live")).as("a liveness probe in a flood").isEqualTo(200);
    }
    await().atMost(DEADLINE).until(() -> status("/q/metrics") == 200);
  }

  @Test
  void connectionsAreCapped() throws IOException {
    serveRunningLoop();
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < AgentHttp.MAX_CONNECTIONS; i++) {
        Socket s = new Socket();
        open.add(s);
        s.connect(http.address(), 5_000);
        s.setSoTimeout(10_000);
        s.getOutputStream()
            .write(
                "GET /q/health/live HTTP/1.1\r\nHost: t\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        assertThat(s.getInputStream().readNBytes(12).length).isEqualTo(12);
      }
      assertThat(status("/q/health/live"))
          .as("connection %s", AgentHttp.MAX_CONNECTIONS + 1)
          .isEqualTo(-1);
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
    await().atMost(DEADLINE).until(() -> status("/q/health/live") == 200);
  }

  @Test
  void aSlowClientBlocksNeitherOtherClientsNorTheLoop() throws Exception {
    serveRunningLoop();
    try (Socket slow = new Socket()) {
      slow.connect(http.address(), 5_000);
      slow.setSoTimeout((int) DEADLINE.toMillis());
      // half a request head, then silence: a handler thread waits for the rest
      slow.getOutputStream()
          .write("GET /status HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 20; i++) {
        assertThat(status("/q/health/live")).isEqualTo(200);
        assertThat(status("/status")).isEqualTo(200);
        CountDownLatch ran = new CountDownLatch(1);
        loop.execute(ran::countDown);
        assertThat(ran.await(1, TimeUnit.SECONDS)).as("the loop runs tasks").isTrue();
      }
      long start = System.nanoTime();
      assertThat(slow.getInputStream().read()).as("closed by the server").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(Duration.ofSeconds(AgentHttp.REQUEST_SECONDS + 5));
    }
  }
}
