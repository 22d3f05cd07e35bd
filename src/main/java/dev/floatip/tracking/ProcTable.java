package dev.floatip.tracking;

import dev.floatip.api.v1alpha1.ProcessCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The running processes as {@code /proc} shows them (the root is injectable for tests). keepalived
 * uses the kernel's proc connector; a scan every second is simpler, needs no capability and is
 * cheap enough for the few processes a node tracks (DESIGN §5).
 */
final class ProcTable {

  /**
   * One process.
   *
   * @param comm the kernel's name (at most 15 characters)
   * @param state the state letter of {@code /proc/PID/stat} ({@code Z} zombie, {@code X} dead)
   * @param commandLine the arguments joined by single spaces; {@code null} when not read (or a
   *     kernel thread, which has none)
   */
  record Proc(long pid, String comm, char state, String commandLine) {
    boolean running() {
      return state != 'Z' && state != 'X' && state != 'x';
    }
  }

  private final Path root;

  ProcTable(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** Every process; command lines only when asked (one more read per process). */
  List<Proc> scan(boolean commandLines) throws IOException {
    List<Proc> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, ProcTable::isPid)) {
      for (Path dir : dirs) {
        Proc p = read(dir, commandLines);
        if (p != null) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** One process, or {@code null} if it is gone. */
  Proc read(long pid, boolean commandLine) {
    return read(root.resolve(Long.toString(pid)), commandLine);
  }

  /** How many running processes match the check: exact comm, or exact command line if given. */
  static int count(List<Proc> procs, ProcessCheck check) {
    int n = 0;
    for (Proc p : procs) {
      if (p.running() && matches(p, check)) {
        n++;
      }
    }
    return n;
  }

  static boolean matches(Proc p, ProcessCheck check) {
    if (check.commandLine() != null) {
      return check.commandLine().equals(p.commandLine());
    }
    return check.name().equals(p.comm());
  }

  private static boolean isPid(Path p) {
    String name = p.getFileName().toString();
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static Proc read(Path dir, boolean commandLine) {
    String stat;
    try {
      stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null; // exited between listing and reading
    }
    // "pid (comm) S ...": comm may itself hold spaces and parentheses, so take the last ')'.
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open || close + 2 >= stat.length()) {
      return null;
    }
    long pid;
    try {
      pid = Long.parseLong(stat.substring(0, open).strip());
    } catch (NumberFormatException e) {
      return null;
    }
    String comm = stat.substring(open + 1, close);
    char state = stat.charAt(close + 2);
    String cmdline = null;
    if (commandLine) {
      try {
        cmdline = joinArgs(Files.readAllBytes(dir.resolve("cmdline")));
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
    return new Proc(pid, comm, state, cmdline);
  }

  /** NUL-separated arguments (with a trailing NUL) joined by single spaces. */
  static String joinArgs(byte[] raw) {
    int end = raw.length;
    while (end > 0 && raw[end - 1] == 0) {
      end--;
    }
    if (end == 0) {
      return null; // kernel thread or zombie
    }
    byte[] copy = new byte[end];
    for (int i = 0; i < end; i++) {
      copy[i] = raw[i] == 0 ? (byte) ' ' : raw[i];
    }
    return new String(copy, StandardCharsets.UTF_8);
  }
}
