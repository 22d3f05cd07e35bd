package dev.floatip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The host's processes as {@code /proc} shows them (PIDs are not namespaced by the labs: an agent
 * in any lab namespace sees the same {@code /proc}), and world-accessible scratch directories for
 * what check scripts running as {@code nobody} read and write.
 */
public final class Procs {

  private Procs() {}

  /** One process: {@code /proc/PID/stat} fields 1, 2, 3 and 5. */
  public record Proc(long pid, String comm, char state, long processGroup) {}

  /** Every process now, zombies included (state {@code Z}). */
  public static List<Proc> all() {
    List<Proc> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
      for (Path d : dirs.toList()) {
        String n = d.getFileName().toString();
        if (!n.chars().allMatch(Character::isDigit)) {
          continue;
        }
        String stat;
        try {
          stat = Files.readString(d.resolve("stat"));
        } catch (NoSuchFileException e) {
          continue; // exited meanwhile
        } catch (IOException e) {
          continue;
        }
        // "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses, so cut at the last
        // ')'
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String[] rest = stat.substring(close + 2).split(" ");
        out.add(
            new Proc(
                Long.parseLong(n),
                stat.substring(open + 1, close),
                rest[0].charAt(0),
                Long.parseLong(rest[2])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The live (not zombie) processes in process group {@code pgid}. */
  public static List<Proc> group(long pgid) {
    return all().stream().filter(p -> p.processGroup() == pgid && p.state() != 'Z').toList();
  }

  /** Whether {@code pid} exists and is not a zombie. */
  public static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  /** The number in a file a script wrote (its PID, say), if the file is there and complete. */
  public static OptionalLong readLong(Path file) {
    try {
      String text = Files.readString(file).strip();
      return text.matches("\\d+") ? OptionalLong.of(Long.parseLong(text)) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * A fresh directory under {@code /tmp} with mode 0777: check scripts run as {@code nobody} when
   * the agent is root, and must be able to stat and write there. Delete it with {@link #delete}.
   */
  public static Path scratchDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a directory tree; absent is fine. */
  public static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
