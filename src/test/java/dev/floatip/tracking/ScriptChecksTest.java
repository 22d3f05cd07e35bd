package dev.floatip.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.process.Accounts;
import dev.floatip.process.Identity;
import dev.floatip.process.ProcessRunner;
import dev.floatip.process.RunAs;
import dev.floatip.process.RunResult;
import dev.floatip.process.RunResult.Status;
import dev.floatip.tracking.Attempt.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is tracking's own about scripts: who they run as, and their outcome's message. How they run
 * (isolation, timeout, group kill, user switch) is {@code dev.floatip.process.ProcessRunnerTest}'s.
 */
class ScriptChecksTest {

  private static final Duration LONG = Duration.ofSeconds(20);
  private static final Identity ROOT = new Identity(0, 0, true, true);
  private static final Identity PLAIN_USER = new Identity(1000, 1000, false, false);

  @TempDir Path dir;

  private Accounts accounts;

  @BeforeEach
  void files() throws IOException {
    accounts =
        new Accounts(
            Files.writeString(
                dir.resolve("passwd"),
                "root:x:0:0:root:/root:/bin/sh\ncheck:x:1001:1002::/home/check:/bin/sh\n"),
            Files.writeString(dir.resolve("group"), "root:x:0:\n"));
  }

  private ScriptChecks checks(Identity self, String defaultUser) {
    return new ScriptChecks(
        new ProcessRunner(self, ProcessRunner.Tools.find(), ScriptChecks.PATH),
        accounts,
        defaultUser);
  }

  @Test
  void aRootAgentRunsScriptsAsTheDefaultUserAndRootOnlyWhenAskedFor() {
    // nobody is not in this passwd: the conventional 65534:65534
    assertThat(checks(ROOT, "nobody").runAs(null)).isEqualTo(new RunAs("nobody", 65534, 65534));
    assertThat(checks(ROOT, "check").runAs(null)).isEqualTo(new RunAs("check", 1001, 1002));
    assertThat(checks(ROOT, "nobody").runAs("root")).isEqualTo(new RunAs("root", 0, 0));
    assertThat(checks(ROOT, "nobody").runAs("4321:4322"))
        .isEqualTo(new RunAs("4321:4322", 4321, 4322));
  }

  @Test
  void aNonRootAgentRunsScriptsAsItselfUnlessAUserIsGiven() {
    assertThat(checks(PLAIN_USER, "nobody").runAs(null)).isNull();
    assertThat(checks(PLAIN_USER, "nobody").runAs("check"))
        .isEqualTo(new RunAs("check", 1001, 1002));
  }

  @Test
  void anUnknownUserIsRefused() throws Exception {
    Outcome o =
        checks(ROOT, "nobody").start(List.of("/bin/true"), LONG, "no-such-user-x").result().get();
    assertThat(o)
        .isEqualTo(
            new Outcome(
                false,
                "cannot run as no-such-user-x: no user \"no-such-user-x\" in "
                    + dir.resolve("passwd")));
    Outcome defaultUser =
        checks(ROOT, "ghost").start(List.of("/bin/true"), LONG, null).result().get();
    assertThat(defaultUser.message()).startsWith("cannot run as ghost: no user \"ghost\"");
  }

  @Test
  void aRunBecomesAnOutcomeWithTheExitStatusAndTheLastOutputLine() throws Exception {
    ScriptChecks real =
        new ScriptChecks(
            ProcessRunner.create(ScriptChecks.PATH),
            new Accounts(Path.of("/etc/passwd"), Path.of("/etc/group")),
            "nobody");
    Outcome o =
        real.start(List.of("/bin/sh", "-c", "echo first; echo 'no answer' >&2; exit 3"), LONG, null)
            .result()
            .get(30, TimeUnit.SECONDS);
    assertThat(o).isEqualTo(new Outcome(false, "exit 3: no answer"));

    Duration timeout = Duration.ofMillis(700);
    assertThat(ScriptChecks.outcome(result(Status.EXITED, 0, ""), timeout))
        .isEqualTo(new Outcome(true, "exit 0"));
    assertThat(ScriptChecks.outcome(result(Status.TIMED_OUT, -1, "partial"), timeout))
        .isEqualTo(new Outcome(false, "timed out after 700ms; killed with its process group"));
    assertThat(ScriptChecks.outcome(result(Status.NOT_STARTED, -1, "/x does not exist"), timeout))
        .isEqualTo(new Outcome(false, "/x does not exist"));
    assertThat(ScriptChecks.outcome(result(Status.CANCELLED, -1, ""), timeout).ok()).isFalse();
  }

  @Test
  void theLastLineIsTheLastNonBlankOneCut() {
    assertThat(ScriptChecks.lastLine("")).isEmpty();
    assertThat(ScriptChecks.lastLine("one\n  two  \n\n \n")).isEqualTo("two");
    assertThat(ScriptChecks.lastLine("one\nno newline at the end"))
        .isEqualTo("no newline at the end");
    assertThat(ScriptChecks.lastLine("x".repeat(500))).hasSize(ScriptChecks.MAX_LINE);
  }

  private static RunResult result(Status status, int exit, String output) {
    return new RunResult(status, exit, output, Duration.ofMillis(1));
  }
}
