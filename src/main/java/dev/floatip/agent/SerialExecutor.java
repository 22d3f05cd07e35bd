package dev.floatip.agent;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: each router's address changes
 * and announcements stay ordered, and a slow netlink call delays only its own router.
 */
final class SerialExecutor implements Executor {

  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private final Executor pool;
  private Runnable active;

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(
        () -> {
          try {
            task.run();
          } finally {
            next();
          }
        });
    if (active == null) {
      next();
    }
  }

  private synchronized void next() {
    active = tasks.poll();
    if (active != null) {
      try {
        pool.execute(active);
      } catch (RejectedExecutionException e) {
        tasks.clear(); // the pool is shut down: the agent is stopping, drop what is left
        active = null;
      }
    }
  }
}
