package dev.floatip.notify;

import dev.floatip.process.Accounts;
import dev.floatip.process.ProcessRunner;
import dev.floatip.process.RunAs;
import dev.floatip.process.RunResult;
import dev.floatip.vrrp.IpFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * keepalived's notify hooks: the per-state command ({@code master}, {@code backup}, {@code fault},
 * {@code stop}) with only its own arguments, then the generic {@code command} with {@code INSTANCE
 * <name> <STATE> <priority>} appended (anchors §1.9). Each run has the timeout; a failure is logged
 * and the next hook still runs.
 *
 * <p>Hooks run through {@link ProcessRunner} as {@code spec.notify.user} (resolved by {@link
 * Accounts} at each transition, as script checks are) or, without one, as the agent's user, with
 * {@link #PATH} including {@code /usr/local}, and the transition in {@code FLOATIP_*} environment
 * variables ({@link #environment}). A user that is unknown or that the agent may not switch to is
 * logged, and the hooks do not run.
 */
final class ScriptDelivery implements Delivery {

  private static final Logger LOG = Logger.getLogger(ScriptDelivery.class);

  /** The {@code PATH} of a hook (the rest of its environment is {@code LANG=C}). */
  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final ProcessRunner runner;
  private final Optional<List<String>> generic;
  private final Optional<List<String>> master;
  private final Optional<List<String>> backup;
  private final Optional<List<String>> fault;
  private final Optional<List<String>> stop;
  private final Duration timeout;
  private final Accounts accounts;
  private final String user;

  ScriptDelivery(
      ProcessRunner runner,
      Accounts accounts,
      String user,
      List<String> generic,
      List<String> master,
      List<String> backup,
      List<String> fault,
      List<String> stop,
      Duration timeout) {
    this.runner = runner;
    this.accounts = accounts;
    this.user = user;
    this.generic = command(generic);
    this.master = command(master);
    this.backup = command(backup);
    this.fault = command(fault);
    this.stop = command(stop);
    this.timeout = timeout;
  }

  /** Whether any hook is configured. */
  boolean isEmpty() {
    return generic.isEmpty()
        && master.isEmpty()
        && backup.isEmpty()
        && fault.isEmpty()
        && stop.isEmpty();
  }

  @Override
  public String kind() {
    return "script";
  }

  /** The commands a transition runs, in order. */
  List<List<String>> commands(Transition t) {
    List<List<String>> out = new ArrayList<>(2);
    Optional<List<String>> own =
        switch (t.stateWord()) {
          case "MASTER" -> master;
          case "BACKUP" -> backup;
          case "FAULT" -> fault;
          default -> stop;
        };
    own.ifPresent(out::add);
    generic.ifPresent(
        g -> {
          List<String> argv = new ArrayList<>(g);
          argv.addAll(List.of("INSTANCE", t.vip(), t.stateWord(), Integer.toString(t.priority())));
          out.add(List.copyOf(argv));
        });
    return out;
  }

  @Override
  public void deliver(Transition t) throws InterruptedException {
    RunAs as = null;
    if (user != null) {
      try {
        as = accounts.resolve(user);
      } catch (IllegalArgumentException e) {
        LOG.warnf(
            "notify %s %s: hooks not run: cannot run as %s: %s",
            t.vip(), t.stateWord(), user, e.getMessage());
        return;
      }
    }
    for (List<String> argv : commands(t)) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      RunResult r = runner.run(argv, timeout, as, environment(t));
      switch (r.status()) {
        case EXITED -> {
          if (r.exitCode() == 0) {
            LOG.debugf(
                "notify %s %s: %s exited 0 in %d ms",
                t.vip(), t.stateWord(), argv, r.took().toMillis());
          } else {
            LOG.warnf(
                "notify %s %s: %s exited %d in %d ms%s",
                t.vip(), t.stateWord(), argv, r.exitCode(), r.took().toMillis(), output(r));
          }
        }
        case TIMED_OUT, CANCELLED ->
            LOG.warnf(
                "notify %s %s: %s still running after %d ms: killed with its process group%s",
                t.vip(), t.stateWord(), argv, r.took().toMillis(), output(r));
        case NOT_STARTED ->
            LOG.warnf(
                "notify %s %s: %s could not start: %s", t.vip(), t.stateWord(), argv, r.output());
      }
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException();
    }
  }

  /**
   * What keepalived's arguments cannot say, for hooks that want it: a dual-stack VirtualIP runs one
   * router per family and notifies once per family under the same name.
   */
  static Map<String, String> environment(Transition t) {
    return Map.of(
        "FLOATIP_VIRTUALIP", t.vip(),
        "FLOATIP_FAMILY", t.family() == IpFamily.IPV4 ? "ipv4" : "ipv6",
        "FLOATIP_STATE", t.stateWord(),
        "FLOATIP_PRIORITY", Integer.toString(t.priority()),
        "FLOATIP_NODE", t.node());
  }

  private static String output(RunResult r) {
    return r.output().isEmpty() ? "" : "; output: " + r.output();
  }

  private static Optional<List<String>> command(List<String> argv) {
    return argv == null || argv.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(argv));
  }
}
