package dev.floatip.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TimerQueueTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Instant at(long ms) {
    return T0.plusMillis(ms);
  }

  private static List<String> due(TimerQueue<String> q, long ms) {
    List<String> out = new ArrayList<>();
    q.drainDue(at(ms), out);
    return out;
  }

  @Test
  void firesEarliestFirstAndOnlyWhenDue() {
    TimerQueue<String> q = new TimerQueue<>();
    q.arm("c", at(300));
    q.arm("a", at(100));
    q.arm("b", at(200));
    assertEquals(at(100), q.next());
    assertEquals(List.of(), due(q, 99));
    assertEquals(List.of("a"), due(q, 100), "a deadline at exactly now is due");
    assertEquals(List.of("b", "c"), due(q, 1000));
    assertNull(q.next());
    assertEquals(0, q.size());
  }

  @Test
  void equalDeadlinesComeOutInTheOrderTheKeysWereFirstArmed() {
    TimerQueue<String> q = new TimerQueue<>();
    for (String k : List.of("r1", "r2", "r3", "r4", "r5")) {
      q.arm(k, at(500));
    }
    q.arm("r1", at(500)); // re-arming keeps r1's place
    assertEquals(List.of("r1", "r2", "r3", "r4", "r5"), due(q, 500));
  }

  @Test
  void cancelRemovesOnlyThatKey() {
    TimerQueue<String> q = new TimerQueue<>();
    q.arm("a", at(100));
    q.arm("b", at(200));
    q.arm("c", at(300));
    q.cancel("a");
    q.cancel("missing");
    assertEquals(at(200), q.next());
    q.arm("c", null); // null cancels too
    assertNull(q.deadline("c"));
    assertEquals(List.of("b"), due(q, 1000));
  }

  @Test
  void rearmMovesAKeyEarlierOrLater() {
    TimerQueue<String> q = new TimerQueue<>();
    q.arm("a", at(100));
    q.arm("b", at(200));
    q.arm("a", at(300)); // later: b first now
    assertEquals(at(200), q.next());
    q.arm("b", at(400));
    assertEquals(at(300), q.next());
    q.arm("b", at(50)); // earlier again
    assertEquals(List.of("b"), due(q, 100));
    assertEquals(at(300), q.deadline("a"));
    assertEquals(1, q.size(), "one entry per key, however often re-armed");
  }

  /** Against a sorted map as the model: random arms, re-arms, cancels and drains. */
  @Test
  void agreesWithASortedModelUnderRandomOperations() {
    Random random = new Random(42);
    TimerQueue<Integer> q = new TimerQueue<>();
    java.util.Map<Integer, Long> model = new java.util.HashMap<>();
    long now = 0;
    for (int step = 0; step < 20_000; step++) {
      int key = random.nextInt(100);
      switch (random.nextInt(4)) {
        case 0, 1 -> {
          long deadline = now + random.nextInt(1000);
          q.arm(key, at(deadline));
          model.put(key, deadline);
        }
        case 2 -> {
          q.cancel(key);
          model.remove(key);
        }
        default -> {
          now += random.nextInt(50);
          List<Integer> fired = new ArrayList<>();
          q.drainDue(at(now), fired);
          TreeMap<Long, List<Integer>> expected = new TreeMap<>();
          long limit = now;
          model.forEach(
              (k, d) -> {
                if (d <= limit) {
                  expected.computeIfAbsent(d, x -> new ArrayList<>()).add(k);
                }
              });
          List<Long> firedDeadlines = new ArrayList<>();
          for (Integer k : fired) {
            firedDeadlines.add(model.remove(k));
          }
          assertEquals(
              expected.values().stream().mapToInt(List::size).sum(), fired.size(), "step " + step);
          List<Long> sorted = new ArrayList<>(firedDeadlines);
          sorted.sort(null);
          assertEquals(sorted, firedDeadlines, "earliest first at step " + step);
        }
      }
      Long min = model.values().stream().min(Long::compare).orElse(null);
      assertEquals(min == null ? null : at(min), q.next(), "next() at step " + step);
      assertEquals(model.size(), q.size());
    }
  }

  /** The loop re-arms a router on every input: that must not allocate (issue 15). */
  @Test
  void rearmingAnArmedKeyAllocatesNothing() {
    TimerQueue<String> q = new TimerQueue<>();
    List<String> keys = new ArrayList<>();
    Instant[] deadlines = new Instant[64];
    for (int i = 0; i < 100; i++) {
      keys.add("r" + i);
      q.arm("r" + i, at(i));
    }
    for (int i = 0; i < deadlines.length; i++) {
      deadlines[i] = at(i * 37 % 500);
    }
    var threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 2; round++) { // the first round warms up
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 100_000; i++) {
        q.arm(keys.get(i % 100), deadlines[i % deadlines.length]);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      if (round == 1) {
        assertEquals(0, allocated / 100_000, allocated + " bytes for 100 000 re-arms");
      }
    }
  }
}
