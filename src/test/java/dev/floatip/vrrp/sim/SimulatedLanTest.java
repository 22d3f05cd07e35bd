package dev.floatip.vrrp.sim;

import static dev.floatip.vrrp.sim.SimulatedLan.T0;
import static dev.floatip.vrrp.sim.SimulatedLan.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floatip.vrrp.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness itself: delays stay in their bound, links keep order, partitions cut. */
class SimulatedLanTest {

  private static List<Duration> delays(SimulatedLan lan, SimRouter from, SimRouter to) {
    return to.receivedFrom(from).stream()
        .map(r -> Duration.between(from.lastSentBefore(r.at().plusNanos(1)).at(), r.at()))
        .toList();
  }

  private static SimulatedLan pair(Jitter jitter) {
    var lan = new SimulatedLan(jitter);
    lan.add("r1", "192.0.2.11", 150, RouterSpec.v3(Duration.ofMillis(10)));
    lan.add("r2", "192.0.2.12", 100, RouterSpec.v3(Duration.ofMillis(10)));
    lan.startAll();
    lan.runUntil(at(2_000));
    return lan;
  }

  @Test
  void randomDelaysAreSeededVariedAndBelowTheBound() {
    var a = pair(Jitter.random(1));
    var d = delays(a, a.hosts().get(0), a.hosts().get(1));
    assertTrue(d.size() > 150);
    assertTrue(d.stream().allMatch(x -> !x.isNegative() && x.compareTo(Duration.ofMillis(1)) < 0));
    assertTrue(d.stream().distinct().count() > d.size() / 2, "varied");
    var b = pair(Jitter.random(1));
    assertEquals(d, delays(b, b.hosts().get(0), b.hosts().get(1)), "same seed, same run");
  }

  @Test
  void instantAndWorstDeliveryAreExact() {
    var none = pair(Jitter.none());
    assertTrue(
        delays(none, none.hosts().get(0), none.hosts().get(1)).stream().allMatch(Duration::isZero));
    var worst = pair(Jitter.worst());
    assertTrue(
        delays(worst, worst.hosts().get(0), worst.hosts().get(1)).stream()
            .allMatch(x -> x.equals(Duration.ofNanos(999_999))));
  }

  @Test
  void timersAtTheSameInstantFireBeforeDeliveries() {
    // equal priorities: both timers fire at 3609.375 ms even with instant delivery
    var lan = new SimulatedLan(Jitter.none());
    var a = lan.add("a", "192.0.2.11", 100, RouterSpec.v2());
    var b = lan.add("b", "192.0.2.12", 100, RouterSpec.v2());
    lan.startAll();
    lan.runUntil(at(4_000));
    assertEquals(at(3609.375), a.firstTransitionTo(State.MASTER, T0).at());
    assertEquals(at(3609.375), b.firstTransitionTo(State.MASTER, T0).at());
  }

  @Test
  void partitionCutsBothWaysAndHealRestores() {
    var lan = pair(Jitter.none());
    var r1 = lan.hosts().get(0);
    var r2 = lan.hosts().get(1);
    int heard = r2.receivedFrom(r1).size();
    lan.partition(List.of(r1), List.of(r2));
    lan.runUntil(at(3_000));
    assertEquals(heard, r2.receivedFrom(r1).size());
    assertEquals(2, lan.masters().size());
    lan.heal();
    Instant one = lan.runUntil(() -> lan.masters().size() == 1, at(3_100), "one master");
    assertTrue(one.isBefore(at(3_010)));
  }
}
