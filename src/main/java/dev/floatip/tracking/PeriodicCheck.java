package dev.floatip.tracking;

import dev.floatip.tracking.Attempt.Outcome;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A check run every {@code interval} with rise/fall (scripts, TCP, HTTP). Never two attempts at
 * once: a tick that finds the previous attempt still running is skipped and counts nothing (the
 * attempt's timeout bounds the wait).
 */
final class PeriodicCheck implements Tracker.Part {

  private final Tracker tracker;
  private final int index;
  private final CheckKind kind;
  private final String name;
  private final int weight;
  private final Duration interval;
  private final ScheduledExecutorService scheduler;
  private final Executor starter;
  private final Supplier<Attempt> attempts;
  private RiseFall riseFall;

  /** An attempt is starting or running. */
  private boolean busy;

  private Attempt running;
  private ScheduledFuture<?> timer;
  private boolean stopped;

  PeriodicCheck(
      Tracker tracker,
      int index,
      CheckKind kind,
      String name,
      int weight,
      Duration interval,
      int rise,
      int fall,
      ScheduledExecutorService scheduler,
      Executor starter,
      Supplier<Attempt> attempts) {
    this.tracker = tracker;
    this.index = index;
    this.kind = kind;
    this.name = name;
    this.weight = weight;
    this.interval = interval;
    this.scheduler = scheduler;
    this.starter = starter;
    this.attempts = attempts;
    this.riseFall = RiseFall.initial(rise, fall);
  }

  @Override
  public synchronized void start() {
    if (!stopped && timer == null) {
      timer =
          scheduler.scheduleAtFixedRate(this::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void stop() {
    Attempt attempt;
    synchronized (this) {
      stopped = true;
      if (timer != null) {
        timer.cancel(false);
      }
      attempt = running;
      running = null;
    }
    if (attempt != null) {
      attempt.cancel();
    }
  }

  /** On the timer thread: only decides; the attempt starts on {@code starter}. */
  private void tick() {
    synchronized (this) {
      if (stopped || busy) {
        return; // never twice at once; a skipped tick counts nothing
      }
      busy = true;
    }
    try {
      starter.execute(this::begin);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        busy = false; // shutting down
      }
    }
  }

  private void begin() {
    Attempt attempt;
    try {
      attempt = attempts.get();
    } catch (RuntimeException e) {
      attempt = Attempt.done(new Outcome(false, "cannot run: " + describe(e)));
    }
    boolean cancel;
    synchronized (this) {
      cancel = stopped;
      running = cancel ? null : attempt;
    }
    if (cancel) {
      attempt.cancel();
      return;
    }
    Attempt mine = attempt;
    mine.result().whenComplete((outcome, error) -> finished(mine, outcome, error));
  }

  private void finished(Attempt attempt, Outcome outcome, Throwable error) {
    CheckState state;
    synchronized (this) {
      if (running != attempt) {
        return; // stopped meanwhile
      }
      running = null;
      busy = false;
      Outcome o = error == null ? outcome : new Outcome(false, describe(error));
      riseFall = riseFall.next(o.ok());
      String progress = riseFall.progress();
      String message = progress.isEmpty() ? o.message() : o.message() + " (" + progress + ")";
      state =
          riseFall.healthy()
              ? CheckState.healthy(kind, name, weight, message)
              : CheckState.failing(kind, name, weight, message);
    }
    tracker.update(index, state);
  }

  /** A short text for an exception, unwrapped. */
  static String describe(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    if (m == null && t.getCause() != null) {
      m = t.getCause().getMessage();
    }
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
