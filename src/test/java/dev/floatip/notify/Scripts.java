package dev.floatip.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** Shell scripts for hook tests, and process checks. */
final class Scripts {

  private Scripts() {}

  /** Writes an executable {@code /bin/sh} script. */
  static Path script(Path dir, String name, String body) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  static long pid(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).strip());
  }

  /** Gone, or a zombie waiting for its new parent to reap it. */
  static boolean dead(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true;
    }
  }

  /** Kills a test's process if a failed assertion left it running (only pids we started). */
  static void killQuietly(Path pidFile) {
    try {
      if (Files.exists(pidFile)) {
        ProcessHandle.of(pid(pidFile)).ifPresent(ProcessHandle::destroyForcibly);
      }
    } catch (IOException | RuntimeException e) {
      // best effort
    }
  }
}
