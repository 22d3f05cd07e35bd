package dev.floatip.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** {@code GET /status}: the routers of this agent as JSON, for {@code floatip status}. */
@ApplicationScoped
public class StatusEndpoint {

  public static final String PATH = "/status";

  @Inject AgentRuntime runtime;
  @Inject ObjectMapper json;

  void routes(@Observes Router router) {
    router
        .get(PATH)
        .handler(
            ctx ->
                runtime
                    .views()
                    .whenComplete(
                        (views, error) -> {
                          if (error != null) {
                            ctx.response().setStatusCode(503).end(error.getMessage());
                            return;
                          }
                          try {
                            ctx.response()
                                .putHeader("content-type", "application/json")
                                .end(json.writeValueAsString(views));
                          } catch (JsonProcessingException e) {
                            ctx.response().setStatusCode(500).end(e.getMessage());
                          }
                        }));
  }
}
