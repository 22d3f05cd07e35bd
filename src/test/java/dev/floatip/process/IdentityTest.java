package dev.floatip.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {

  @TempDir Path dir;

  @Test
  void identityReadsIdsAndCapabilities() throws IOException {
    Path status =
        Files.writeString(
            dir.resolve("status"),
            """
            Name:\tjava
            Uid:\t1000\t1001\t1001\t1001
            Gid:\t2000\t2001\t2001\t2001
            CapEff:\t00000000000000c0
            """);
    assertThat(Identity.of(status)).isEqualTo(new Identity(1001, 2001, true, true));
    Files.writeString(status, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nCapEff:\t0000000000000080\n");
    assertThat(Identity.of(status).canSwitchUser()).isFalse(); // SETUID without SETGID
    assertThat(Identity.of(dir.resolve("missing")).canSwitchUser()).isFalse();
  }
}
