package dev.floatip.notify;

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
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs a hook: argv directly (no shell), a minimal environment, stdin from /dev/null, in a session
 * and process group of its own ({@code setsid}), so a timeout kills the hook together with
 * everything it started. Runs as the agent's user ({@code spec.notify} has no user field).
 */
final class ScriptRunner {

  private static final Logger LOG = Logger.getLogger(ScriptRunner.class);

  /** The whole environment of a hook, as for keepalived's scripts: no agent variables leak. */
  static final Map<String, String> ENVIRONMENT =
      Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C");

  private static final int OUTPUT_TAIL = 2048;
  private static final Duration REAP = Duration.ofSeconds(5);

  /** How a run ended. */
  enum Outcome {
    EXITED,
    TIMED_OUT,
    NOT_STARTED
  }

  /**
   * @param exitCode the exit status when {@link Outcome#EXITED}, else -1
   * @param output the last bytes of stdout and stderr, or the error when {@link
   *     Outcome#NOT_STARTED}
   */
  record Result(Outcome outcome, int exitCode, String output, Duration took) {
    boolean succeeded() {
      return outcome == Outcome.EXITED && exitCode == 0;
    }
  }

  private final Optional<Path> setsid;
  private final Optional<Path> kill;

  ScriptRunner() {
    this(executable("setsid"), executable("kill"));
  }

  ScriptRunner(Optional<Path> setsid, Optional<Path> kill) {
    this.setsid = setsid;
    this.kill = kill;
    if (setsid.isEmpty()) {
      LOG.warn("setsid not found: a hook that times out is killed with its descendants only");
    }
  }

  /**
   * Runs {@code argv} and waits at most {@code timeout}; on timeout or interrupt kills its process
   * group. An interrupt is passed on (the flag stays set) after the kill.
   */
  Result run(List<String> argv, Duration timeout) {
    long start = System.nanoTime();
    String program = argv.getFirst();
    if (program.contains("/") && !Files.isExecutable(Path.of(program))) {
      return new Result(
          Outcome.NOT_STARTED,
          -1,
          program + (Files.exists(Path.of(program)) ? " is not executable" : " does not exist"),
          since(start));
    }
    List<String> command = new ArrayList<>();
    setsid.ifPresent(p -> command.add(p.toString()));
    command.addAll(argv);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(Path.of("/").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(ENVIRONMENT);
    Process process;
    try {
      process = pb.start();
    } catch (IOException | RuntimeException e) {
      return new Result(Outcome.NOT_STARTED, -1, e.getMessage(), since(start));
    }
    OutputTail tail = new OutputTail(process.getInputStream());
    Thread reader = Thread.ofVirtual().name("notify-output-" + process.pid()).start(tail);
    boolean exited;
    try {
      exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      killGroup(process);
      Thread.currentThread().interrupt();
      return new Result(Outcome.TIMED_OUT, -1, tail.text(), since(start));
    }
    if (!exited) {
      killGroup(process);
      return new Result(Outcome.TIMED_OUT, -1, tail.text(), since(start));
    }
    try {
      // a background child that keeps the pipe open must not hold us up
      reader.join(Duration.ofMillis(200));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Result(Outcome.EXITED, process.exitValue(), tail.text(), since(start));
  }

  /** Kills the hook's process group (it leads one after setsid), else the hook and descendants. */
  private void killGroup(Process process) {
    long pid = process.pid();
    List<ProcessHandle> descendants = process.descendants().toList();
    if (kill.isPresent() && processGroup(pid) == pid) {
      try {
        Process k =
            new ProcessBuilder(kill.get().toString(), "-KILL", "--", "-" + pid)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!k.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS)) {
          k.destroyForcibly();
        }
      } catch (IOException e) {
        LOG.warnf("could not run kill for process group %d: %s", pid, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // also the fallback without setsid or kill, and harmless after a group kill
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    boolean interrupted = Thread.interrupted();
    try {
      process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The process group of a live process from /proc, or -1. */
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

  private static Optional<Path> executable(String name) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** Reads a hook's output to the end, keeping the last {@link #OUTPUT_TAIL} bytes. */
  private static final class OutputTail implements Runnable {
    private final InputStream in;
    private final byte[] ring = new byte[OUTPUT_TAIL];
    private long total;

    OutputTail(InputStream in) {
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buf = new byte[512];
      try (in) {
        int n;
        while ((n = in.read(buf)) > 0) {
          synchronized (this) {
            for (int i = 0; i < n; i++) {
              ring[(int) (total++ % OUTPUT_TAIL)] = buf[i];
            }
          }
        }
      } catch (IOException e) {
        // the process is gone or killed: keep what we have
      }
    }

    synchronized String text() {
      int len = (int) Math.min(total, OUTPUT_TAIL);
      byte[] out = new byte[len];
      for (int i = 0; i < len; i++) {
        out[i] = ring[(int) ((total - len + i) % OUTPUT_TAIL)];
      }
      String s = new String(out, StandardCharsets.UTF_8).strip();
      return total > OUTPUT_TAIL ? "..." + s : s;
    }
  }
}
