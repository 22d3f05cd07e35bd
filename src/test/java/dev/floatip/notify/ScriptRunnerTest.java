package dev.floatip.notify;

import static dev.floatip.notify.Scripts.dead;
import static dev.floatip.notify.Scripts.pid;
import static dev.floatip.notify.Scripts.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptRunnerTest {

  @TempDir Path dir;

  @AfterEach
  void cleanUp() {
    Scripts.killQuietly(dir.resolve("self.pid"));
    Scripts.killQuietly(dir.resolve("orphan.pid"));
  }

  private final ScriptRunner runner = new ScriptRunner();

  @Test
  void passesArgvWithoutAShellAndReportsTheExitCode() throws Exception {
    Path s = script(dir, "fail.sh", "echo \"got [$1] [$2]\"; echo oops >&2; exit 3");
    ScriptRunner.Result r =
        runner.run(List.of(s.toString(), "a b", "$HOME"), Duration.ofSeconds(30));
    assertThat(r.outcome()).isEqualTo(ScriptRunner.Outcome.EXITED);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.succeeded()).isFalse();
    assertThat(r.output()).isEqualTo("got [a b] [$HOME]\noops");
  }

  @Test
  void runsWithAMinimalEnvironmentInItsOwnSession() throws Exception {
    Path out = dir.resolve("env");
    Path s =
        script(
            dir,
            "env.sh",
            "env > " + out + "; cat /proc/$$/stat > " + dir.resolve("stat") + "; pwd");
    ScriptRunner.Result r = runner.run(List.of(s.toString()), Duration.ofSeconds(30));
    assertThat(r.succeeded()).as(r.toString()).isTrue();
    assertThat(r.output()).isEqualTo("/");
    List<String> keys =
        Files.readAllLines(out).stream().map(l -> l.substring(0, l.indexOf('='))).toList();
    // the shell itself may add PWD, SHLVL, _ ; nothing of the agent's environment leaks
    assertThat(keys)
        .contains("PATH", "LANG")
        .isSubsetOf("PATH", "LANG", "PWD", "SHLVL", "_", "OLDPWD");
    assertThat(Files.readAllLines(out)).contains("PATH=" + ScriptRunner.ENVIRONMENT.get("PATH"));
    // /proc/<pid>/stat: pid (comm) state ppid pgrp session ...
    String stat = Files.readString(dir.resolve("stat"));
    String pid = stat.substring(0, stat.indexOf(' '));
    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    assertThat(rest[2]).as("process group").isEqualTo(pid);
    assertThat(rest[3]).as("session").isEqualTo(pid);
  }

  @Test
  void aMissingProgramIsReported() {
    ScriptRunner.Result r =
        runner.run(List.of(dir.resolve("missing").toString()), Duration.ofSeconds(30));
    assertThat(r.succeeded()).isFalse();
    assertThat(r.output()).contains("missing");
  }

  @Test
  void onTimeoutTheWholeProcessGroupIsKilled() throws Exception {
    // the orphan leaves the hook's process tree (its parent exits) but stays in its group
    Path s =
        script(
            dir,
            "hang.sh",
            "echo $$ > "
                + dir.resolve("self.pid")
                + "\n(sleep 1000 & echo $! > "
                + dir.resolve("orphan.pid")
                + ")\nexec sleep 1000");
    ScriptRunner.Result r = runner.run(List.of(s.toString()), Duration.ofMillis(500));
    assertThat(r.outcome()).isEqualTo(ScriptRunner.Outcome.TIMED_OUT);
    long self = pid(dir.resolve("self.pid"));
    long orphan = pid(dir.resolve("orphan.pid"));
    await().atMost(Duration.ofSeconds(10)).until(() -> dead(self) && dead(orphan));
  }

  @Test
  void withoutSetsidATimeoutStillKillsTheHookAndItsChildren() throws Exception {
    ScriptRunner plain = new ScriptRunner(Optional.empty(), Optional.empty());
    Path s =
        script(
            dir,
            "hang.sh",
            "echo $$ > "
                + dir.resolve("self.pid")
                + "\nsleep 1000 & echo $! > "
                + dir.resolve("orphan.pid")
                + "\nwait");
    ScriptRunner.Result r = plain.run(List.of(s.toString()), Duration.ofMillis(500));
    assertThat(r.outcome()).isEqualTo(ScriptRunner.Outcome.TIMED_OUT);
    long self = pid(dir.resolve("self.pid"));
    long child = pid(dir.resolve("orphan.pid"));
    await().atMost(Duration.ofSeconds(10)).until(() -> dead(self) && dead(child));
  }

  @Test
  void anInterruptKillsTheHookAndKeepsTheFlag() throws Exception {
    Path s = script(dir, "hang.sh", "echo $$ > " + dir.resolve("self.pid") + "\nexec sleep 1000");
    Thread caller = Thread.currentThread();
    Thread interrupter =
        Thread.ofVirtual()
            .start(
                () -> {
                  await()
                      .atMost(Duration.ofSeconds(10))
                      .until(() -> Files.exists(dir.resolve("self.pid")));
                  caller.interrupt();
                });
    ScriptRunner.Result r = runner.run(List.of(s.toString()), Duration.ofSeconds(60));
    assertThat(Thread.interrupted()).isTrue();
    interrupter.join();
    assertThat(r.outcome()).isEqualTo(ScriptRunner.Outcome.TIMED_OUT);
    long self = pid(dir.resolve("self.pid"));
    await().atMost(Duration.ofSeconds(10)).until(() -> dead(self));
  }
}
