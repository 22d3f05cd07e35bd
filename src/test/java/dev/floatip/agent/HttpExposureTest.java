package dev.floatip.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 1: the HTTP port (on the node address in cluster mode) cannot grow the heap without
 * bound. Every distinct method and URI used to create {@code http_server_requests} series: 12,000
 * requests with random methods ended in an OutOfMemoryError.
 */
@QuarkusTest
class HttpExposureTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @Inject MeterRegistry registry;

  @TestHTTPResource("/")
  URL root;

  private InetSocketAddress server() {
    return new InetSocketAddress(root.getHost(), root.getPort());
  }

  /** One HTTP/1.1 request on its own connection; the status code, or -1 when closed unanswered. */
  private int request(String method, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(server(), 5_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          (method + " " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] head = new byte[12];
      int n = s.getInputStream().readNBytes(head, 0, head.length);
      return n < 12 ? -1 : Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII));
    }
  }

  private Set<String> meterIds() {
    return registry.getMeters().stream()
        .map(Meter::getId)
        .map(id -> id.getName() + id.getTags())
        .collect(Collectors.toSet());
  }

  @Test
  void randomMethodsAndUrisDoNotCreateMeterSeries() throws IOException {
    request("GET", "/q/health/live"); // the binders' first series, if any, exist before counting
    int before = meterIds().size();
    Random random = new Random(12);
    int answered = 0;
    for (int i = 0; i < 300; i++) {
      String method = "M" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).toUpperCase();
      String path = "/x" + Integer.toString(random.nextInt(), 36) + (i % 3 == 0 ? "/q" : "");
      if (request(method, path) > 0) {
        answered++;
      }
      request("GET", "/u" + random.nextInt());
    }
    assertThat(answered).as("the server answered the junk").isPositive();
    Set<String> after = meterIds();
    List<String> http = after.stream().filter(id -> id.startsWith("http.server.requests")).toList();
    assertThat(http)
        .as("http_server_requests series (%s of them)", http.size())
        .hasSizeLessThan(3)
        .isEmpty();
    assertThat(after.size())
        .as("meter series after 600 requests with random methods and URIs")
        .isLessThanOrEqualTo(before + 5);
  }

  @Test
  void connectionsAreCappedAndTimeOut() throws IOException {
    Config config = ConfigProvider.getConfig();
    int max = config.getValue("quarkus.http.limits.max-connections", Integer.class);
    assertThat(max).isBetween(8, 64);
    assertThat(config.getValue("quarkus.http.idle-timeout", Duration.class))
        .isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(config.getValue("quarkus.http.read-timeout", Duration.class))
        .isLessThanOrEqualTo(Duration.ofSeconds(10));

    // Quarkus counts per HTTP verticle (one per IO thread): one thread makes the cap exact
    assertThat(config.getValue("quarkus.http.io-threads", Integer.class)).isEqualTo(1);
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < max; i++) {
        Socket s = new Socket();
        open.add(s);
        s.connect(server(), 5_000);
        s.setSoTimeout(10_000);
        // a whole request on a kept-alive connection: the server has taken it
        s.getOutputStream()
            .write(
                "GET /q/health/live HTTP/1.1\r\nHost: t\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        assertThat(s.getInputStream().readNBytes(12).length).isEqualTo(12);
      }
      assertThat(request("GET", "/q/health/live")).as("connection %s", max + 1).isEqualTo(-1);
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
    await().atMost(DEADLINE).until(() -> request("GET", "/q/health/live") == 200);
  }

  @Test
  void aSilentConnectionIsClosedAfterTheIdleTimeout() throws IOException {
    try (Socket s = new Socket()) {
      s.connect(server(), 5_000);
      s.setSoTimeout((int) DEADLINE.toMillis());
      long start = System.nanoTime();
      assertThat(s.getInputStream().read()).as("closed by the server").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }
  }

  @Test
  void theRequestRateIsBoundedButHealthProbesPass() throws IOException {
    int limited = 0;
    for (int i = 0; i < 200; i++) {
      if (request("GET", "/q/metrics") == 429) {
        limited++;
      }
    }
    assertThat(limited).as("requests refused with 429 of 200 in a burst").isGreaterThan(100);
    for (int i = 0; i < 50; i++) {
      assertThat(request("GET", "/q/health/live")).as("a liveness probe in a flood").isEqualTo(200);
    }
    // the budget refills: a scrape succeeds again within a second or so
    await().atMost(DEADLINE).until(() -> request("GET", "/q/metrics") == 200);
  }
}
