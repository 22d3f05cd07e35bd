package dev.floatip.process;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who the agent runs as, from {@code /proc/self/status}: effective ids and whether it may switch
 * users (CAP_SETUID and CAP_SETGID in the effective set).
 */
public record Identity(long uid, long gid, boolean canSetUid, boolean canSetGid) {

  static final int CAP_SETGID = 6;
  static final int CAP_SETUID = 7;

  public boolean root() {
    return uid == 0;
  }

  public boolean canSwitchUser() {
    return canSetUid && canSetGid;
  }

  /** This process, from {@code /proc/self/status}. */
  public static Identity current() {
    return of(Path.of("/proc/self/status"));
  }

  /** Reads {@code status} ({@code /proc/self/status}); on failure, a user with no capabilities. */
  public static Identity of(Path status) {
    long uid = -1;
    long gid = -1;
    BigInteger caps = BigInteger.ZERO;
    try {
      for (String line : Files.readAllLines(status)) {
        String[] f = line.split("\\s+");
        switch (f[0]) {
          case "Uid:" -> uid = Long.parseLong(f[2]); // real, effective, saved, fs
          case "Gid:" -> gid = Long.parseLong(f[2]);
          case "CapEff:" -> caps = new BigInteger(f[1], 16);
          default -> {}
        }
      }
    } catch (IOException | RuntimeException e) {
      return new Identity(uid, gid, false, false);
    }
    return new Identity(uid, gid, caps.testBit(CAP_SETUID), caps.testBit(CAP_SETGID));
  }
}
