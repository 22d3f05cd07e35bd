package dev.floatip.agent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * /q/health/live: the event loop advances (its heartbeat is fresh). /q/health/ready: it runs
 * routers.
 */
final class AgentHealth {

  static final String LOOP = "vrrp-event-loop";

  private AgentHealth() {}

  /**
   * Down once the loop has not checked its timers for {@link EventLoop#STALLED_AFTER}: a stuck loop
   * sends no adverts while its addresses stay up, so the kubelet must restart the agent. Reads the
   * heartbeat only: the check never waits for the loop it judges.
   */
  static HealthCheckResponse liveness(EventLoop loop) {
    java.time.Duration ago = loop.sinceLastTick();
    var response = HealthCheckResponse.named(LOOP).withData("lastTickMillisAgo", ago.toMillis());
    if (ago.compareTo(EventLoop.STALLED_AFTER) > 0) {
      return response
          .down()
          .withData(
              "error",
              "the event loop has not advanced for "
                  + ago.toMillis()
                  + " ms (limit "
                  + EventLoop.STALLED_AFTER.toMillis()
                  + " ms)")
          .build();
    }
    return response.up().build();
  }

  @Liveness
  @ApplicationScoped
  static class EventLoopAlive implements HealthCheck {
    @Inject AgentRuntime runtime;

    @Override
    public HealthCheckResponse call() {
      return runtime
          .loop()
          .map(AgentHealth::liveness)
          .orElseGet(() -> HealthCheckResponse.up(LOOP)); // nothing to be alive for (yet)
    }
  }

  @Readiness
  @ApplicationScoped
  static class AgentReady implements HealthCheck {
    @Inject AgentRuntime runtime;

    @Override
    public HealthCheckResponse call() {
      return runtime.loop().isPresent()
          ? HealthCheckResponse.up("agent")
          : HealthCheckResponse.down("agent");
    }
  }
}
