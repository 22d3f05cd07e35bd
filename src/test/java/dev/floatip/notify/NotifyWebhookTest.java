package dev.floatip.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.floatip.api.v1alpha1.NotifySpec;
import dev.floatip.api.v1alpha1.WebhookSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook against a JDK HTTP server on 127.0.0.1 that fails on request. */
class NotifyWebhookTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Fast retries: 1 ms, 2 ms, 4 ms ... */
  private final NotifyRuntime runtime =
      new NotifyRuntime(
          NotifyOptions.DEFAULT.withWebhookBackoff(
              new Backoff(4, Duration.ofMillis(1), Duration.ofMillis(8))));

  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int failFirst;
  private volatile int failStatus = 503;
  private final CountDownLatch hold = new CountDownLatch(1);
  private volatile boolean holding;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          int n = requests.incrementAndGet();
          if (holding) {
            try {
              hold.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          int status = n <= failFirst ? failStatus : 204;
          if (status == 204) {
            bodies.add(body);
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    hold.countDown();
    runtime.close();
    server.stop(0);
  }

  private NotifySpec webhook(String url) {
    return new NotifySpec(null, null, null, null, null, null, "10s", null, new WebhookSpec(url));
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  @Test
  void postsEachTransitionAsJsonInOrder() throws Exception {
    Notifications n = runtime.notifications("dns", webhook(url()));
    n.notify(Transitions.startup("dns"));
    n.notify(Transitions.master("dns", 110));
    n.notify(Transitions.stop("dns", 110));
    assertThat(n.awaitIdle(DEADLINE)).isTrue();

    assertThat(contentTypes).containsOnly("application/json");
    assertThat(bodies).hasSize(3);
    JsonNode master = JSON.readTree(bodies.get(1));
    assertThat(master.get("vip").asText()).isEqualTo("dns");
    assertThat(master.get("family").asText()).isEqualTo("IPv4");
    assertThat(master.get("node").asText()).isEqualTo("node-a");
    assertThat(master.get("from").asText()).isEqualTo("BACKUP");
    assertThat(master.get("to").asText()).isEqualTo("MASTER");
    assertThat(master.get("state").asText()).isEqualTo("MASTER");
    assertThat(master.get("priority").asInt()).isEqualTo(110);
    assertThat(master.get("reason").asText()).isEqualTo("MASTER_DOWN");
    assertThat(master.get("timestamp").asText()).isEqualTo("2025-06-01T12:00:00.250Z");
    assertThat(bodies)
        .extracting(b -> JSON.readTree(b).get("state").asText())
        .containsExactly("BACKUP", "MASTER", "STOP");
    assertThat(JSON.readTree(bodies.get(2)).get("to").asText()).isEqualTo("INITIALIZE");
  }

  @Test
  void retriesWithBackoffUntilTheServerAccepts() throws Exception {
    failFirst = 3;
    Notifications n = runtime.notifications("dns", webhook(url()));
    n.notify(Transitions.master("dns", 100));
    n.notify(Transitions.backup("dns", 90));
    assertThat(n.awaitIdle(DEADLINE)).isTrue();
    // three 503s, then the first transition on the fourth try, then the second at once
    assertThat(requests.get()).isEqualTo(5);
    assertThat(bodies)
        .extracting(b -> JSON.readTree(b).get("priority").asInt())
        .containsExactly(100, 90);
  }

  @Test
  void givesUpAfterTheLastAttemptAndGoesOnWithTheNext() throws Exception {
    failFirst = 4;
    Notifications n = runtime.notifications("dns", webhook(url()));
    n.notify(Transitions.master("dns", 100));
    n.notify(Transitions.backup("dns", 90));
    assertThat(n.awaitIdle(DEADLINE)).isTrue();
    assertThat(requests.get()).isEqualTo(5);
    assertThat(bodies)
        .extracting(b -> JSON.readTree(b).get("priority").asInt())
        .containsExactly(90);
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    failFirst = 1;
    failStatus = 400;
    Notifications n = runtime.notifications("dns", webhook(url()));
    n.notify(Transitions.master("dns", 100));
    n.notify(Transitions.backup("dns", 90));
    assertThat(n.awaitIdle(DEADLINE)).isTrue();
    assertThat(requests.get()).isEqualTo(2);
    assertThat(bodies)
        .extracting(b -> JSON.readTree(b).get("priority").asInt())
        .containsExactly(90);
  }

  @Test
  void aRefusedConnectionIsRetriedToo() throws Exception {
    String refused = url();
    server.stop(0);
    Notifications n = runtime.notifications("dns", webhook(refused));
    n.notify(Transitions.master("dns", 100));
    assertThat(n.awaitIdle(DEADLINE)).isTrue();
    assertThat(requests.get()).isZero();
  }

  @Test
  void aSlowWebhookDoesNotHoldUpTheHooks(@TempDir Path dir) throws Exception {
    holding = true;
    Path log = dir.resolve("log");
    List<String> command =
        List.of(Scripts.script(dir, "notify", "echo \"$*\" >> " + log).toString());
    Notifications n =
        runtime.notifications(
            "dns",
            new NotifySpec(
                command, null, null, null, null, null, "10m", null, new WebhookSpec(url())));
    n.notify(Transitions.master("dns", 100));
    n.notify(Transitions.backup("dns", 90));
    await().atMost(DEADLINE).until(() -> Scripts.lines(log).size() == 2);
    assertThat(Scripts.lines(log))
        .containsExactly("INSTANCE dns MASTER 100", "INSTANCE dns BACKUP 90");
    assertThat(requests.get()).isEqualTo(1);
    assertThat(n.awaitIdle(Duration.ZERO)).isFalse();
    hold.countDown();
    assertThat(n.awaitIdle(DEADLINE)).isTrue();
    assertThat(bodies).hasSize(2);
  }
}
