package dev.floatip.process;

import dev.floatip.process.RunResult.Status;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Runs external commands (health-check scripts, notify hooks), all the same way: argv without a
 * shell, an environment of only {@code PATH} and {@code LANG=C}, working directory {@code /}, stdin
 * from {@code /dev/null}, in a new session and process group ({@code setsid}, util-linux), and
 * optionally as another user ({@code setpriv --reuid --regid --clear-groups}, util-linux). A run
 * still going at its timeout, or cancelled, gets SIGKILL for its whole process group ({@code kill
 * -s KILL -- -pgid}) and every descendant, so nothing it started survives; a grandchild that was
 * re-parented is still in the group. The last {@value #OUTPUT_TAIL} bytes of stdout and stderr
 * together are kept.
 *
 * <p>Without setsid a killed run takes only its descendants with it (a warning says so, once);
 * likewise without kill(1). Switching user needs CAP_SETUID and CAP_SETGID: without them, or
 * without setpriv, the run is refused ({@link Status#NOT_STARTED}) with a message saying so.
 *
 * <p>Each run has two virtual threads of its own, one reading its output and one waiting for its
 * end or its timeout: there is nothing to close, and no caller's thread waits for a run unless it
 * calls {@link #run} ({@link Run#cancel()} waits only for kill(1)).
 */
public final class ProcessRunner {

  private static final Logger LOG = Logger.getLogger(ProcessRunner.class);

  /** Bytes of output kept, the last ones. */
  public static final int OUTPUT_TAIL = 2048;

  /** How long an ended run waits for its output's end (a background child may hold the pipe). */
  private static final Duration OUTPUT_GRACE = Duration.ofMillis(200);

  /** How long kill(1), and then the end of a killed run, are waited for. */
  private static final Duration REAP = Duration.ofSeconds(5);

  /** The helper programs, where they are; empty when missing. */
  public record Tools(Optional<Path> setsid, Optional<Path> setpriv, Optional<Path> kill) {

    /** Looks in {@code /usr/bin}, {@code /bin}, {@code /usr/sbin} and {@code /sbin}. */
    public static Tools find() {
      return new Tools(executable("setsid"), executable("setpriv"), executable("kill"));
    }

    private static Optional<Path> executable(String name) {
      for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }
  }

  /** A started run. */
  public interface Run {

    /** Completes when the run is over; never exceptionally. */
    CompletableFuture<RunResult> result();

    /**
     * Kills the run with its process group unless it is over (its result is then {@link
     * Status#CANCELLED}); returns when the kill signals are sent.
     */
    void cancel();
  }

  private final Identity self;
  private final Tools tools;
  private final Map<String, String> environment;
  private final AtomicBoolean warnedNoSetsid = new AtomicBoolean();

  /**
   * @param self who the agent is: decides whether a {@link RunAs} needs a user switch, and whether
   *     one is allowed
   * @param path the whole {@code PATH} of a run
   */
  public ProcessRunner(Identity self, Tools tools, String path) {
    this.self = self;
    this.tools = tools;
    this.environment = Map.of("PATH", path, "LANG", "C");
  }

  /** For this process ({@link Identity#current()}) with the helpers {@link Tools#find() found}. */
  public static ProcessRunner create(String path) {
    return new ProcessRunner(Identity.current(), Tools.find(), path);
  }

  /** Who the agent is. */
  public Identity self() {
    return self;
  }

  /** The environment every run starts from (a hook adds its {@code FLOATIP_*} variables). */
  public Map<String, String> environment() {
    return environment;
  }

  /** Runs {@code argv} as the agent's user and waits; see {@link #run(List, Duration, RunAs)}. */
  public RunResult run(List<String> argv, Duration timeout) {
    return run(argv, timeout, null);
  }

  /**
   * Runs {@code argv} and waits for its result. On an interrupt the run is killed with its process
   * group, waited for a few seconds at most, and returned as {@link Status#CANCELLED} with the
   * interrupt flag set again.
   */
  public RunResult run(List<String> argv, Duration timeout, RunAs as) {
    return run(argv, timeout, as, Map.of());
  }

  /**
   * As {@link #run(List, Duration, RunAs)}, with {@code extra} added to the run's environment (it
   * cannot replace {@code PATH} or {@code LANG}).
   */
  public RunResult run(List<String> argv, Duration timeout, RunAs as, Map<String, String> extra) {
    long started = System.nanoTime();
    Run run = start(argv, timeout, as, extra);
    try {
      return run.result().get();
    } catch (InterruptedException e) {
      run.cancel();
      RunResult r = awaitUninterruptibly(run.result(), REAP.multipliedBy(2).plus(OUTPUT_GRACE));
      Thread.currentThread().interrupt();
      return r != null ? r : new RunResult(Status.CANCELLED, -1, "", since(started));
    } catch (ExecutionException e) {
      throw new IllegalStateException("a run's result never fails", e.getCause());
    }
  }

  /**
   * Starts {@code argv}; never throws: a run that cannot start is a result {@link
   * Status#NOT_STARTED}.
   *
   * @param timeout after which the run is killed with its process group
   * @param as who to run as; {@code null} (or the agent's own ids): the agent's user, no switch
   */
  public Run start(List<String> argv, Duration timeout, RunAs as) {
    return start(argv, timeout, as, Map.of());
  }

  private Run start(List<String> argv, Duration timeout, RunAs as, Map<String, String> extra) {
    long started = System.nanoTime();
    List<String> command;
    try {
      command = command(argv, as);
    } catch (Refused e) {
      return done(RunResult.notStarted(e.getMessage(), since(started)));
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(new File("/"))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(extra);
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      return done(RunResult.notStarted(String.valueOf(e.getMessage()), since(started)));
    }
    return new Running(process, tools.setsid().isPresent(), timeout, started);
  }

  /** The command line for {@code argv}: setsid, setpriv when switching user, then argv. */
  List<String> command(List<String> argv, RunAs as) throws Refused {
    if (argv.isEmpty()) {
      throw new Refused("empty command");
    }
    List<String> command = new ArrayList<>();
    tools.setsid().ifPresent(p -> command.add(p.toString()));
    if (as != null && (as.uid() != self.uid() || as.gid() != self.gid())) {
      if (!self.canSwitchUser()) {
        throw new Refused(
            "cannot run as "
                + as.name()
                + ": switching user needs CAP_SETUID and CAP_SETGID, which the agent lacks (in a"
                + " container add SETUID and SETGID to securityContext.capabilities.add), or set"
                + " user to the agent's own user");
      }
      if (tools.setpriv().isEmpty()) {
        throw new Refused("cannot run as " + as.name() + ": setpriv (util-linux) not found");
      }
      command.addAll(
          List.of(
              tools.setpriv().get().toString(),
              "--reuid=" + as.uid(),
              "--regid=" + as.gid(),
              "--clear-groups",
              "--"));
    }
    String program = argv.getFirst();
    if (program.contains("/") && !Files.isExecutable(Path.of(program))) {
      throw new Refused(
          program + (Files.exists(Path.of(program)) ? " is not executable" : " does not exist"));
    }
    if (tools.setsid().isEmpty() && warnedNoSetsid.compareAndSet(false, true)) {
      LOG.warn(
          "setsid (util-linux) not found: a command killed at its timeout takes only its"
              + " descendants with it, not its whole process group");
    }
    command.addAll(argv);
    return command;
  }

  /** Why a run does not start. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private static Run done(RunResult result) {
    CompletableFuture<RunResult> f = CompletableFuture.completedFuture(result);
    return new Run() {
      @Override
      public CompletableFuture<RunResult> result() {
        return f;
      }

      @Override
      public void cancel() {}
    };
  }

  private final class Running implements Run {
    private final Process process;
    private final boolean ownGroup;
    private final Duration timeout;
    private final long started;
    private final CompletableFuture<RunResult> result = new CompletableFuture<>();
    private final AtomicReference<Status> killed = new AtomicReference<>();
    private final CompletableFuture<Void> outputEnd = new CompletableFuture<>();
    private final byte[] ring = new byte[OUTPUT_TAIL];
    private long total; // guarded by this

    Running(Process process, boolean ownGroup, Duration timeout, long started) {
      this.process = process;
      this.ownGroup = ownGroup;
      this.timeout = timeout;
      this.started = started;
      Thread.ofVirtual().name("run-" + process.pid() + "-output").start(this::readOutput);
      Thread.ofVirtual().name("run-" + process.pid()).start(this::watch);
    }

    @Override
    public CompletableFuture<RunResult> result() {
      return result;
    }

    @Override
    public void cancel() {
      if (process.isAlive() && killed.compareAndSet(null, Status.CANCELLED)) {
        kill();
      }
    }

    /** Waits for the end or the timeout, kills at the timeout, completes the result. */
    private void watch() {
      try {
        try {
          process.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          if (process.isAlive() && killed.compareAndSet(null, Status.TIMED_OUT)) {
            kill();
          }
        } catch (InterruptedException | ExecutionException e) {
          // nobody interrupts this thread, and onExit does not fail
        }
        if (awaitUninterruptibly(process.onExit(), REAP) == null) {
          LOG.warnf("process %d has not ended %s after SIGKILL", process.pid(), REAP);
        }
        awaitUninterruptibly(outputEnd, OUTPUT_GRACE);
      } finally {
        Status status = killed.get() == null ? Status.EXITED : killed.get();
        int exit = status == Status.EXITED && !process.isAlive() ? process.exitValue() : -1;
        result.complete(new RunResult(status, exit, tail(), since(started)));
      }
    }

    /** SIGKILL for the process group (it leads one after setsid), the process and descendants. */
    private void kill() {
      long pid = process.pid();
      List<ProcessHandle> descendants = process.descendants().toList();
      if (ownGroup && tools.kill().isPresent() && processGroup(pid) == pid) {
        try {
          Process k =
              new ProcessBuilder(tools.kill().get().toString(), "-s", "KILL", "--", "-" + pid)
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .start();
          if (!k.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS)) {
            k.destroyForcibly();
          }
        } catch (IOException e) {
          LOG.warnf("cannot kill process group %d: %s", pid, e.getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      // also the fallback without setsid or kill, and harmless after a group kill
      descendants.forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }

    /** Reads the output to its end, keeping the last {@value #OUTPUT_TAIL} bytes. */
    private void readOutput() {
      byte[] buffer = new byte[4096];
      try (InputStream in = process.getInputStream()) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          synchronized (this) {
            for (int i = 0; i < n; i++) {
              ring[(int) (total++ % OUTPUT_TAIL)] = buffer[i];
            }
          }
        }
      } catch (IOException e) {
        // the process is gone or killed: keep what we have
      } finally {
        outputEnd.complete(null);
      }
    }

    synchronized String tail() {
      int length = (int) Math.min(total, OUTPUT_TAIL);
      byte[] out = new byte[length];
      for (int i = 0; i < length; i++) {
        out[i] = ring[(int) ((total - length + i) % OUTPUT_TAIL)];
      }
      return printable(out, total > OUTPUT_TAIL);
    }
  }

  /**
   * The kept output as text for logs and {@code /status}: a character cut at the start is dropped,
   * control characters other than line ends and tabs (terminal escapes, NUL) are escaped.
   */
  static String printable(byte[] tail, boolean cut) {
    int start = 0;
    while (cut && start < tail.length && start < 3 && (tail[start] & 0xc0) == 0x80) {
      start++; // UTF-8 continuation bytes of a character whose start was not kept
    }
    String s = new String(tail, start, tail.length - start, StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch != '\n' && ch != '\t' && (Character.isISOControl(ch) || ch == '\u2028')) {
        b.append(String.format("\\u%04x", (int) ch));
      } else {
        b.append(ch);
      }
    }
    String out = b.toString().strip();
    return cut ? "..." + out : out;
  }

  /** The process group of a live process from {@code /proc}, or -1. */
  static long processGroup(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(rest[2]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The value of {@code f} within {@code max}, or null; an interrupt meanwhile is kept. */
  private static <T> T awaitUninterruptibly(CompletableFuture<T> f, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (TimeoutException | ExecutionException e) {
          return null;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
