package dev.floatip.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.floatip.tracking.Attempt.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real processes: /bin/true, /bin/false, sh, sleep. Kills only what it started. */
class ScriptRunnerTest {

  private static final Duration LONG = Duration.ofSeconds(20);
  private static final Identity SELF = Identity.of(Path.of("/proc/self/status"));

  @TempDir Path dir;

  private ScheduledExecutorService scheduler;
  private ExecutorService blocking;
  private ScriptRunner runner;

  @BeforeEach
  void setUp() {
    scheduler = Executors.newSingleThreadScheduledExecutor();
    blocking = Executors.newVirtualThreadPerTaskExecutor();
    runner = runner(SELF);
  }

  @AfterEach
  void tearDown() {
    scheduler.shutdownNow();
    blocking.shutdownNow();
  }

  private ScriptRunner runner(Identity self) {
    return new ScriptRunner(
        scheduler,
        blocking,
        self,
        new Accounts(Path.of("/etc/passwd"), Path.of("/etc/group")),
        "nobody",
        ScriptRunner.Tools.find());
  }

  private Outcome run(Duration timeout, String user, String... argv) throws Exception {
    return runner.start(List.of(argv), timeout, user).result().get(30, TimeUnit.SECONDS);
  }

  @Test
  void exitZeroIsSuccess() throws Exception {
    assertThat(run(LONG, null, "/bin/true")).isEqualTo(new Outcome(true, "exit 0"));
  }

  @Test
  void nonZeroExitIsFailureWithTheLastOutputLine() throws Exception {
    assertThat(run(LONG, null, "/bin/false")).isEqualTo(new Outcome(false, "exit 1"));
    assertThat(run(LONG, null, "/bin/sh", "-c", "echo first; echo 'no answer' >&2; exit 3"))
        .isEqualTo(new Outcome(false, "exit 3: no answer"));
  }

  @Test
  void programsAreFoundOnTheMinimalPathWithoutAShell() throws Exception {
    assertThat(run(LONG, null, "true").ok()).isTrue();
    // No shell: the metacharacters are arguments of test.
    assertThat(run(LONG, null, "test", "a", "=", "a;", "false").ok()).isFalse();
  }

  @Test
  void aMissingProgramIsAFailureNotACrash() throws Exception {
    Outcome o = run(LONG, null, "/nonexistent/check");
    assertThat(o.ok()).isFalse();
    assertThat(o.message()).contains("/nonexistent/check");
  }

  @Test
  void theEnvironmentIsMinimal() throws Exception {
    Outcome o =
        run(
            LONG,
            null,
            "/bin/sh",
            "-c",
            "test \"$PATH\" = /usr/sbin:/usr/bin:/sbin:/bin && test \"$LANG\" = C"
                + " && test -z \"$HOME$JAVA_HOME$USER\" && test \"$(pwd)\" = /"
                + " && test \"$(env | grep -cv '^PWD=\\|^SHLVL=\\|^_=')\" = 2"
                + " || { env; exit 1; }");
    assertThat(o).isEqualTo(new Outcome(true, "exit 0"));
  }

  @Test
  void theScriptLeadsItsOwnProcessGroup() throws Exception {
    Outcome o = run(LONG, null, "/bin/sh", "-c", "test \"$(ps -o pgid= -p $$ | tr -d ' ')\" = $$");
    assertThat(o).isEqualTo(new Outcome(true, "exit 0"));
  }

  @Test
  void aScriptPastItsTimeoutIsKilledWithItsWholeProcessGroup() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path pidFile = dir.resolve("child.pid");
    long started = System.nanoTime();

    Attempt attempt =
        runner.start(
            List.of("/bin/sh", "-c", "sleep 30 & echo $! > " + pidFile + "; wait"),
            Duration.ofMillis(700),
            null);
    await().atMost(LONG).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
    long child = Long.parseLong(Files.readString(pidFile).strip());
    assertThat(alive(child)).isTrue();

    Outcome o = attempt.result().get(30, TimeUnit.SECONDS);
    assertThat(o)
        .isEqualTo(new Outcome(false, "timed out after 700ms; killed with its process group"));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    await().atMost(LONG).until(() -> !alive(child));
  }

  @Test
  void anOrphanedGrandchildIsKilledTooBecauseTheWholeGroupIs() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path pidFile = dir.resolve("orphan.pid");

    // The subshell exits at once: its sleep is re-parented, no longer a descendant of the script,
    // but still in the script's process group.
    Attempt attempt =
        runner.start(
            List.of("/bin/sh", "-c", "(sleep 30 & echo $! > " + pidFile + "); exec sleep 30"),
            Duration.ofMillis(700),
            null);
    await().atMost(LONG).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
    long orphan = Long.parseLong(Files.readString(pidFile).strip());
    await()
        .atMost(LONG)
        .until(() -> ProcessHandle.current().descendants().noneMatch(p -> p.pid() == orphan));
    assertThat(alive(orphan)).isTrue();

    assertThat(attempt.result().get(30, TimeUnit.SECONDS).message()).startsWith("timed out");
    await().atMost(LONG).until(() -> !alive(orphan));
  }

  @Test
  void cancelKillsARunningScript() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path pidFile = dir.resolve("leader.pid");
    Attempt attempt =
        runner.start(List.of("/bin/sh", "-c", "echo $$ > " + pidFile + "; sleep 30"), LONG, null);
    await().atMost(LONG).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
    long leader = Long.parseLong(Files.readString(pidFile).strip());

    attempt.cancel();

    await().atMost(LONG).until(() -> !alive(leader));
  }

  @Test
  void withoutCapabilitiesSwitchingUserIsRefusedWithAClearMessage() throws Exception {
    ScriptRunner weak = runner(new Identity(1000, 1000, false, false));

    Outcome o = weak.start(List.of("/bin/true"), LONG, "nobody").result().get();

    assertThat(o.ok()).isFalse();
    assertThat(o.message())
        .startsWith("cannot run as nobody: switching user needs CAP_SETUID and CAP_SETGID")
        .contains("securityContext.capabilities");
    assertThat(weak.start(List.of("/bin/true"), LONG, "root").result().get().ok()).isFalse();
  }

  @Test
  void aNonRootAgentRunsScriptsAsItself() {
    ScriptRunner plain = runner(new Identity(1000, 1000, false, false));

    assertThat(plain.plan(null))
        .isEqualTo(new ScriptRunner.Plan.Launch(List.of(), "the agent's user"));
  }

  @Test
  void anUnknownUserIsRefused() throws Exception {
    Outcome o = run(LONG, "no-such-user-x", "/bin/true");
    assertThat(o)
        .isEqualTo(
            new Outcome(
                false, "cannot run as no-such-user-x: no user \"no-such-user-x\" in /etc/passwd"));
  }

  @Test
  void aRootAgentRunsScriptsAsNobodyByDefault() throws Exception {
    assumeRootWithSetpriv();
    assertThat(runner.plan(null))
        .isEqualTo(
            new ScriptRunner.Plan.Launch(
                List.of(
                    "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"),
                "nobody"));
    assertThat(
            run(
                LONG,
                null,
                "/bin/sh",
                "-c",
                "test \"$(id -u):$(id -g):$(id -G)\" = 65534:65534:65534 || { id; exit 1; }"))
        .isEqualTo(new Outcome(true, "exit 0"));
  }

  @Test
  void rootIsChosenExplicitly() throws Exception {
    assumeRootWithSetpriv();
    assertThat(runner.plan("root")).isEqualTo(new ScriptRunner.Plan.Launch(List.of(), "root"));
    assertThat(run(LONG, "root", "/bin/sh", "-c", "test \"$(id -u)\" = 0"))
        .isEqualTo(new Outcome(true, "exit 0"));
  }

  @Test
  void aNumericUserAndGroupAreUsedAsGiven() throws Exception {
    assumeRootWithSetpriv();
    assertThat(
            run(
                LONG,
                "4321:4322",
                "/bin/sh",
                "-c",
                "test \"$(id -u):$(id -g)\" = 4321:4322 || { id; exit 1; }"))
        .isEqualTo(new Outcome(true, "exit 0"));
  }

  private static void assumeRootWithSetpriv() {
    assumeTrue(SELF.root() && SELF.canSwitchUser(), "needs root with CAP_SETUID and CAP_SETGID");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs /usr/bin/setpriv");
  }

  /** Alive and not a zombie waiting for its parent. */
  static boolean alive(long pid) {
    ProcTable.Proc p = new ProcTable(Path.of("/proc")).read(pid, false);
    return p != null && p.running();
  }
}
