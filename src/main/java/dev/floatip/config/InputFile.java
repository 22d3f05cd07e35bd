package dev.floatip.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a text file a user named (a config file, a password file, a keepalived include) without
 * letting it hang or exhaust the agent: only regular files (a FIFO, a device or a directory is
 * refused before it is opened, so reading never blocks on it), nothing on the kernel's pseudo file
 * systems ({@code /proc/kmsg} is "regular" but blocks, {@code /proc/self/environ} holds secrets),
 * at most a given size, and UTF-8 only (the byte offset of the first invalid byte is named).
 */
public final class InputFile {

  /** The largest config file read: far above any real one (a VirtualIP is a few hundred bytes). */
  public static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;

  /** File systems whose "regular" files are kernel interfaces, not text a user wrote. */
  private static final Set<String> PSEUDO =
      Set.of(
          "proc",
          "sysfs",
          "debugfs",
          "tracefs",
          "securityfs",
          "configfs",
          "cgroup",
          "cgroup2",
          "efivarfs",
          "pstore",
          "bpf",
          "fusectl",
          "devtmpfs");

  private static final Set<Path> PSEUDO_ROOTS = Set.of(Path.of("/proc"), Path.of("/sys"));

  /** Why a file was not read; the message does not include the file's name. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private InputFile() {}

  /**
   * The file's text.
   *
   * @throws Refused not a regular file, on a pseudo file system, larger than {@code maxBytes}, not
   *     UTF-8, or unreadable
   */
  public static String read(Path path, int maxBytes) throws Refused {
    BasicFileAttributes attributes;
    Path real;
    try {
      // stat, not open: a FIFO or a device is never opened (opening a FIFO blocks)
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
      real = path.toRealPath();
    } catch (IOException e) {
      throw new Refused(describe(e));
    }
    if (!attributes.isRegularFile()) {
      throw new Refused("not a regular file (" + kind(path, attributes) + ")");
    }
    String fileSystem = fileSystem(real);
    if (PSEUDO_ROOTS.stream().anyMatch(real::startsWith) || PSEUDO.contains(fileSystem)) {
      throw new Refused(
          "on the kernel's "
              + (fileSystem.isEmpty() ? "pseudo" : fileSystem)
              + " file system, not a text file");
    }
    if (attributes.size() > maxBytes) {
      throw new Refused(tooLarge(attributes.size(), maxBytes));
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(real)) {
      // the size may have grown since stat: never read more than the limit
      bytes = in.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      throw new Refused(describe(e));
    }
    if (bytes.length > maxBytes) {
      throw new Refused(tooLarge(bytes.length, maxBytes));
    }
    return utf8(bytes);
  }

  /**
   * Decodes UTF-8 strictly.
   *
   * @throws Refused naming the line and byte offset of the first invalid byte
   */
  public static String utf8(byte[] bytes) throws Refused {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      int offset = in.position();
      int line = 1;
      for (int i = 0; i < offset; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new Refused(
          String.format(
              Locale.ROOT,
              "not UTF-8: invalid byte 0x%02x at byte offset %d (line %d)",
              bytes[offset] & 0xff,
              offset,
              line));
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  static String size(long bytes) {
    if (bytes >= 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
    return bytes >= 1024 ? (bytes / 1024) + " KiB" : bytes + " bytes";
  }

  private static String tooLarge(long bytes, int maxBytes) {
    return "larger than the limit of " + size(maxBytes) + " (" + size(bytes) + ")";
  }

  private static String kind(Path path, BasicFileAttributes a) {
    if (a.isDirectory()) {
      return "a directory";
    }
    try {
      // st_mode's file type bits (S_IFMT); stat again, still without opening
      int type = (Integer) Files.getAttribute(path, "unix:mode") & 0170000;
      return switch (type) {
        case 0010000 -> "a FIFO";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "a special file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a special file";
    }
  }

  private static String fileSystem(Path real) {
    try {
      return Files.getFileStore(real).type();
    } catch (IOException | SecurityException e) {
      return "";
    }
  }

  static String describe(IOException e) {
    return switch (e) {
      case NoSuchFileException x -> "no such file";
      case AccessDeniedException x -> "permission denied";
      default ->
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    };
  }
}
