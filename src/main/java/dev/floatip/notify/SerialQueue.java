package dev.floatip.notify;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Delivers the transitions of one VirtualIP on one channel in order, one at a time, on a shared
 * pool: while a delivery runs, later ones wait here, and other queues go on independently.
 *
 * <p>Bounded: when {@code capacity} transitions are already waiting, the oldest waiting one is
 * dropped with a warning (the newest state matters most; order is kept among the rest).
 */
final class SerialQueue {

  private static final Logger LOG = Logger.getLogger(SerialQueue.class);

  private final String name;
  private final int capacity;
  private final Executor pool;
  private final Deque<Job> waiting = new ArrayDeque<>();
  private Thread worker;
  private boolean draining;
  private boolean closed;
  private long dropped;

  /** A transition and the delivery configured when it was queued. */
  private record Job(Transition transition, Delivery delivery) {}

  /**
   * @param name for logs, e.g. {@code dns/script}
   */
  SerialQueue(String name, int capacity, Executor pool) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.name = name;
    this.capacity = capacity;
    this.pool = pool;
  }

  /**
   * Queues a transition for {@code delivery}; never blocks beyond a short lock. False once closed.
   */
  synchronized boolean submit(Transition t, Delivery delivery) {
    if (closed) {
      return false;
    }
    if (waiting.size() >= capacity) {
      Transition lost = waiting.removeFirst().transition();
      dropped++;
      if (dropped == 1 || dropped % 100 == 0) {
        LOG.warnf(
            "notify %s: %d transitions waiting, dropped the oldest (%s -> %s at %s); %d dropped"
                + " so far",
            name, capacity, lost.from(), lost.to(), lost.at(), dropped);
      }
    }
    waiting.addLast(new Job(t, delivery));
    if (!draining) {
      draining = true;
      try {
        pool.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining = false;
        waiting.clear();
        LOG.warnf("notify %s: no thread to deliver on (%s); dropped", name, e.getMessage());
        return false;
      }
    }
    return true;
  }

  private void drain() {
    synchronized (this) {
      worker = Thread.currentThread();
    }
    while (true) {
      Job next;
      synchronized (this) {
        next = closed ? null : waiting.pollFirst();
        if (next == null) {
          worker = null;
          Thread.interrupted(); // a close() that raced with the end of a delivery
          draining = false;
          notifyAll();
          return;
        }
      }
      Transition t = next.transition();
      try {
        next.delivery().deliver(t);
      } catch (InterruptedException e) {
        // close() ends the loop above; any other interrupt is not ours to act on
        Thread.interrupted();
      } catch (RuntimeException e) {
        LOG.errorf(e, "notify %s: delivery of %s -> %s failed", name, t.from(), t.to());
      } catch (Error e) {
        synchronized (this) {
          worker = null;
          draining = false; // the next submit starts a new drain
          notifyAll();
        }
        throw e;
      }
    }
  }

  /** Waits until nothing is waiting or running; true if that happened within the timeout. */
  synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (draining) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  /** Transitions dropped because the queue was full. */
  synchronized long dropped() {
    return dropped;
  }

  /** Drops what waits and interrupts the running delivery (a hook is killed). */
  synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!waiting.isEmpty()) {
      LOG.infof("notify %s: closed with %d transitions undelivered", name, waiting.size());
      waiting.clear();
    }
    if (worker != null) {
      worker.interrupt();
    }
  }
}
