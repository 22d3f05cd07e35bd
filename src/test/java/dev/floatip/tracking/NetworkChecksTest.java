package dev.floatip.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.floatip.api.v1alpha1.HttpCheck;
import dev.floatip.api.v1alpha1.TcpCheck;
import dev.floatip.tracking.Attempt.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TCP and HTTP checks against servers on 127.0.0.1 only. */
class NetworkChecksTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private ExecutorService blocking;
  private HttpClient client;
  private HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void setUp() throws IOException {
    blocking = Executors.newVirtualThreadPerTaskExecutor();
    client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(blocking);
    server.createContext("/ok", x -> reply(x, 200));
    server.createContext("/broken", x -> reply(x, 503));
    server.createContext("/moved", x -> reply(x, 302));
    server.createContext(
        "/hang",
        x -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          reply(x, 200);
        });
    server.start();
  }

  private static void reply(com.sun.net.httpserver.HttpExchange x, int status) throws IOException {
    x.getResponseHeaders().add("Location", "/ok");
    x.sendResponseHeaders(status, -1);
    x.close();
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    server.stop(0);
    client.shutdownNow();
    blocking.shutdownNow();
  }

  private Outcome tcp(String address, Duration timeout) throws Exception {
    TcpCheck check = new TcpCheck("t", address, null, null, null, null, null);
    return NetworkChecks.tcp(check, timeout, blocking).get().result().get(30, TimeUnit.SECONDS);
  }

  private Outcome http(String path, Integer expected, Duration timeout) throws Exception {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
    HttpCheck check = new HttpCheck("h", url, expected, null, null, null, null, null);
    return NetworkChecks.http(check, timeout, client).get().result().get(30, TimeUnit.SECONDS);
  }

  @Test
  void tcpConnectSucceedsWhileSomethingListens() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(tcp("127.0.0.1:" + listener.getLocalPort(), TIMEOUT))
          .isEqualTo(new Outcome(true, "connected"));
    }
  }

  @Test
  void tcpConnectFailsWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = listener.getLocalPort();
    }
    assertThat(tcp("127.0.0.1:" + port, TIMEOUT))
        .isEqualTo(new Outcome(false, "connection refused"));
  }

  @Test
  void aTcpAddressThatIsNoIpLiteralFailsWithoutALookup() throws Exception {
    Outcome o = tcp("localhost:80", TIMEOUT);
    assertThat(o.ok()).isFalse();
    assertThat(o.message()).startsWith("invalid address localhost:80");
  }

  @Test
  void httpExpectsStatus200ByDefault() throws Exception {
    assertThat(http("/ok", null, TIMEOUT)).isEqualTo(new Outcome(true, "status 200"));
    assertThat(http("/broken", null, TIMEOUT))
        .isEqualTo(new Outcome(false, "status 503, expected 200"));
  }

  @Test
  void httpComparesTheExpectedStatusAndDoesNotFollowRedirects() throws Exception {
    assertThat(http("/broken", 503, TIMEOUT)).isEqualTo(new Outcome(true, "status 503"));
    assertThat(http("/moved", null, TIMEOUT))
        .isEqualTo(new Outcome(false, "status 302, expected 200"));
    assertThat(http("/missing", null, TIMEOUT))
        .isEqualTo(new Outcome(false, "status 404, expected 200"));
  }

  @Test
  void anHttpServerThatDoesNotAnswerInTimeFails() throws Exception {
    assertThat(http("/hang", null, Duration.ofMillis(300)))
        .isEqualTo(new Outcome(false, "no answer within 300ms"));
  }

  @Test
  void httpToAClosedPortFails() throws Exception {
    int port;
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = listener.getLocalPort();
    }
    HttpCheck check =
        new HttpCheck("h", "http://127.0.0.1:" + port + "/", null, null, null, null, null, null);
    Outcome o = NetworkChecks.http(check, TIMEOUT, client).get().result().get(30, TimeUnit.SECONDS);
    assertThat(o).isEqualTo(new Outcome(false, "connection refused"));
  }
}
