package dev.floatip.cli;

import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;
import sun.misc.Signal;

/**
 * The agent's TERM, INT and HUP from the first instant of the process: installed first thing in
 * {@link Main#main}, before Quarkus, the config or the dataplane start, so that no signal is lost
 * and none reaches the JVM's default handler (which would run the shutdown hooks while start-up
 * goes on, and leave an agent that becomes master after it was told to stop).
 *
 * <p>A stop ends in one of two ways: while the agent has touched nothing ({@link Phase#BOOTING})
 * the process exits at once; from {@link #starting()} on, {@link #awaitStop()} returns and the
 * agent resigns and removes its addresses. A HUP before the agent runs is kept and applied once it
 * does (the file may have changed after it was read).
 */
final class AgentSignals {

  /** Where the agent is; each step only forward. */
  enum Phase {
    /** Quarkus, config, dataplane: nothing on the node changed yet. A stop exits at once. */
    BOOTING,
    /** Routers start, orphans go: a stop waits for start-up to return, then shuts down. */
    STARTING,
    /** Serving: HUP reloads, a stop shuts down. */
    RUNNING,
    /** Shutting down: further signals change nothing. */
    STOPPING
  }

  private static AgentSignals installed;

  private final IntConsumer exit;
  private final CountDownLatch stop = new CountDownLatch(1);
  private Phase phase = Phase.BOOTING;
  private Runnable reload;
  private boolean reloadPending;

  /**
   * @param exit ends the process with this status, never returns (Runtime.halt in production)
   */
  AgentSignals(IntConsumer exit) {
    this.exit = exit;
  }

  /** Installs the handlers once per process; later calls return the same instance. */
  static synchronized AgentSignals install() {
    if (installed == null) {
      AgentSignals s = new AgentSignals(status -> Runtime.getRuntime().halt(status));
      Signal.handle(new Signal("TERM"), sig -> s.stop("SIGTERM"));
      Signal.handle(new Signal("INT"), sig -> s.stop("SIGINT"));
      Signal.handle(new Signal("HUP"), sig -> s.hup());
      installed = s;
    }
    return installed;
  }

  /** TERM or INT. */
  synchronized void stop(String signal) {
    if (phase != Phase.STOPPING) {
      stop.countDown();
    }
    switch (phase) {
      case BOOTING -> {
        // halt, not System.exit: the shutdown hooks would wait for a start-up still under way
        System.err.println("floatip agent: " + signal + " during start-up; nothing was added");
        System.err.flush();
        exit.accept(0);
      }
      case STARTING, RUNNING, STOPPING -> {}
    }
  }

  /** HUP: reload now when running, else once running. */
  synchronized void hup() {
    if (phase == Phase.RUNNING) {
      reload.run();
    } else if (phase != Phase.STOPPING) {
      reloadPending = true;
    }
  }

  /**
   * The agent is about to change the node (remove orphans, start routers).
   *
   * @return false when a stop already came (only possible when {@code exit} returned, in tests)
   */
  synchronized boolean starting() {
    if (stop.getCount() == 0) {
      return false;
    }
    phase = Phase.STARTING;
    return true;
  }

  /** Start-up returned: HUP now reloads through {@code reloader}, and a HUP that came meanwhile. */
  synchronized void running(Runnable reloader) {
    if (phase != Phase.STARTING) {
      return;
    }
    reload = reloader;
    phase = Phase.RUNNING;
    if (reloadPending) {
      reloadPending = false;
      reloader.run();
    }
  }

  /** Whether a stop came (during start-up: shut down right after it returns). */
  boolean stopRequested() {
    return stop.getCount() == 0;
  }

  /** Waits for TERM or INT, then enters {@link Phase#STOPPING}. */
  void awaitStop() throws InterruptedException {
    stop.await();
    synchronized (this) {
      phase = Phase.STOPPING;
    }
  }

  synchronized Phase phase() {
    return phase;
  }
}
