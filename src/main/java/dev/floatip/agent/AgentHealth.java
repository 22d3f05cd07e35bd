package dev.floatip.agent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** /q/health/live: the event loop answers. /q/health/ready: it runs routers. */
final class AgentHealth {

  private AgentHealth() {}

  @Liveness
  @ApplicationScoped
  static class EventLoopAlive implements HealthCheck {
    @Inject AgentRuntime runtime;

    @Override
    public HealthCheckResponse call() {
      if (runtime.loop().isEmpty()) {
        return HealthCheckResponse.up("vrrp-event-loop"); // nothing to be alive for (yet)
      }
      try {
        int routers = runtime.status().join().size();
        return HealthCheckResponse.named("vrrp-event-loop")
            .up()
            .withData("routers", routers)
            .build();
      } catch (RuntimeException e) {
        return HealthCheckResponse.named("vrrp-event-loop")
            .down()
            .withData("error", "no answer within " + AgentRuntime.RESPONSIVE)
            .build();
      }
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
