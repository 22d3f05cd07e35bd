package dev.floatip.tracking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The checks of one VirtualIP ({@code spec.track}), each on its own schedule, and their combined
 * {@link Effective} result. Made by {@link Tracking#tracker}; the agent calls {@link #start()} once
 * and {@link #close()} when the VIP goes away or its track spec changes (then it makes a new one).
 *
 * <p>The listener gets the first result from {@link #start()} and then every change (priority,
 * FAULT, or any check's effect or message). It is called from the probes' threads, one call at a
 * time, in order: it must only enqueue (e.g. onto the agent's event loop).
 */
public final class Tracker implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Tracker.class);

  /** A part of the tracker that runs on its own (a periodic check, a /proc scan, link events). */
  interface Part {
    void start();

    void stop();
  }

  private final String name;
  private final Consumer<Effective> listener;
  private final Consumer<Tracker> onClose;
  private final List<Part> parts = new ArrayList<>();
  private final Object lock = new Object();
  private final CheckState[] states;
  private int basePriority;
  private Effective last;
  private boolean started;
  private boolean closed;

  Tracker(String name, int basePriority, List<CheckState> initial, Consumer<Effective> listener) {
    this(name, basePriority, initial, listener, t -> {});
  }

  Tracker(
      String name,
      int basePriority,
      List<CheckState> initial,
      Consumer<Effective> listener,
      Consumer<Tracker> onClose) {
    this.name = name;
    this.onClose = onClose;
    this.basePriority = basePriority;
    this.states = initial.toArray(CheckState[]::new);
    this.listener = listener;
    this.last = PriorityCalculator.compute(basePriority, Arrays.asList(states));
  }

  void add(Part part) {
    parts.add(part);
  }

  /** The VirtualIP this tracker belongs to. */
  public String name() {
    return name;
  }

  /** Reports the current result to the listener and starts every check. */
  public void start() {
    synchronized (lock) {
      if (started || closed) {
        return;
      }
      started = true;
      deliver(last);
    }
    for (Part p : parts) {
      p.start();
    }
  }

  /** The latest result (also before {@link #start()}). */
  public Effective current() {
    synchronized (lock) {
      return last;
    }
  }

  /** Changes the base priority (e.g. {@code spec.priority.order} was edited); recomputes. */
  public void basePriority(int priority) {
    synchronized (lock) {
      basePriority = priority;
      recompute();
    }
  }

  /** Stops every check and kills running scripts; the listener is not called any more. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (Part p : parts) {
      try {
        p.stop();
      } catch (RuntimeException e) {
        LOG.warnf(e, "stopping a check of %s", name);
      }
    }
    onClose.accept(this);
  }

  /** A part reports a new state for the check at {@code index}. */
  void update(int index, CheckState state) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      states[index] = state;
      recompute();
    }
  }

  CheckState state(int index) {
    synchronized (lock) {
      return states[index];
    }
  }

  private void recompute() {
    Effective next = PriorityCalculator.compute(basePriority, Arrays.asList(states));
    if (next.equals(last)) {
      return;
    }
    last = next;
    if (started && !closed) {
      deliver(next);
    }
  }

  private void deliver(Effective e) {
    try {
      listener.accept(e);
    } catch (RuntimeException ex) {
      LOG.warnf(ex, "tracking listener of %s failed", name);
    }
  }
}
