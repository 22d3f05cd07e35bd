package dev.floatip.dataplane.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Collectors;

/** Reads the captured frames in src/test/resources/vectors (copied from shared/vectors). */
final class Vectors {
  private Vectors() {}

  static byte[] frame(String name) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      return hex(text.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining(" ")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replaceAll("\\s+", ""));
  }
}
