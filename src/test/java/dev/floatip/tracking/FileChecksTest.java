package dev.floatip.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.api.v1alpha1.FileCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tracked files are read under a root: {@code /} standalone, the host's mount in a cluster. */
class FileChecksTest {

  static Stream<Arguments> paths() {
    return Stream.of(
        Arguments.of("/", "/etc/keepalived/prio", "/etc/keepalived/prio"),
        Arguments.of("/host", "/etc/keepalived/prio", "/host/etc/keepalived/prio"),
        Arguments.of("/host", "/tmp/a", "/host/tmp/a"),
        Arguments.of("/host", "/../../etc/shadow", "/host/etc/shadow"),
        Arguments.of("/host", "/", "/host"));
  }

  @ParameterizedTest(name = "{1} under {0} → {2}")
  @MethodSource("paths")
  void aPathIsReadUnderTheRootAndNeverAboveIt(String root, String path, String expected) {
    assertThat(FileChecks.under(Path.of(root), path)).isEqualTo(Path.of(expected));
  }

  @Test
  void theHostsFileIsReadAndTheCheckKeepsThePathAsWritten(@TempDir Path host) throws IOException {
    Files.createDirectories(host.resolve("etc/floatip"));
    Files.writeString(host.resolve("etc/floatip/state"), "3\n");
    FileCheck check = new FileCheck("/etc/floatip/state", 5);

    CheckState state = FileChecks.state(check, host);

    assertThat(state).isEqualTo(CheckState.fileValue("/etc/floatip/state", 5, 3));
  }

  @Test
  void withoutThePrefixTheSamePathIsNotTheHostsFile(@TempDir Path host) throws IOException {
    Files.createDirectories(host.resolve("etc/floatip"));
    Files.writeString(host.resolve("etc/floatip/absent-here"), "3\n");
    FileCheck check = new FileCheck("/etc/floatip/absent-here", 5);

    assertThat(FileChecks.state(check, Path.of("/")).health())
        .isNotEqualTo(CheckState.Health.VALUE);
  }
}
