package dev.floatip.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The routers' serial executors over the event loop's bounded worker pool. */
class SerialExecutorTest {

  @Test
  void hundredRoutersKeepTheirOrderOnAtMostFourThreads() throws Exception {
    ExecutorService pool = EventLoop.workerPool();
    try {
      int routers = 100;
      int tasks = 200;
      List<List<Integer>> seen = new ArrayList<>();
      List<SerialExecutor> workers = new ArrayList<>();
      for (int r = 0; r < routers; r++) {
        seen.add(new ArrayList<>());
        workers.add(new SerialExecutor(pool));
      }
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(routers * tasks);
      int[] active = new int[routers];
      for (int i = 0; i < tasks; i++) {
        for (int r = 0; r < routers; r++) {
          int router = r;
          int task = i;
          workers
              .get(r)
              .execute(
                  () -> {
                    threads.add(Thread.currentThread());
                    synchronized (active) {
                      if (active[router]++ > 0) {
                        overlaps.incrementAndGet(); // two tasks of one router at once
                      }
                    }
                    running.incrementAndGet();
                    seen.get(router).add(task); // unsynchronized: one task of a router at a time
                    running.decrementAndGet();
                    synchronized (active) {
                      active[router]--;
                    }
                    done.countDown();
                  });
        }
      }
      assertTrue(done.await(60, TimeUnit.SECONDS), "all tasks ran");
      assertEquals(0, overlaps.get(), "a router's tasks never overlap");
      List<Integer> expected = java.util.stream.IntStream.range(0, tasks).boxed().toList();
      for (int r = 0; r < routers; r++) {
        synchronized (active) {
          assertEquals(expected, seen.get(r), "router " + r + " in submission order");
        }
      }
      assertTrue(threads.size() <= EventLoop.WORKERS, threads.size() + " threads");
      assertTrue(
          ((ThreadPoolExecutor) pool).getLargestPoolSize() <= EventLoop.WORKERS,
          "pool grew to " + ((ThreadPoolExecutor) pool).getLargestPoolSize());
    } finally {
      pool.shutdownNow();
    }
  }

  /** A task that blocks (a slow netlink call) holds its own router, not the others. */
  @Test
  void aBlockedRouterDoesNotStallTheOthers() throws Exception {
    ExecutorService pool = EventLoop.workerPool();
    try {
      SerialExecutor slow = new SerialExecutor(pool);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch slowSecond = new CountDownLatch(1);
      slow.execute(
          () -> {
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      slow.execute(slowSecond::countDown);
      CountDownLatch others = new CountDownLatch(50);
      for (int r = 0; r < 50; r++) {
        new SerialExecutor(pool).execute(others::countDown);
      }
      assertTrue(others.await(30, TimeUnit.SECONDS), "other routers ran meanwhile");
      assertEquals(1, slowSecond.getCount(), "the slow router's next task waits for the first");
      release.countDown();
      assertTrue(slowSecond.await(30, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }
}
