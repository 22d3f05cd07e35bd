package dev.floatip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.floatip.api.v1alpha1.PrioritySpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BasePriorityTest {

  private static final PrioritySpec SPEC =
      new PrioritySpec(null, List.of("node-a", "node-b", "node-c"), Map.of("node-c", 50));

  @ParameterizedTest
  @CsvSource({
    "node-a, 130", // first of three: default + 10 × 3
    "node-b, 120",
    "node-c, 50", // nodes wins over order
    "node-d, 100", // not listed: default
  })
  void nodesThenOrderThenDefault(String node, int expected) {
    assertEquals(expected, BasePriority.of(SPEC, node));
  }

  @Test
  void defaultsTo100() {
    assertEquals(100, BasePriority.of(null, "any"));
    assertEquals(100, BasePriority.of(new PrioritySpec(null, null, null), "any"));
    assertEquals(42, BasePriority.of(new PrioritySpec(42, null, null), "any"));
  }

  @ParameterizedTest
  @CsvSource({
    "240, 3, '252,248,244'", // step = min(10, 14 / 3) = 4
    "100, 15, '250,240,230'", // still 10 apart
    "100, 20, '240,233,226'", // step = 154 / 20 = 7
    "253, 1, '254'",
  })
  void orderShrinksTheStepToStayDistinctAndBelow255(int dflt, int n, String firstThree) {
    List<String> order = java.util.stream.IntStream.range(0, n).mapToObj(i -> "n" + i).toList();
    PrioritySpec spec = new PrioritySpec(dflt, order, null);
    List<Integer> all = order.stream().map(node -> BasePriority.of(spec, node)).toList();
    String got = String.join(",", all.stream().limit(3).map(String::valueOf).toList());
    assertEquals(firstThree, got);
    assertEquals(n, all.stream().distinct().count());
    all.forEach(p -> org.junit.jupiter.api.Assertions.assertTrue(p > dflt && p <= 254));
  }

  @Test
  void duplicatesInOrderCountOnce() {
    PrioritySpec spec = new PrioritySpec(100, List.of("a", "b", "a"), null);
    assertEquals(120, BasePriority.of(spec, "a"));
    assertEquals(110, BasePriority.of(spec, "b"));
  }

  @Test
  void refusesAnOrderThatDoesNotFit() {
    PrioritySpec spec = new PrioritySpec(253, List.of("a", "b"), null);
    assertThrows(IllegalArgumentException.class, () -> BasePriority.of(spec, "a"));
  }
}
