package dev.floatip.notify;

import static dev.floatip.notify.Scripts.dead;
import static dev.floatip.notify.Scripts.lines;
import static dev.floatip.notify.Scripts.pid;
import static dev.floatip.notify.Scripts.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.floatip.api.v1alpha1.NotifySpec;
import dev.floatip.process.Identity;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.Reason;
import dev.floatip.vrrp.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keepalived's notify convention, ordering and isolation, with real processes. */
class NotifyScriptsTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path dir;

  private final NotifyRuntime runtime = new NotifyRuntime();

  @AfterEach
  void close() {
    runtime.close();
    Scripts.killQuietly(dir.resolve("stuck.pid"));
  }

  private static NotifySpec hooks(
      List<String> command,
      List<String> master,
      List<String> backup,
      List<String> fault,
      List<String> stop,
      String timeout) {
    return new NotifySpec(command, master, backup, fault, stop, null, timeout, null, null);
  }

  private static NotifySpec asUser(List<String> command, String user) {
    return new NotifySpec(command, null, null, null, null, user, "30s", null, null);
  }

  /**
   * {@code notify.user} as script checks resolve it: a numeric user:group runs the hooks with those
   * ids (setpriv), so the hook's {@code id} shows them. Needs CAP_SETUID/CAP_SETGID (root).
   */
  @Test
  void hooksRunAsTheirUser() throws Exception {
    Identity self = Identity.current();
    Assumptions.assumeTrue(self.canSwitchUser(), "switching user needs CAP_SETUID and CAP_SETGID");
    // the hook runs as nobody: it may enter the directory and append to the log, nothing more
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path log = Files.createFile(dir.resolve("ids.log"));
    Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
    Path hook = script(dir, "ids", "echo \"$(id -u):$(id -g) $*\" >> " + log);
    Notifications n = runtime.notifications("dns", asUser(List.of(hook.toString()), "65534:65533"));

    n.notify(Transitions.master("dns", 110));
    assertThat(n.awaitIdle(DEADLINE)).isTrue();

    assertThat(lines(log)).containsExactly("65534:65533 INSTANCE dns MASTER 110");
    n.close();
  }

  @Test
  void hooksAsTheAgentsOwnIdsNeedNoSwitchAndAnUnknownUserRunsNothing() throws Exception {
    Identity self = Identity.current();
    Path log = dir.resolve("ids.log");
    Path hook = script(dir, "ids", "echo \"$(id -u):$(id -g) $*\" >> " + log);
    Notifications own =
        runtime.notifications(
            "dns", asUser(List.of(hook.toString()), self.uid() + ":" + self.gid()));
    own.notify(Transitions.master("dns", 110));
    assertThat(own.awaitIdle(DEADLINE)).isTrue();
    assertThat(lines(log))
        .containsExactly(self.uid() + ":" + self.gid() + " INSTANCE dns MASTER 110");
    own.close();

    Notifications ghost =
        runtime.notifications("web", asUser(List.of(hook.toString()), "no-such-user-here"));
    ghost.notify(Transitions.master("web", 110));
    assertThat(ghost.awaitIdle(DEADLINE)).isTrue();
    assertThat(lines(log)).as("no hook ran as an unknown user").hasSize(1);
    ghost.close();
  }

  @Test
  void perStateHooksRunFirstWithOnlyTheirArgumentsThenTheGenericOne() throws Exception {
    Path log = dir.resolve("log");
    String append = "echo \"$0 $*\" >> " + log;
    List<String> generic = List.of(script(dir, "notify", append).toString(), "--flag");
    List<String> master = List.of(script(dir, "master", append).toString(), "x y", "z");
    List<String> fault = List.of(script(dir, "fault", append).toString());
    List<String> stop = List.of(script(dir, "stop", append).toString());
    Notifications n =
        runtime.notifications("dns", hooks(generic, master, null, fault, stop, "30s"));

    n.notify(Transitions.startup("dns"));
    n.notify(Transitions.master("dns", 110));
    n.notify(Transitions.fault("dns", 110));
    n.notify(Transitions.of("dns", State.FAULT, State.BACKUP, Reason.FAULT_CLEARED, 90));
    n.notify(Transitions.stop("dns", 90));
    assertThat(n.awaitIdle(DEADLINE)).isTrue();

    String d = dir + "/";
    assertThat(lines(log))
        .containsExactly(
            d + "notify --flag INSTANCE dns BACKUP 100",
            d + "master x y z",
            d + "notify --flag INSTANCE dns MASTER 110",
            d + "fault ",
            d + "notify --flag INSTANCE dns FAULT 110",
            d + "notify --flag INSTANCE dns BACKUP 90",
            d + "stop ",
            d + "notify --flag INSTANCE dns STOP 90");
    n.close();
  }

  @Test
  void hooksGetTheFamilyAndTheTransitionInTheirEnvironment() throws Exception {
    Path log = dir.resolve("log");
    String append =
        "echo \"$FLOATIP_VIRTUALIP $FLOATIP_FAMILY $FLOATIP_STATE $FLOATIP_PRIORITY $FLOATIP_NODE"
            + " $PATH\" >> "
            + log;
    List<String> generic = List.of(script(dir, "notify", append).toString());
    Notifications n = runtime.notifications("dns", hooks(generic, null, null, null, null, "30s"));

    n.notify(Transitions.master("dns", 110));
    n.notify(
        new Transition(
            "dns",
            IpFamily.IPV6,
            "node-a",
            State.BACKUP,
            State.MASTER,
            Reason.MASTER_DOWN,
            110,
            Instant.EPOCH));
    assertThat(n.awaitIdle(DEADLINE)).isTrue();

    assertThat(lines(log))
        .containsExactly(
            "dns ipv4 MASTER 110 node-a " + ScriptDelivery.PATH,
            "dns ipv6 MASTER 110 node-a " + ScriptDelivery.PATH);
  }

  @Test
  void aFailingOrMissingHookIsLoggedAndTheNextOnesStillRun() throws Exception {
    Path log = dir.resolve("log");
    List<String> master = List.of(script(dir, "master", "exit 7").toString());
    List<String> backup = List.of(dir.resolve("does-not-exist").toString());
    List<String> generic = List.of(script(dir, "notify", "echo \"$*\" >> " + log).toString());
    Notifications n =
        runtime.notifications("dns", hooks(generic, master, backup, null, null, "30s"));
    n.notify(Transitions.startup("dns"));
    n.notify(Transitions.master("dns", 100));
    assertThat(n.awaitIdle(DEADLINE)).isTrue();
    assertThat(lines(log)).containsExactly("INSTANCE dns BACKUP 100", "INSTANCE dns MASTER 100");
  }

  @Test
  void aHangingHookIsKilledAtItsTimeoutAndTheNextRuns() throws Exception {
    Path log = dir.resolve("log");
    List<String> generic =
        List.of(
            script(
                    dir,
                    "notify",
                    "echo \"$*\" >> "
                        + log
                        + "\n[ \"$3\" = MASTER ] && { echo $$ > "
                        + dir.resolve("stuck.pid")
                        + "; exec sleep 1000; }\nexit 0")
                .toString());
    Notifications n = runtime.notifications("dns", hooks(generic, null, null, null, null, "300ms"));
    n.notify(Transitions.master("dns", 100));
    n.notify(Transitions.backup("dns", 100));
    assertThat(n.awaitIdle(DEADLINE)).isTrue();
    assertThat(lines(log)).containsExactly("INSTANCE dns MASTER 100", "INSTANCE dns BACKUP 100");
    long stuck = pid(dir.resolve("stuck.pid"));
    await().atMost(DEADLINE).until(() -> dead(stuck));
  }

  /**
   * "Notify ordering under rapid flapping": 50 transitions fired at once reach the hook in order
   * and one at a time (a lock directory would catch two runs at once), while another VirtualIP's
   * hook hangs and does not hold them up.
   */
  @Test
  void rapidFlappingIsDeliveredInOrderOneAtATimeWhileAnotherVipHangs() throws Exception {
    Path stuckLog = dir.resolve("stuck.log");
    List<String> hanging =
        List.of(
            script(
                    dir,
                    "hang",
                    "echo \"$*\" >> "
                        + stuckLog
                        + "; echo $$ > "
                        + dir.resolve("stuck.pid")
                        + "; exec sleep 1000")
                .toString());
    Notifications stuck =
        runtime.notifications("stuck", hooks(hanging, null, null, null, null, "10m"));
    stuck.notify(Transitions.master("stuck", 100));
    stuck.notify(Transitions.backup("stuck", 100));
    await().atMost(DEADLINE).until(() -> Files.exists(dir.resolve("stuck.pid")));

    Path log = dir.resolve("log");
    Path lock = dir.resolve("lock");
    List<String> generic =
        List.of(
            script(
                    dir,
                    "notify",
                    String.join(
                        "\n",
                        "mkdir " + lock + " 2>/dev/null || echo OVERLAP >> " + log,
                        "echo \"start $*\" >> " + log,
                        "sleep 0.01",
                        "echo \"end $*\" >> " + log,
                        "rmdir " + lock))
                .toString());
    Notifications flapping =
        runtime.notifications("flap", hooks(generic, null, null, null, null, "30s"));
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      Transition t = i % 2 == 1 ? Transitions.master("flap", i) : Transitions.backup("flap", i);
      flapping.notify(t);
      String args = "INSTANCE flap " + t.stateWord() + " " + i;
      expected.add("start " + args);
      expected.add("end " + args);
    }
    await().atMost(DEADLINE).until(() -> lines(log).size() >= 100);
    assertThat(flapping.awaitIdle(DEADLINE)).isTrue();
    assertThat(lines(log)).containsExactlyElementsOf(expected);

    // the other VirtualIP is still stuck in its first hook, its second queued behind it
    assertThat(lines(stuckLog)).containsExactly("INSTANCE stuck MASTER 100");
    assertThat(stuck.awaitIdle(Duration.ZERO)).isFalse();
    long stuckPid = pid(dir.resolve("stuck.pid"));
    assertThat(dead(stuckPid)).isFalse();

    // closing it kills the hanging hook and drops the queued one
    stuck.close();
    await().atMost(DEADLINE).until(() -> dead(stuckPid));
    assertThat(stuck.awaitIdle(DEADLINE)).isTrue();
    assertThat(lines(stuckLog)).containsExactly("INSTANCE stuck MASTER 100");
  }

  @Test
  void notifyReturnsAtOnceWhileAHookHangs() throws Exception {
    List<String> hanging =
        List.of(
            script(dir, "hang", "echo $$ > " + dir.resolve("stuck.pid") + "; exec sleep 1000")
                .toString());
    Notifications n = runtime.notifications("dns", hooks(hanging, null, null, null, null, "10m"));
    n.notify(Transitions.master("dns", 100));
    await().atMost(DEADLINE).until(() -> Files.exists(dir.resolve("stuck.pid")));
    long start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      n.notify(Transitions.backup("dns", 100));
    }
    // a thousand queued calls take microseconds each; a blocking call would take ten minutes
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(n.dropped()).isEqualTo(1000 - NotifyOptions.QUEUE_CAPACITY);
    n.close();
  }

  @Test
  void aChangedSpecAppliesToLaterTransitions() throws Exception {
    Path log = dir.resolve("log");
    List<String> one = List.of(script(dir, "one", "echo \"one $*\" >> " + log).toString());
    List<String> two = List.of(script(dir, "two", "echo \"two $*\" >> " + log).toString());
    Notifications n = runtime.notifications("dns", hooks(one, null, null, null, null, null));
    n.notify(Transitions.startup("dns"));
    n.update(hooks(two, null, null, null, null, null));
    n.notify(Transitions.master("dns", 100));
    n.update(null);
    n.notify(Transitions.backup("dns", 100));
    assertThat(n.awaitIdle(DEADLINE)).isTrue();
    assertThat(lines(log))
        .containsExactly("one INSTANCE dns BACKUP 100", "two INSTANCE dns MASTER 100");
  }

  @Test
  void onShutdownTheRuntimeWaitsForTheStopHooksThenNotificationsAreOff() throws Exception {
    Path log = dir.resolve("log");
    List<String> generic =
        List.of(script(dir, "notify", "sleep 0.2; echo \"$*\" >> " + log).toString());
    Notifications a = runtime.notifications("a", hooks(generic, null, null, null, null, null));
    Notifications b = runtime.notifications("b", hooks(generic, null, null, null, null, null));
    a.notify(Transitions.stop("a", 100));
    b.notify(Transitions.stop("b", 100));
    assertThat(runtime.awaitIdle(DEADLINE)).isTrue();
    assertThat(lines(log)).containsExactlyInAnyOrder("INSTANCE a STOP 100", "INSTANCE b STOP 100");

    runtime.close();
    a.notify(Transitions.startup("a"));
    assertThat(a.awaitIdle(DEADLINE)).isTrue();
    assertThat(lines(log)).hasSize(2);
  }
}
