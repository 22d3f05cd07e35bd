package dev.floatip.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialQueueTest {

  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Integer> delivered = new CopyOnWriteArrayList<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  /** Records the priority; the first delivery blocks until released. */
  private final Delivery gated =
      new Delivery() {
        @Override
        public String kind() {
          return "test";
        }

        @Override
        public void deliver(Transition t) throws InterruptedException {
          if (t.priority() == 1) {
            started.countDown();
            release.await();
          }
          delivered.add(t.priority());
        }
      };

  @AfterEach
  void shutdown() {
    release.countDown();
    pool.shutdownNow();
  }

  @Test
  void deliversInOrderOneAtATime() throws Exception {
    SerialQueue q = new SerialQueue("dns/test", 100, pool);
    for (int i = 1; i <= 20; i++) {
      assertThat(q.submit(Transitions.master("dns", i), gated)).isTrue();
    }
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(delivered).isEmpty();
    release.countDown();
    assertThat(q.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(delivered).containsExactlyElementsOf(range(1, 20));
  }

  @Test
  void aFullQueueDropsTheOldestWaiting() throws Exception {
    SerialQueue q = new SerialQueue("dns/test", 2, pool);
    q.submit(Transitions.master("dns", 1), gated);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 2; i <= 5; i++) {
      q.submit(Transitions.master("dns", i), gated);
    }
    assertThat(q.dropped()).isEqualTo(2);
    release.countDown();
    assertThat(q.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(delivered).containsExactly(1, 4, 5);
  }

  @Test
  void closeInterruptsTheRunningDeliveryAndDropsTheRest() throws Exception {
    SerialQueue q = new SerialQueue("dns/test", 10, pool);
    q.submit(Transitions.master("dns", 1), gated);
    q.submit(Transitions.master("dns", 2), gated);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    q.close();
    assertThat(q.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(delivered).isEmpty();
    assertThat(q.submit(Transitions.master("dns", 3), gated)).isFalse();
  }

  @Test
  void aThrowingDeliveryDoesNotStopTheQueue() throws Exception {
    SerialQueue q = new SerialQueue("dns/test", 10, pool);
    Delivery flaky =
        new Delivery() {
          @Override
          public String kind() {
            return "test";
          }

          @Override
          public void deliver(Transition t) {
            if (t.priority() == 1) {
              throw new IllegalStateException("boom");
            }
            delivered.add(t.priority());
          }
        };
    q.submit(Transitions.master("dns", 1), flaky);
    q.submit(Transitions.master("dns", 2), flaky);
    await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains(2));
  }

  static List<Integer> range(int from, int to) {
    return java.util.stream.IntStream.rangeClosed(from, to).boxed().toList();
  }
}
