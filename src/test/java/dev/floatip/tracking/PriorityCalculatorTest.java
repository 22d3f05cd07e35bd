package dev.floatip.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.tracking.CheckState.Health;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriorityCalculatorTest {

  /** One check on base 100: its delta, the resulting priority and FAULT. */
  @ParameterizedTest(name = "{0} w={1} {2} value={3} → {4} priority {5} fault {6}")
  @CsvSource(
      textBlock =
          """
          # kind,   weight, health,      value, delta, priority, fault
          SCRIPT,        0, HEALTHY,         0,     0,      100, false
          SCRIPT,        0, FAILING,         0,     0,      100, true
          SCRIPT,       10, HEALTHY,         0,    10,      110, false
          SCRIPT,       10, FAILING,         0,     0,      100, false
          SCRIPT,      -10, HEALTHY,         0,     0,      100, false
          SCRIPT,      -10, FAILING,         0,   -10,       90, false
          SCRIPT,      253, HEALTHY,         0,   253,      254, false
          SCRIPT,     -253, FAILING,         0,  -253,        1, false
          SCRIPT,        0, UNKNOWN,         0,     0,      100, false
          SCRIPT,       50, UNKNOWN,         0,     0,      100, false
          SCRIPT,      -50, UNKNOWN,         0,     0,      100, false
          POD,           0, UNSUPPORTED,     0,     0,      100, false
          POD,         -60, UNSUPPORTED,     0,     0,      100, false
          PROCESS,       0, FAILING,         0,     0,      100, true
          PROCESS,     254, HEALTHY,         0,   254,      254, false
          PROCESS,    -254, FAILING,         0,  -254,        1, false
          INTERFACE,     5, HEALTHY,         0,     5,      105, false
          INTERFACE,    -5, FAILING,         0,    -5,       95, false
          INTERFACE,     0, FAILING,         0,     0,      100, true
          TCP,           0, FAILING,         0,     0,      100, true
          HTTP,        -20, FAILING,         0,   -20,       80, false
          FILE,          0, VALUE,           0,     0,      100, false
          FILE,          0, VALUE,           1,     0,      100, true
          FILE,          0, VALUE,          -1,     0,      100, true
          FILE,          1, VALUE,           0,     0,      100, false
          FILE,          1, VALUE,          20,    20,      120, false
          FILE,          1, VALUE,         -20,   -20,       80, false
          FILE,          2, VALUE,          30,    60,      160, false
          FILE,         -2, VALUE,          30,   -60,       40, false
          FILE,          1, VALUE,        -253,  -253,        1, false
          FILE,          1, VALUE,        -254,     0,      100, true
          FILE,        254, VALUE,          -1,     0,      100, true
          FILE,        254, VALUE,           1,   253,      254, false
          FILE,          1, VALUE,         300,   253,      254, false
          FILE,       -254, VALUE,           1,     0,      100, true
          FILE,        254, VALUE, 9223372036854775807, 253, 254, false
          FILE,        254, VALUE, -9223372036854775808, 0, 100, true
          FILE,          0, FAILING,         0,     0,      100, true
          FILE,          1, FAILING,         0,     0,      100, false
          FILE,        -30, FAILING,         0,   -30,       70, false
          FILE,          1, UNKNOWN,         0,     0,      100, false
          """)
  void oneCheck(
      CheckKind kind,
      int weight,
      Health health,
      long value,
      int delta,
      int priority,
      boolean fault) {
    CheckState state = new CheckState(kind, "c", weight, health, value, "m");

    Effective e = PriorityCalculator.compute(100, List.of(state));

    assertThat(e.priority()).isEqualTo(priority);
    assertThat(e.fault()).isEqualTo(fault);
    assertThat(e.effects())
        .singleElement()
        .satisfies(
            effect -> {
              assertThat(effect.delta()).isEqualTo(delta);
              assertThat(effect.fault()).isEqualTo(fault);
              assertThat(effect.kind()).isEqualTo(kind);
              assertThat(effect.message()).isEqualTo("m");
            });
    assertThat(e.settled()).isEqualTo(health != Health.UNKNOWN);
  }

  /** The base priority with a sum of deltas, clamped to 1..254. */
  @ParameterizedTest(name = "base {0} + {1} + {2} → {3}")
  @CsvSource(
      textBlock =
          """
          # base, w1 (healthy), w2 (failing), priority
          100,    0,     0,   100
          100,   50,   -30,   120
          200,  100,     0,   254
          254,    1,     0,   254
          10,     0,   -50,     1
          1,      0,  -253,     1
          1,    253,     0,   254
          150,  100,  -100,   150
          0,      0,     0,     1
          255,    0,     0,   254
          """)
  void clamping(int base, int healthyWeight, int failingWeight, int priority) {
    Effective e =
        PriorityCalculator.compute(
            base,
            List.of(
                CheckState.healthy(CheckKind.SCRIPT, "up", healthyWeight, "ok"),
                CheckState.failing(CheckKind.SCRIPT, "down", failingWeight, "exit 1")));

    assertThat(e.priority()).isEqualTo(priority);
    assertThat(e.basePriority()).isEqualTo(base);
    assertThat(e.fault()).isEqualTo(failingWeight == 0); // a failing weight-0 check is FAULT
  }

  @Test
  void severalChecksAddUpAndAnyWeightZeroFailureIsFault() {
    List<CheckState> checks =
        List.of(
            CheckState.healthy(CheckKind.PROCESS, "named", 10, "2 running"),
            CheckState.failing(CheckKind.SCRIPT, "dig", -30, "exit 1"),
            CheckState.fileValue("/run/vrrp", 2, -5),
            CheckState.healthy(CheckKind.INTERFACE, "ens9", 5, "up"),
            CheckState.failing(CheckKind.TCP, "dns", 0, "connection refused"),
            CheckState.unsupported(CheckKind.POD, "dns/app=unbound", -60, "cluster only"));

    Effective e = PriorityCalculator.compute(100, checks);

    assertThat(e.priority()).isEqualTo(100 + 10 - 30 - 10 + 5);
    assertThat(e.fault()).isTrue();
    assertThat(e.faultCause()).isEqualTo("tcp dns: connection refused");
    assertThat(e.settled()).isTrue();
    assertThat(e.effects())
        .extracting(CheckEffect::effectText)
        .containsExactly("+10", "-30", "-10", "+5", "FAULT", "0");
    assertThat(e.effects())
        .extracting(CheckEffect::healthy)
        .containsExactly(true, false, true, true, false, null);
  }

  @Test
  void withoutChecksThePriorityIsTheBase() {
    Effective e = PriorityCalculator.compute(100, List.of());

    assertThat(e).isEqualTo(new Effective(100, 100, false, true, List.of()));
    assertThat(e.faultCause()).isEmpty();
  }

  @Test
  void everyFaultingCheckIsNamedInTheCause() {
    Effective e =
        PriorityCalculator.compute(
            100,
            List.of(
                CheckState.failing(CheckKind.SCRIPT, "a", 0, "exit 1"),
                CheckState.fileValue("/x", 0, 3),
                CheckState.unknown(CheckKind.HTTP, "h", 0)));

    assertThat(e.fault()).isTrue();
    assertThat(e.settled()).isFalse();
    assertThat(e.faultCause()).isEqualTo("script a: exit 1; file /x: value 3");
  }

  @Test
  void effectsMapToTheStatusEntries() {
    Effective e =
        PriorityCalculator.compute(
            100,
            List.of(
                CheckState.failing(CheckKind.SCRIPT, "a", 0, "exit 1"),
                CheckState.healthy(CheckKind.PROCESS, "p", 7, "1 running")));

    assertThat(e.effects().get(0).toCheckStatus())
        .isEqualTo(new dev.floatip.api.v1alpha1.CheckStatus("script", "a", false, null, "exit 1"));
    assertThat(e.effects().get(1).toCheckStatus())
        .isEqualTo(new dev.floatip.api.v1alpha1.CheckStatus("process", "p", true, 7, "1 running"));
    assertThat(e.describe()).contains("priority 107 (base 100) FAULT", "script", "FAULT", "+7");
  }
}
