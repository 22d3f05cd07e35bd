package dev.floatip.vrrp.sim;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A scenario test: runs once for every delivery profile of {@link Jitter#profiles()}. The method
 * takes the {@link Jitter} as its only parameter and builds its {@link SimulatedLan} from it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("dev.floatip.vrrp.sim.Jitter#profiles")
public @interface Scenario {}
