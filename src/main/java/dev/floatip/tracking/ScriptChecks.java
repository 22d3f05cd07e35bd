package dev.floatip.tracking;

import dev.floatip.config.Durations;
import dev.floatip.process.Accounts;
import dev.floatip.process.ProcessRunner;
import dev.floatip.process.RunAs;
import dev.floatip.process.RunResult;
import dev.floatip.tracking.Attempt.Outcome;
import java.time.Duration;
import java.util.List;

/**
 * Script checks (keepalived vrrp_script, anchors §1.8, §1.15) on top of {@link ProcessRunner}: who
 * a script runs as, and what its run means for the check.
 *
 * <p>User: a script runs as {@code user} from its spec; without one, as the default script user
 * ({@code nobody} unless configured, 65534:65534 when passwd has no nobody) when the agent is root,
 * else as the agent's own user. {@code user: root} runs as root (the agent must be root). The
 * runner refuses a switch the agent may not make; the check then fails with its message.
 */
final class ScriptChecks {

  /** The whole {@code PATH} of a script (the rest of its environment is {@code LANG=C}). */
  static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

  /** The conventional overflow user, used when the default user "nobody" is not in passwd. */
  static final RunAs NOBODY = new RunAs("nobody", 65534, 65534);

  /** The longest output line shown in a check's message. */
  static final int MAX_LINE = 200;

  private final ProcessRunner runner;
  private final Accounts accounts;
  private final String defaultUser;

  ScriptChecks(ProcessRunner runner, Accounts accounts, String defaultUser) {
    this.runner = runner;
    this.accounts = accounts;
    this.defaultUser = defaultUser;
  }

  /** Starts {@code argv}; never throws: a run that cannot start is a failed outcome. */
  Attempt start(List<String> argv, Duration timeout, String user) {
    RunAs as;
    try {
      as = runAs(user);
    } catch (IllegalArgumentException e) {
      return Attempt.done(
          new Outcome(
              false,
              "cannot run as " + (user == null ? defaultUser : user) + ": " + e.getMessage()));
    }
    ProcessRunner.Run run = runner.start(argv, timeout, as);
    return Attempt.of(run.result().thenApply(r -> outcome(r, timeout)), run::cancel);
  }

  /**
   * Who a script with this {@code user} setting runs as; {@code null}: as the agent's user.
   *
   * @throws IllegalArgumentException when the user or group is unknown
   */
  RunAs runAs(String user) {
    if (user != null) {
      return accounts.resolve(user);
    }
    if (!runner.self().root()) {
      return null;
    }
    try {
      return accounts.resolve(defaultUser);
    } catch (IllegalArgumentException e) {
      if (defaultUser.equals(NOBODY.name())) {
        return NOBODY;
      }
      throw e;
    }
  }

  /** Exit 0 is success; the message is the exit status and the last line of output. */
  static Outcome outcome(RunResult r, Duration timeout) {
    return switch (r.status()) {
      case EXITED -> {
        String line = lastLine(r.output());
        yield new Outcome(
            r.exitCode() == 0, "exit " + r.exitCode() + (line.isEmpty() ? "" : ": " + line));
      }
      case TIMED_OUT ->
          new Outcome(
              false,
              "timed out after " + Durations.format(timeout) + "; killed with its process group");
      case CANCELLED -> new Outcome(false, "cancelled");
      case NOT_STARTED -> new Outcome(false, r.output());
    };
  }

  /** The last non-blank line, stripped, at most {@value MAX_LINE} characters. */
  static String lastLine(String output) {
    List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    String last = lines.isEmpty() ? "" : lines.getLast();
    return last.length() > MAX_LINE ? last.substring(0, MAX_LINE) : last;
  }
}
