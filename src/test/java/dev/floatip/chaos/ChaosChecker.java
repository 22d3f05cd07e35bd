package dev.floatip.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs hack/chaos.sh and hack/chaos/chaos.py as processes (the tests' side of both). */
final class ChaosChecker {

  static final Path SCRIPT = Path.of("hack", "chaos.sh");
  static final Path CHECKER = Path.of("hack", "chaos", "chaos.py");

  record Result(int exit, String out) {}

  private ChaosChecker() {}

  static boolean hasPython() {
    try {
      return run(List.of("python3", "--version"), Map.of(), Duration.ofSeconds(20)).exit() == 0;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** The command with stderr merged into stdout; destroyed (SIGTERM: the script cleans up). */
  static Result run(List<String> command, Map<String, String> env, Duration timeout) {
    try {
      Path out = Files.createTempFile("fipchaos-test", ".out");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroy();
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
          return new Result(-1, Files.readString(out) + "\n(timed out after " + timeout + ")");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** chaos.py check on a run directory, with the script's VIPs and timers (100 ms, D 250 ms). */
  static Result check(Path dir, String... extra) {
    List<String> cmd = new ArrayList<>(List.of("python3", CHECKER.toString(), "check"));
    cmd.addAll(
        List.of(
            "--dir",
            dir.toString(),
            "--advert",
            "0.1",
            "--priorities",
            "150,100,50",
            "--delivery",
            "0.25",
            "--vips",
            "192.0.2.200,198.51.100.200",
            "--top",
            "n1,n3"));
    cmd.addAll(List.of(extra));
    return run(cmd, Map.of(), Duration.ofSeconds(60));
  }
}
