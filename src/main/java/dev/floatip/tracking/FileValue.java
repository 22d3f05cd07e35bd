package dev.floatip.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a tracked file: one integer, surrounding white space ignored (keepalived track_file). */
final class FileValue {

  /** More than this is not a number someone wrote for us. */
  private static final int MAX_BYTES = 64;

  /** The result: {@code value} when {@code failure} is {@code null}. */
  record Reading(long value, String failure) {
    static Reading ok(long value) {
      return new Reading(value, null);
    }

    static Reading failed(String reason) {
      return new Reading(0, reason);
    }

    boolean ok() {
      return failure == null;
    }
  }

  private FileValue() {}

  static Reading read(Path path) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      return Reading.failed("file not found");
    } catch (AccessDeniedException e) {
      return Reading.failed("permission denied");
    } catch (IOException e) {
      return Reading.failed("cannot read: " + e.getMessage());
    }
    if (bytes.length > MAX_BYTES) {
      return Reading.failed("not an integer: longer than " + MAX_BYTES + " bytes");
    }
    return parse(new String(bytes, StandardCharsets.UTF_8));
  }

  static Reading parse(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return Reading.failed("not an integer: the file is empty");
    }
    if (!trimmed.matches("[+-]?[0-9]+")) {
      return Reading.failed("not an integer: \"" + printable(trimmed) + "\"");
    }
    try {
      return Reading.ok(Long.parseLong(trimmed));
    } catch (NumberFormatException e) {
      return Reading.failed("integer out of range: " + trimmed);
    }
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints()
        .limit(32)
        .forEach(c -> out.append(Character.isISOControl(c) ? "?" : Character.toString(c)));
    return s.codePointCount(0, s.length()) > 32 ? out + "…" : out.toString();
  }
}
