package dev.floatip.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.floatip.process.RunResult.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real processes (sh, sleep, id). Kills only what it started. */
class ProcessRunnerTest {

  private static final Duration LONG = Duration.ofSeconds(30);
  private static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
  private static final Identity SELF = Identity.current();
  private static final Identity PLAIN_USER = new Identity(1000, 1000, false, false);
  private static final RunAs NOBODY = new RunAs("nobody", 65534, 65534);

  @TempDir Path dir;

  private final ProcessRunner runner = new ProcessRunner(SELF, ProcessRunner.Tools.find(), PATH);

  @AfterEach
  void cleanUp() {
    killQuietly(dir.resolve("self.pid"));
    killQuietly(dir.resolve("child.pid"));
  }

  @Test
  void runsArgvWithoutAShellOnItsPathAndReportsExitCodeAndOutput() throws Exception {
    Path s = script("fail.sh", "echo \"got [$1] [$2]\"; echo oops >&2; exit 3");
    RunResult r = runner.run(List.of(s.toString(), "a b", "$HOME"), LONG);
    assertThat(r.status()).isEqualTo(Status.EXITED);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.succeeded()).isFalse();
    assertThat(r.output()).isEqualTo("got [a b] [$HOME]\noops");

    // found on PATH; the metacharacters are plain arguments
    RunResult echo = runner.run(List.of("echo", "a;", "$HOME", "|", "`x`"), LONG);
    assertThat(echo)
        .extracting(RunResult::succeeded, RunResult::output)
        .containsExactly(true, "a; $HOME | `x`");
  }

  @Test
  void runsWithAMinimalEnvironmentInItsOwnSessionAndProcessGroupWithStdinAtEnd() throws Exception {
    Path env = dir.resolve("env");
    Path stat = dir.resolve("stat");
    Path s =
        script(
            "env.sh",
            "env > " + env + "; cat /proc/$$/stat > " + stat + "; read x && echo stdin; pwd");
    RunResult r = runner.run(List.of(s.toString()), LONG);
    assertThat(r.succeeded()).as(r.toString()).isTrue();
    assertThat(r.output()).isEqualTo("/");
    List<String> keys =
        Files.readAllLines(env).stream().map(l -> l.substring(0, l.indexOf('='))).toList();
    // the shell itself may add PWD, SHLVL, _ ; nothing of the agent's environment leaks
    assertThat(keys)
        .contains("PATH", "LANG")
        .isSubsetOf("PATH", "LANG", "PWD", "SHLVL", "_", "OLDPWD");
    assertThat(Files.readAllLines(env)).contains("PATH=" + PATH, "LANG=C");
    assertThat(runner.environment()).containsOnlyKeys("PATH", "LANG");
    // /proc/<pid>/stat: pid (comm) state ppid pgrp session ...
    String text = Files.readString(stat);
    String pid = text.substring(0, text.indexOf(' '));
    String[] rest = text.substring(text.lastIndexOf(')') + 2).split(" ");
    assertThat(rest[2]).as("process group").isEqualTo(pid);
    assertThat(rest[3]).as("session").isEqualTo(pid);
  }

  @Test
  void aMissingOrNonExecutableProgramDoesNotStart() throws Exception {
    RunResult missing = runner.run(List.of(dir.resolve("missing").toString()), LONG);
    assertThat(missing.status()).isEqualTo(Status.NOT_STARTED);
    assertThat(missing.output()).isEqualTo(dir.resolve("missing") + " does not exist");

    Path plain = Files.writeString(dir.resolve("plain"), "#!/bin/sh\n");
    RunResult notExecutable = runner.run(List.of(plain.toString()), LONG);
    assertThat(notExecutable.status()).isEqualTo(Status.NOT_STARTED);
    assertThat(notExecutable.output()).isEqualTo(plain + " is not executable");
  }

  @Test
  void atItsTimeoutTheWholeProcessGroupIsKilledEvenAReparentedGrandchild() throws Exception {
    // The subshell exits at once: its sleep is re-parented, no longer a descendant of the run,
    // but still in its process group.
    Path s =
        script(
            "hang.sh",
            "echo $$ > "
                + dir.resolve("self.pid")
                + "\n(sleep 1000 & echo $! > "
                + dir.resolve("child.pid")
                + ")\nexec sleep 1000");
    long started = System.nanoTime();
    ProcessRunner.Run run = runner.start(List.of(s.toString()), Duration.ofSeconds(3), null);
    long self = awaitPid(dir.resolve("self.pid"));
    long orphan = awaitPid(dir.resolve("child.pid"));
    await()
        .atMost(LONG)
        .until(() -> ProcessHandle.current().descendants().noneMatch(p -> p.pid() == orphan));
    assertThat(dead(orphan)).isFalse();

    RunResult r = run.result().get(LONG.toSeconds(), TimeUnit.SECONDS);

    assertThat(r.status()).isEqualTo(Status.TIMED_OUT);
    assertThat(r.exitCode()).isEqualTo(-1);
    assertThat(r.took()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(15));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    await().atMost(LONG).until(() -> dead(self) && dead(orphan));
  }

  @Test
  void withoutSetsidATimeoutStillKillsTheCommandAndItsChildren() throws Exception {
    ProcessRunner plain =
        new ProcessRunner(
            SELF,
            new ProcessRunner.Tools(Optional.empty(), Optional.empty(), Optional.empty()),
            PATH);
    Path s =
        script(
            "hang.sh",
            "echo $$ > "
                + dir.resolve("self.pid")
                + "\nsleep 1000 & echo $! > "
                + dir.resolve("child.pid")
                + "\nwait");
    ProcessRunner.Run run = plain.start(List.of(s.toString()), Duration.ofSeconds(2), null);
    long self = awaitPid(dir.resolve("self.pid"));
    long child = awaitPid(dir.resolve("child.pid"));

    assertThat(run.result().get(LONG.toSeconds(), TimeUnit.SECONDS).status())
        .isEqualTo(Status.TIMED_OUT);
    await().atMost(LONG).until(() -> dead(self) && dead(child));
  }

  @Test
  void cancelKillsARunningCommand() throws Exception {
    Path s = script("hang.sh", "echo $$ > " + dir.resolve("self.pid") + "\nexec sleep 1000");
    ProcessRunner.Run run = runner.start(List.of(s.toString()), LONG, null);
    long self = awaitPid(dir.resolve("self.pid"));

    run.cancel();

    assertThat(run.result().get(LONG.toSeconds(), TimeUnit.SECONDS).status())
        .isEqualTo(Status.CANCELLED);
    await().atMost(LONG).until(() -> dead(self));
  }

  @Test
  void anInterruptKillsTheRunAndKeepsTheFlag() throws Exception {
    Path s = script("hang.sh", "echo $$ > " + dir.resolve("self.pid") + "\nexec sleep 1000");
    Thread caller = Thread.currentThread();
    Thread interrupter =
        Thread.ofVirtual()
            .start(
                () -> {
                  awaitPid(dir.resolve("self.pid"));
                  caller.interrupt();
                });
    RunResult r = runner.run(List.of(s.toString()), Duration.ofSeconds(60));
    assertThat(Thread.interrupted()).isTrue();
    interrupter.join();
    assertThat(r.status()).isEqualTo(Status.CANCELLED);
    long self = pid(dir.resolve("self.pid"));
    await().atMost(LONG).until(() -> dead(self));
  }

  @Test
  void theOutputKeepsItsLastTwoKibibytes() throws Exception {
    RunResult r =
        runner.run(
            List.of("/bin/sh", "-c", "head -c 3000 /dev/zero | tr '\\0' a; echo; echo end"), LONG);
    assertThat(r.succeeded()).isTrue();
    // 3005 bytes in all: the last 2048 are 2043 a's, a newline, "end" and a newline
    assertThat(r.output()).isEqualTo("..." + "a".repeat(2043) + "\nend");
  }

  /** Issue 12 item 11: a check's stderr in /status is bounded and printable. */
  @Test
  void aFloodOfStderrIsKeptBoundedAndPrintable() throws Exception {
    RunResult r =
        runner.run(
            List.of(
                "/bin/sh",
                "-c",
                "head -c 1000000 /dev/zero >&2; printf '\\033[31mred\\007 caf\\303\\251\\n' >&2;"
                    + " exit 3"),
            LONG);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.output()).startsWith("...").endsWith("\\u001b[31mred\\u0007 café");
    assertThat(r.output().length()).isLessThanOrEqualTo(3 + 6 * ProcessRunner.OUTPUT_TAIL);
    assertThat(r.output().chars().filter(c -> c < 0x20 && c != '\n' && c != '\t')).isEmpty();
  }

  @Test
  void aCharacterCutAtTheStartOfTheTailIsDropped() {
    byte[] tail = {(byte) 0xa9, 'o', 'k'}; // the end of "é" (0xc3 0xa9)
    assertThat(ProcessRunner.printable(tail, true)).isEqualTo("...ok");
  }

  @Test
  void aBackgroundChildHoldingTheOutputDoesNotHoldUpTheResult() throws Exception {
    Path s =
        script("daemon.sh", "sleep 1000 & echo $! > " + dir.resolve("child.pid") + "; echo done");
    RunResult r = runner.run(List.of(s.toString()), LONG);
    assertThat(r).extracting(RunResult::succeeded, RunResult::output).containsExactly(true, "done");
    assertThat(r.took()).isLessThan(Duration.ofSeconds(10));
    assertThat(dead(pid(dir.resolve("child.pid")))).isFalse(); // a normal exit kills nothing
  }

  @Test
  void withoutCapabilitiesSwitchingUserIsRefusedWithAClearMessage() {
    ProcessRunner weak = new ProcessRunner(PLAIN_USER, ProcessRunner.Tools.find(), PATH);

    RunResult r = weak.run(List.of("/bin/true"), LONG, NOBODY);

    assertThat(r.status()).isEqualTo(Status.NOT_STARTED);
    assertThat(r.output())
        .startsWith("cannot run as nobody: switching user needs CAP_SETUID and CAP_SETGID")
        .contains("securityContext.capabilities");
    assertThat(weak.run(List.of("/bin/true"), LONG, new RunAs("root", 0, 0)).status())
        .isEqualTo(Status.NOT_STARTED);
  }

  @Test
  void theCommandLineSwitchesUserOnlyWhenNeededAndPossible() throws Exception {
    Path setsid = Path.of("/usr/bin/setsid");
    Path setpriv = Path.of("/usr/bin/setpriv");
    ProcessRunner.Tools all =
        new ProcessRunner.Tools(Optional.of(setsid), Optional.of(setpriv), Optional.empty());
    List<String> argv = List.of("/bin/true");

    ProcessRunner plain = new ProcessRunner(PLAIN_USER, all, PATH);
    assertThat(plain.command(argv, null)).containsExactly("/usr/bin/setsid", "/bin/true");
    assertThat(plain.command(argv, new RunAs("me", 1000, 1000)))
        .containsExactly("/usr/bin/setsid", "/bin/true");

    ProcessRunner root = new ProcessRunner(new Identity(0, 0, true, true), all, PATH);
    assertThat(root.command(argv, new RunAs("root", 0, 0)))
        .containsExactly("/usr/bin/setsid", "/bin/true");
    assertThat(root.command(argv, NOBODY))
        .containsExactly(
            "/usr/bin/setsid",
            "/usr/bin/setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
            "/bin/true");

    ProcessRunner noSetpriv =
        new ProcessRunner(
            new Identity(0, 0, true, true),
            new ProcessRunner.Tools(Optional.of(setsid), Optional.empty(), Optional.empty()),
            PATH);
    assertThatThrownBy(() -> noSetpriv.command(argv, NOBODY))
        .hasMessage("cannot run as nobody: setpriv (util-linux) not found");
  }

  @Test
  void asRootItSwitchesToTheGivenIdsWithNoSupplementaryGroups() {
    assumeTrue(SELF.root() && SELF.canSwitchUser(), "needs root with CAP_SETUID and CAP_SETGID");
    assumeTrue(ProcessRunner.Tools.find().setpriv().isPresent(), "needs setpriv");
    String ids = "echo \"$(id -u):$(id -g):$(id -G)\"";

    assertThat(runner.run(List.of("/bin/sh", "-c", ids), LONG, NOBODY).output())
        .isEqualTo("65534:65534:65534");
    assertThat(runner.run(List.of("/bin/sh", "-c", ids), LONG, new RunAs("x", 4321, 4322)).output())
        .isEqualTo("4321:4322:4322");
    assertThat(
            runner.run(List.of("/bin/sh", "-c", "id -u"), LONG, new RunAs("root", 0, 0)).output())
        .isEqualTo("0");
  }

  private Path script(String name, String body) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  private static long awaitPid(Path file) {
    await().atMost(LONG).until(() -> Files.exists(file) && !Files.readString(file).isBlank());
    return pid(file);
  }

  private static long pid(Path file) {
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Gone, or a zombie waiting for its new parent to reap it. */
  private static boolean dead(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Kills a test's sleep if a failed assertion left it running: only a pid we started that is still
   * a sleep, not one the system has given to another process since.
   */
  private static void killQuietly(Path pidFile) {
    try {
      if (Files.exists(pidFile) && !Files.readString(pidFile).isBlank()) {
        ProcessHandle.of(pid(pidFile))
            .filter(p -> p.info().command().orElse("").endsWith("/sleep"))
            .ifPresent(ProcessHandle::destroyForcibly);
      }
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }
}
