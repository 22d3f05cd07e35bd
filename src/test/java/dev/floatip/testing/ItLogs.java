package dev.floatip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.TestInfo;

/**
 * Where a Linux test keeps its configs and daemon logs: {@code target/it-logs/CLASS/METHOD/}
 * (failsafe sets {@code floatip.it.logs}), kept after the run so a failure can be read.
 */
public final class ItLogs {

  private ItLogs() {}

  public static Path dir(TestInfo test) {
    String cls = test.getTestClass().map(Class::getSimpleName).orElse("unknown");
    String method = test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("all");
    if (!test.getDisplayName().startsWith(method + "(")) {
      method += "-" + test.getDisplayName().replaceAll("[^A-Za-z0-9]+", "_");
    }
    Path dir =
        Path.of(System.getProperty("floatip.it.logs", "target/it-logs"))
            .resolve(cls)
            .resolve(method.length() > 80 ? method.substring(0, 80) : method)
            .toAbsolutePath();
    try {
      if (Files.isDirectory(dir)) {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.deleteIfExists(f);
          }
        }
      }
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
