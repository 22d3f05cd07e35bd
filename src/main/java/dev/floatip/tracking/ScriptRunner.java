package dev.floatip.tracking;

import dev.floatip.config.Durations;
import dev.floatip.tracking.Attempt.Outcome;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs check scripts (keepalived vrrp_script, anchors §1.8, §1.15): argv without a shell, a minimal
 * environment, working directory {@code /}, stdin closed, in a new session and process group
 * ({@code setsid}) so a run that passes its timeout is killed with everything it started.
 *
 * <p>User: a script runs as {@code user} from its spec; without one, as the default script user
 * ({@code nobody} unless configured) when the agent is root, else as the agent's own user. {@code
 * user: root} runs as root (the agent must be root). Switching user goes through {@code setpriv
 * --reuid --regid --clear-groups} (util-linux) and needs CAP_SETUID and CAP_SETGID; without them
 * the run is refused and the check fails with a message saying so, the agent goes on.
 */
final class ScriptRunner {

  private static final Logger LOG = Logger.getLogger(ScriptRunner.class);

  /** The whole environment of a script. */
  static final Map<String, String> ENVIRONMENT =
      Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C");

  /** The conventional overflow user, used when the default user "nobody" is not in passwd. */
  static final Accounts.Target NOBODY = new Accounts.Target("nobody", 65534, 65534);

  private static final int MAX_LINE = 200;
  private static final Duration OUTPUT_GRACE = Duration.ofMillis(100);

  /** The helper programs, where they are. */
  record Tools(Optional<Path> setsid, Optional<Path> setpriv, Optional<Path> kill) {
    static Tools find() {
      return new Tools(
          first("/usr/bin/setsid", "/bin/setsid"),
          first("/usr/bin/setpriv", "/bin/setpriv"),
          first("/usr/bin/kill", "/bin/kill"));
    }

    private static Optional<Path> first(String... candidates) {
      for (String c : candidates) {
        Path p = Path.of(c);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }
  }

  /** How to start a run: a command prefix, or a refusal. */
  sealed interface Plan {
    record Launch(List<String> prefix, String who) implements Plan {}

    record Refuse(String message) implements Plan {}
  }

  private final ScheduledExecutorService scheduler;
  private final ExecutorService blocking;
  private final Identity self;
  private final Accounts accounts;
  private final String defaultUser;
  private final Tools tools;
  private final AtomicBoolean warnedNoSetsid = new AtomicBoolean();

  ScriptRunner(
      ScheduledExecutorService scheduler,
      ExecutorService blocking,
      Identity self,
      Accounts accounts,
      String defaultUser,
      Tools tools) {
    this.scheduler = scheduler;
    this.blocking = blocking;
    this.self = self;
    this.accounts = accounts;
    this.defaultUser = defaultUser;
    this.tools = tools;
  }

  /** Who a script with this {@code user} setting would run as, and how. */
  Plan plan(String user) {
    Accounts.Target target;
    try {
      if (user == null) {
        if (!self.root()) {
          return new Plan.Launch(List.of(), "the agent's user");
        }
        target = defaultTarget();
      } else {
        target = accounts.resolve(user);
      }
    } catch (IllegalArgumentException e) {
      return new Plan.Refuse(
          "cannot run as " + (user == null ? defaultUser : user) + ": " + e.getMessage());
    }
    if (target.uid() == self.uid() && target.gid() == self.gid()) {
      return new Plan.Launch(List.of(), target.description());
    }
    if (!self.canSwitchUser()) {
      return new Plan.Refuse(
          "cannot run as "
              + target.description()
              + ": switching user needs CAP_SETUID and CAP_SETGID, which the agent lacks (in a"
              + " container add SETUID and SETGID to securityContext.capabilities.add), or set"
              + " user to the agent's own user");
    }
    if (tools.setpriv().isEmpty()) {
      return new Plan.Refuse(
          "cannot run as " + target.description() + ": setpriv (util-linux) not found");
    }
    return new Plan.Launch(
        List.of(
            tools.setpriv().get().toString(),
            "--reuid=" + target.uid(),
            "--regid=" + target.gid(),
            "--clear-groups",
            "--"),
        target.description());
  }

  private Accounts.Target defaultTarget() {
    try {
      return accounts.resolve(defaultUser);
    } catch (IllegalArgumentException e) {
      if (defaultUser.equals(NOBODY.description())) {
        return NOBODY;
      }
      throw e;
    }
  }

  /** Starts {@code argv}; never throws: failures to start are failed outcomes. */
  Attempt start(List<String> argv, Duration timeout, String user) {
    Plan plan = plan(user);
    if (plan instanceof Plan.Refuse refuse) {
      return refused(refuse.message());
    }
    Plan.Launch launch = (Plan.Launch) plan;
    List<String> command = new ArrayList<>();
    if (tools.setsid().isPresent()) {
      command.add(tools.setsid().get().toString());
    } else if (warnedNoSetsid.compareAndSet(false, true)) {
      LOG.warn(
          "setsid (util-linux) not found: timed-out scripts are killed with their"
              + " descendants only, not their whole process group");
    }
    command.addAll(launch.prefix());
    command.addAll(argv);
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(ENVIRONMENT);
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      return refused("cannot start " + argv.getFirst() + ": " + e.getMessage());
    }
    return new Running(process, timeout);
  }

  private static Attempt refused(String message) {
    return Attempt.done(new Outcome(false, message));
  }

  private final class Running implements Attempt {
    private final Process process;
    private final Duration timeout;
    private final CompletableFuture<Outcome> result = new CompletableFuture<>();
    private final CompletableFuture<String> lastLine = new CompletableFuture<>();
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private final ScheduledFuture<?> timer;

    Running(Process process, Duration timeout) {
      this.process = process;
      this.timeout = timeout;
      try {
        process.getOutputStream().close(); // stdin: end of file at once
      } catch (IOException e) {
        // nothing to do: the script sees a broken pipe if it reads
      }
      blocking.execute(this::readOutput);
      this.timer =
          scheduler.schedule(
              () -> {
                if (process.isAlive() && timedOut.compareAndSet(false, true)) {
                  blocking.execute(this::kill);
                }
              },
              timeout.toNanos(),
              TimeUnit.NANOSECONDS);
      process.onExit().thenRunAsync(this::finish, blocking);
    }

    @Override
    public CompletableFuture<Outcome> result() {
      return result;
    }

    /** Kills the script and its process group (the check is closing). */
    @Override
    public void cancel() {
      if (process.isAlive()) {
        kill();
      }
    }

    private void kill() {
      List<ProcessHandle> descendants = process.descendants().toList();
      if (tools.setsid().isPresent() && tools.kill().isPresent()) {
        // setsid made the script the leader of a new process group: kill(-pgid, SIGKILL).
        try {
          new ProcessBuilder(tools.kill().get().toString(), "-s", "KILL", "--", "-" + process.pid())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start()
              .waitFor(1, TimeUnit.SECONDS);
        } catch (IOException e) {
          LOG.warnf("cannot kill process group %d: %s", process.pid(), e.getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      process.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private void finish() {
      timer.cancel(false);
      if (timedOut.get()) {
        result.complete(
            new Outcome(
                false,
                "timed out after "
                    + Durations.format(timeout)
                    + "; killed with its process group"));
        return;
      }
      timedOut.set(true); // a late timer must not kill a recycled process group id
      int exit = process.exitValue();
      String line =
          lastLine.completeOnTimeout("", OUTPUT_GRACE.toMillis(), TimeUnit.MILLISECONDS).join();
      String message = "exit " + exit + (line.isEmpty() ? "" : ": " + line);
      result.complete(new Outcome(exit == 0, message));
    }

    /** Keeps the last non-blank output line (at most {@value MAX_LINE} characters). */
    private void readOutput() {
      byte[] current = new byte[MAX_LINE];
      int length = 0;
      String last = "";
      try (InputStream in = process.getInputStream()) {
        byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              String line = new String(current, 0, length, StandardCharsets.UTF_8).strip();
              last = line.isEmpty() ? last : line;
              length = 0;
            } else if (length < MAX_LINE) {
              current[length++] = buffer[i];
            }
          }
        }
      } catch (IOException e) {
        // the pipe closed under us: keep what we have
      }
      String tail = new String(current, 0, length, StandardCharsets.UTF_8).strip();
      lastLine.complete(tail.isEmpty() ? last : tail);
    }
  }
}
