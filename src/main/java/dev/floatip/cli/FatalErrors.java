package dev.floatip.cli;

import java.io.PrintStream;

/**
 * An {@link Error} in any thread ends the process at once. A JVM that has thrown an {@link
 * OutOfMemoryError} or a {@link StackOverflowError} may keep a VIP while its VRRP loop, its signal
 * handling or its HTTP side is dead: the backup takes over and both hold the address. Halting
 * leaves the addresses behind as orphans, which the next start removes; a half-alive agent never
 * gives them back. The launchers add {@code -XX:+ExitOnOutOfMemoryError} for the errors that a
 * framework catches before they reach this handler.
 */
public final class FatalErrors implements Thread.UncaughtExceptionHandler {

  /** The exit status of a halt on a fatal error (what the JVM uses for ExitOnOutOfMemoryError). */
  public static final int EXIT_STATUS = 3;

  /** How the process ends; {@link Runtime#halt} in production, recorded in tests. */
  interface Halt {
    void halt(int status);
  }

  private final Halt halt;
  private final PrintStream err;

  FatalErrors(Halt halt, PrintStream err) {
    this.halt = halt;
    this.err = err;
  }

  /** Installs the handler for every thread; call first thing in {@code main}. */
  public static void install() {
    Thread.setDefaultUncaughtExceptionHandler(
        new FatalErrors(status -> Runtime.getRuntime().halt(status), System.err));
  }

  /** Whether an uncaught {@code e} must end the process: any {@link Error}, or one it wraps. */
  static boolean fatal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof Error) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void uncaughtException(Thread thread, Throwable e) {
    boolean fatal = fatal(e);
    try {
      // no logging framework: it may allocate, lock or be the thing that failed
      err.println(
          (fatal ? "FATAL: halting, " : "uncaught exception, thread ended: ")
              + "thread \""
              + thread.getName()
              + "\": "
              + e);
      if (!fatal) {
        e.printStackTrace(err);
      }
    } catch (Throwable ignored) {
      // printing may fail for the same reason (no heap): halting matters more
    } finally {
      if (fatal) {
        halt.halt(EXIT_STATUS);
      }
    }
  }
}
