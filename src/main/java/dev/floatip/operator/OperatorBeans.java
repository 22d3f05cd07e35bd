package dev.floatip.operator;

import dev.floatip.operator.model.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** CDI wiring of the plain operator values. */
@ApplicationScoped
public class OperatorBeans {

  @Produces
  @Singleton
  OperatorConfig config(OperatorSettings settings) {
    return settings.toConfig();
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
