package dev.floatip.delivery;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real helm binary, run as a process. Found through {@code FLOATIP_HELM} (hack/test.sh sets it),
 * else in the cache that {@code hack/tools.sh} fills. Missing: the tests are skipped with the fix,
 * unless {@code FLOATIP_REQUIRE_HELM} is set (.ci/run sets it), where they fail.
 */
final class Helm {

  static final Path CHART = Path.of("helm", "floatip");
  static final String RELEASE = "floatip";
  static final String NAMESPACE = "floatip";

  private static Path binary;

  private Helm() {}

  record Result(int exit, String out, String err) {}

  /** The helm binary, or the calling test is skipped (failed on CI). */
  static synchronized Path binary() {
    if (binary == null) {
      binary = find();
    }
    return binary;
  }

  private static Path find() {
    String env = System.getenv("FLOATIP_HELM");
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env);
      if (!Files.isExecutable(p)) {
        fail("FLOATIP_HELM=" + env + " is not an executable file");
      }
      return p;
    }
    try {
      Result cached = run(List.of("hack/tools.sh", "--cached"), Map.of());
      if (cached.exit() == 0) {
        Path p = Path.of(cached.out().strip(), "helm");
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    } catch (IOException e) {
      // fall through to the message below
    }
    String why =
        "no helm binary: run hack/tools.sh (fetches helm 4 into ~/.cache/floatip/tools), or set"
            + " FLOATIP_HELM to a helm executable";
    if (System.getenv("FLOATIP_REQUIRE_HELM") != null) {
      fail(why + " (FLOATIP_REQUIRE_HELM is set: the chart checks must run here)");
    }
    Assumptions.abort(why);
    throw new AssertionError("unreachable");
  }

  /** {@code helm template floatip helm/floatip -n floatip <args>}; fails the test on an error. */
  static String template(String... args) {
    Result r = templateResult(args);
    if (r.exit() != 0) {
      fail("helm template " + String.join(" ", args) + " failed (" + r.exit() + "):\n" + r.err());
    }
    return r.out();
  }

  static Result templateResult(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary().toString());
    cmd.addAll(List.of("template", RELEASE, CHART.toString(), "--namespace", NAMESPACE));
    cmd.addAll(List.of(args));
    return helm(cmd);
  }

  static Result helm(List<String> cmd) {
    try {
      Path home = Files.createTempDirectory("floatip-helm");
      try {
        return run(
            cmd,
            Map.of(
                "HELM_CACHE_HOME", home.resolve("cache").toString(),
                "HELM_CONFIG_HOME", home.resolve("config").toString(),
                "HELM_DATA_HOME", home.resolve("data").toString()));
      } finally {
        try (var walk = Files.walk(home)) {
          walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd, e);
    }
  }

  static Result run(List<String> cmd, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Path out = Files.createTempFile("floatip-helm", ".out");
    Path err = Files.createTempFile("floatip-helm", ".err");
    try {
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      try {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          fail(String.join(" ", cmd) + " did not finish within 120 s");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
