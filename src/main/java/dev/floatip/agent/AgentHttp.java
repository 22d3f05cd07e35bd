package dev.floatip.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The agent's HTTP port without a framework: the JDK's {@link HttpServer} serving {@code
 * /q/metrics} (Prometheus text), {@code /q/health}, {@code /q/health/live}, {@code /q/health/ready}
 * (MicroProfile Health JSON and status codes) and {@code GET /status}.
 *
 * <p>What a client can do to it is bounded (issue 12; README "Security notes"): {@value #THREADS}
 * handler threads and one dispatcher, at most {@value #MAX_CONNECTIONS} connections, a request must
 * arrive within {@value #REQUEST_SECONDS} s and idle connections close after as long, request heads
 * of 8 KiB at most, no body is read, and beyond {@code floatip.http.max-requests-per-second}
 * (bursts of twice that) a request gets 429 and its connection is closed. Health probes are exempt
 * from the rate and only read the loop's heartbeat, so a flood cannot make the kubelet restart a
 * healthy agent. No request creates a meter series. The VRRP loop never writes to a socket: {@code
 * /status} and {@code /q/metrics} (which refreshes the per-router gauges first) wait for the loop's
 * answer on a handler thread. Handler threads start with a request and end {@value #HANDLER_IDLE} s
 * after the last one (issue 15: an agent nobody asks runs none).
 */
public final class AgentHttp implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(AgentHttp.class);

  public static final String STATUS = "/status";
  public static final String METRICS = "/q/metrics";
  static final String HEALTH = "/q/health";

  /** The property (or {@code FLOATIP_HTTP_MAX_REQUESTS_PER_SECOND}) bounding the request rate. */
  public static final String RATE_PROPERTY = "floatip.http.max-requests-per-second";

  static final int THREADS = 2;
  static final int HANDLER_IDLE = 5;
  static final int MAX_CONNECTIONS = 32;
  static final int REQUEST_SECONDS = 10;

  static {
    // read once by the JDK's server (sun.net.httpserver.ServerConfig) when the first one is made
    setDefault("jdk.httpserver.maxConnections", Integer.toString(MAX_CONNECTIONS));
    setDefault("sun.net.httpserver.maxReqTime", Integer.toString(REQUEST_SECONDS));
    setDefault("sun.net.httpserver.maxRspTime", Integer.toString(REQUEST_SECONDS));
    setDefault("sun.net.httpserver.idleInterval", Integer.toString(REQUEST_SECONDS));
    setDefault("sun.net.httpserver.maxReqHeaderSize", Integer.toString(8 * 1024));
    setDefault("sun.net.httpserver.maxReqHeaders", "64");
  }

  private static void setDefault(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private final HttpServer server;
  private final AgentRuntime runtime;
  private final AgentHealth health;
  private final PrometheusMeterRegistry registry;
  private final RequestBudget budget;
  private final ObjectMapper json = objectMapper();
  private ThreadPoolExecutor executor;
  private JvmGcMetrics gc;

  private AgentHttp(
      HttpServer server, AgentRuntime runtime, PrometheusMeterRegistry registry, int perSecond) {
    this.server = server;
    this.runtime = runtime;
    this.health = new AgentHealth(runtime);
    this.registry = registry;
    this.budget = new RequestBudget(2 * perSecond, perSecond, System::nanoTime);
  }

  /**
   * Takes the port now (a clash must stop the agent before it touches the node); serves nothing
   * until {@link #start()}.
   *
   * @throws java.net.BindException when the address is in use
   */
  public static AgentHttp bind(
      InetSocketAddress address, AgentRuntime runtime, PrometheusMeterRegistry registry)
      throws IOException {
    return new AgentHttp(HttpServer.create(address, 0), runtime, registry, ratePerSecond());
  }

  static int ratePerSecond() {
    String v = System.getProperty(RATE_PROPERTY);
    if (v == null) {
      v = System.getenv("FLOATIP_HTTP_MAX_REQUESTS_PER_SECOND");
    }
    if (v == null || v.isBlank()) {
      return 20;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          RATE_PROPERTY + ": '" + v + "' is not a positive number of requests per second");
    }
  }

  /** The JSON of {@code /status}: ISO-8601 instants, as the Quarkus agent wrote them. */
  public static ObjectMapper objectMapper() {
    return JsonMapper.builder()
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .addModule(new ParameterNamesModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }

  /** Serves; called once the agent's routers run, off the path to the first advert. */
  public synchronized void start() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            HANDLER_IDLE,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            Thread.ofPlatform().daemon().name("http-", 0).factory());
    executor.allowCoreThreadTimeOut(true);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    LOG.debugf("serving %s, %s and %s on %s", METRICS, HEALTH, STATUS, address());
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public synchronized void close() {
    server.stop(0);
    if (executor != null) {
      executor.shutdownNow();
    }
    if (gc != null) {
      gc.close();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      boolean probe = path.equals(HEALTH) || path.startsWith(HEALTH + "/");
      if (!probe && !budget.tryTake()) {
        ex.getResponseHeaders().set("retry-after", "1");
        ex.getResponseHeaders().set("connection", "close");
        ex.sendResponseHeaders(429, -1);
        return;
      }
      String method = ex.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        ex.getResponseHeaders().set("allow", "GET, HEAD");
        ex.sendResponseHeaders(405, -1);
        return;
      }
      switch (path) {
        case METRICS -> {
          runtime.refresh();
          send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
        }
        case HEALTH -> health(ex, health.all());
        case HEALTH + "/live" -> health(ex, health.live());
        case HEALTH + "/ready" -> health(ex, health.ready());
        case STATUS -> status(ex);
        default -> ex.sendResponseHeaders(404, -1);
      }
    } catch (IOException e) {
      LOG.debugf("HTTP client went away: %s", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("HTTP request failed", e);
    }
  }

  private void health(HttpExchange ex, AgentHealth.Report report) throws IOException {
    send(
        ex,
        report.httpStatus(),
        "application/json;charset=UTF-8",
        json.writeValueAsString(report.json()));
  }

  private void status(HttpExchange ex) throws IOException {
    List<StatusView> views;
    try {
      // the loop completes the future; this thread (not the loop) writes to the client
      views = runtime.views().get(AgentRuntime.RESPONSIVE.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      send(ex, 503, "text/plain; charset=utf-8", e.getCause().getMessage());
      return;
    } catch (TimeoutException e) {
      send(ex, 503, "text/plain; charset=utf-8", "the agent's event loop does not answer");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    send(ex, 200, "application/json", json.writeValueAsString(views));
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("content-type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
