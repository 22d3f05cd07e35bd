package dev.floatip.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {

  @TempDir Path dir;
  private Accounts accounts;

  @BeforeEach
  void files() throws IOException {
    Path passwd =
        Files.writeString(
            dir.resolve("passwd"),
            """
            root:x:0:0:root:/root:/bin/bash
            nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
            check:x:1001:1002::/home/check:/bin/sh
            broken line
            """);
    Path group =
        Files.writeString(
            dir.resolve("group"),
            """
            root:x:0:
            nogroup:x:65534:
            monitor:x:2000:check
            """);
    accounts = new Accounts(passwd, group);
  }

  @Test
  void aUserRunsWithItsPrimaryGroup() {
    assertThat(accounts.resolve("check")).isEqualTo(new RunAs("check", 1001, 1002));
    assertThat(accounts.resolve("root")).isEqualTo(new RunAs("root", 0, 0));
  }

  @Test
  void aGroupCanBeNamedOrNumbered() {
    assertThat(accounts.resolve("check:monitor")).isEqualTo(new RunAs("check:monitor", 1001, 2000));
    assertThat(accounts.resolve("nobody:77")).isEqualTo(new RunAs("nobody:77", 65534, 77));
  }

  @Test
  void numericUsersNeedAGroupUnlessTheyAreInPasswd() {
    assertThat(accounts.resolve("1001")).isEqualTo(new RunAs("1001", 1001, 1002));
    assertThat(accounts.resolve("5000:5001")).isEqualTo(new RunAs("5000:5001", 5000, 5001));
    assertThatThrownBy(() -> accounts.resolve("5000"))
        .hasMessageContaining("uid 5000 is not in")
        .hasMessageEndingWith("give the group too, e.g. 5000:5000");
  }

  @Test
  void rootIsUidZeroEvenWithoutAPasswdFile() {
    Accounts none = new Accounts(dir.resolve("none"), dir.resolve("none"));
    assertThat(none.resolve("root")).isEqualTo(new RunAs("root", 0, 0));
  }

  @Test
  void unknownNamesAreRefused() {
    assertThatThrownBy(() -> accounts.resolve("ghost")).hasMessageStartingWith("no user \"ghost\"");
    assertThatThrownBy(() -> accounts.resolve("check:ghosts"))
        .hasMessageStartingWith("no group \"ghosts\"");
  }
}
