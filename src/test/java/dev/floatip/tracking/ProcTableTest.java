package dev.floatip.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.api.v1alpha1.ProcessCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcTableTest {

  @TempDir Path proc;

  @BeforeEach
  void fakeProc() throws IOException {
    process(1, "systemd", 'S', "/sbin/init\0splash\0");
    process(100, "named", 'S', "/usr/sbin/named\0-u\0bind\0");
    process(101, "named", 'S', "/usr/sbin/named\0-u\0bind\0-c\0/etc/other.conf\0");
    process(102, "named", 'Z', "");
    process(200, "my (odd) name", 'R', "python3\0app.py\0");
    process(300, "kworker/0:1", 'I', "");
    Files.createDirectories(proc.resolve("self")); // not a pid: skipped
    Files.createDirectories(proc.resolve("400")); // exited between listing and reading
    Files.writeString(proc.resolve("uptime"), "1 2");
  }

  private void process(long pid, String comm, char state, String cmdline) throws IOException {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(dir.resolve("stat"), pid + " (" + comm + ") " + state + " 1 1 1 0 -1\n");
    Files.write(dir.resolve("cmdline"), cmdline.getBytes(StandardCharsets.UTF_8));
  }

  private static ProcessCheck check(String name, String commandLine, Integer quorum) {
    return new ProcessCheck(name, commandLine, quorum, null);
  }

  @Test
  void parsesStatAndCommandLines() throws IOException {
    List<ProcTable.Proc> procs = new ProcTable(proc).scan(true);

    assertThat(procs)
        .extracting(ProcTable.Proc::pid)
        .containsExactlyInAnyOrder(1L, 100L, 101L, 102L, 200L, 300L);
    assertThat(procs)
        .filteredOn(p -> p.pid() == 200)
        .singleElement()
        .isEqualTo(new ProcTable.Proc(200, "my (odd) name", 'R', "python3 app.py"));
    assertThat(procs)
        .filteredOn(p -> p.pid() == 300)
        .singleElement()
        .extracting(ProcTable.Proc::commandLine)
        .isNull();
  }

  @Test
  void countsExactCommNamesOfLiveProcesses() throws IOException {
    List<ProcTable.Proc> procs = new ProcTable(proc).scan(false);

    assertThat(ProcTable.count(procs, check("named", null, null))).isEqualTo(2); // not the zombie
    assertThat(ProcTable.count(procs, check("name", null, null))).isZero(); // exact, not prefix
    assertThat(ProcTable.count(procs, check("my (odd) name", null, null))).isEqualTo(1);
    assertThat(ProcTable.count(procs, check("Named", null, null))).isZero();
  }

  @Test
  void matchesTheFullCommandLineExactlyWhenGiven() throws IOException {
    List<ProcTable.Proc> procs = new ProcTable(proc).scan(true);

    assertThat(ProcTable.count(procs, check("dns", "/usr/sbin/named -u bind", null))).isEqualTo(1);
    assertThat(ProcTable.count(procs, check("dns", "/usr/sbin/named", null))).isZero();
    assertThat(ProcTable.count(procs, check("x", "python3 app.py", null))).isEqualTo(1);
  }

  @Test
  void quorumDecidesHealth() throws IOException {
    List<ProcTable.Proc> procs = new ProcTable(proc).scan(false);
    ProcessCheck two = new ProcessCheck("named", null, 2, 10);
    ProcessCheck three = new ProcessCheck("named", null, 3, 10);

    assertThat(ProcessChecks.state(two, ProcTable.count(procs, two)))
        .isEqualTo(CheckState.healthy(CheckKind.PROCESS, "named", 10, "2 running, quorum 2"));
    assertThat(ProcessChecks.state(three, ProcTable.count(procs, three)))
        .isEqualTo(CheckState.failing(CheckKind.PROCESS, "named", 10, "2 running, quorum 3"));
    assertThat(ProcessChecks.state(check("gone", null, null), 0))
        .isEqualTo(CheckState.failing(CheckKind.PROCESS, "gone", 0, "0 running"));
  }

  @Test
  void findsThisJvmInTheRealProc() throws IOException {
    long self = ProcessHandle.current().pid();
    List<ProcTable.Proc> procs = new ProcTable(Path.of("/proc")).scan(true);

    assertThat(procs)
        .filteredOn(p -> p.pid() == self)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.running()).isTrue();
              assertThat(p.commandLine()).contains("java");
            });
  }
}
