package dev.floatip.agent;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounds the request rate of the HTTP port (/q/metrics, /status, everything but the health probes):
 * beyond {@code floatip.http.max-requests-per-second} (bursts of twice that) a request gets 429 and
 * its connection is closed. Health probes are exempt and cheap (a heartbeat read), so a flood
 * cannot make the kubelet restart a healthy agent. Connections, idle time and request sizes are
 * bounded in application.properties ({@code quarkus.http.limits.*}).
 */
@ApplicationScoped
public class HttpRequestLimit {

  /** Runs before Quarkus' own handlers and every route. */
  static final int PRIORITY = 10_000;

  static final String HEALTH = "/q/health";

  private final RequestBudget budget;

  HttpRequestLimit(
      @ConfigProperty(name = "floatip.http.max-requests-per-second", defaultValue = "20")
          int perSecond) {
    this.budget = new RequestBudget(2 * perSecond, perSecond, System::nanoTime);
  }

  void register(@Observes Filters filters) {
    filters.register(this::filter, PRIORITY);
  }

  private void filter(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (path.equals(HEALTH) || path.startsWith(HEALTH + "/") || budget.tryTake()) {
      ctx.next();
      return;
    }
    ctx.response()
        .setStatusCode(429)
        .putHeader("retry-after", "1")
        .putHeader("connection", "close")
        .end();
  }
}
