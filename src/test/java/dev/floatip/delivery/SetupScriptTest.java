package dev.floatip.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up step of the README's two commands ({@code hack/setup.sh}, sourced by hack/test.sh,
 * hack/lab.sh and the other build scripts) on a machine without Maven: {@code mvn} is not on {@code
 * PATH} (a directory of symlinks to every other program), {@code JAVA_HOME} is unset and the {@code
 * javac} on {@code PATH} may be too old. The wrapper's Maven is downloaded once into ~/.m2/wrapper
 * (hack/test.sh itself runs through the wrapper, so here it is cached: offline-safe).
 */
class SetupScriptTest {

  private static final Path ROOT = Path.of("").toAbsolutePath();

  record Run(int exit, String output) {}

  @Test
  void withoutMvnOnPathTheBuildUsesTheWrapperAndAJdkOf21OrLater(@TempDir Path tmp)
      throws Exception {
    Path bin = pathWithout(tmp.resolve("bin"), Set.of("mvn", "mvnDebug"));
    Run r =
        bash(
            bin,
            Map.of("FLOATIP_NO_INSTALL", "1"),
            """
            if command -v mvn; then echo "mvn still on PATH"; exit 9; fi
            . hack/setup.sh
            floatip_setup || exit 3
            echo "MVN=$MVN"
            echo "JAVA_HOME=$JAVA_HOME"
            "$MVN" -B -v
            """);
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output())
        .contains("MVN=" + ROOT.resolve("mvnw"))
        .containsPattern("Apache Maven 3\\.9\\.\\d+")
        .containsPattern("Maven home: .*/\\.m2/wrapper/dists/apache-maven-3\\.9\\.\\d+/")
        .containsPattern("Java version: (2[1-9]|[3-9][0-9])");
    String wrapperProps = Files.readString(ROOT.resolve(".mvn/wrapper/maven-wrapper.properties"));
    assertThat(wrapperProps)
        .contains("distributionType=only-script")
        .containsPattern("apache-maven/3\\.9\\.\\d+/apache-maven-3\\.9\\.\\d+-bin\\.zip")
        .containsPattern("distributionSha256Sum=[0-9a-f]{64}");
    assertThat(ROOT.resolve(".mvn/wrapper/maven-wrapper.jar")).doesNotExist();
  }

  @Test
  void aJdkOlderThan21IsPassedOverAndNoneAtAllSaysWhatToDo(@TempDir Path tmp) throws Exception {
    Path bin = pathWithout(tmp.resolve("bin"), Set.of("mvn", "java", "javac"));
    Path jvms = tmp.resolve("jvm");
    fakeJdk(jvms.resolve("java-17-openjdk-amd64"), "17");
    Run none =
        bash(
            bin,
            Map.of("FLOATIP_NO_INSTALL", "1", "FLOATIP_JVM_ROOT", jvms.toString()),
            ". hack/setup.sh; floatip_jdk; echo \"exit=$? JAVA_HOME=${JAVA_HOME:-}\"");
    assertThat(none.output())
        .contains("no JDK >= 21 found")
        .contains("Debian 12 has no JDK 21")
        .contains("temurin")
        .contains("exit=1 JAVA_HOME=\n");

    fakeJdk(jvms.resolve("temurin-21-jdk-amd64"), "21");
    Run found =
        bash(
            bin,
            Map.of("FLOATIP_NO_INSTALL", "1", "FLOATIP_JVM_ROOT", jvms.toString()),
            ". hack/setup.sh; floatip_jdk; echo \"exit=$? JAVA_HOME=$JAVA_HOME\"");
    assertThat(found.output()).contains("exit=0 JAVA_HOME=" + jvms.resolve("temurin-21-jdk-amd64"));
  }

  @Test
  void theScriptsThatBuildUseTheWrapperNeverTheSystemsMaven() throws IOException {
    for (String script :
        List.of(
            "hack/test.sh",
            "hack/lab.sh",
            "hack/bench.sh",
            "hack/update-crds.sh",
            "hack/mock-apiserver",
            "hack/kind-e2e.sh",
            ".ci/run")) {
      String text = Files.readString(ROOT.resolve(script));
      assertThat(text).as(script).contains("hack/setup.sh");
      assertThat(text.lines().filter(l -> !l.strip().startsWith("#")))
          .as("%s runs no bare mvn", script)
          .noneMatch(l -> l.matches(".*(^|[\\s;|&(])mvn\\s.*"));
    }
  }

  /** A directory of symlinks to every program on this machine's PATH but {@code excluded}. */
  private static Path pathWithout(Path dir, Set<String> excluded) throws IOException {
    Files.createDirectories(dir);
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(d);
      if (!Files.isDirectory(p)) {
        continue;
      }
      try (Stream<Path> files = Files.list(p)) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString();
          Path link = dir.resolve(name);
          if (!excluded.contains(name) && Files.isExecutable(f) && !Files.exists(link)) {
            Files.createSymbolicLink(link, f);
          }
        }
      }
    }
    return dir;
  }

  /** A "JDK" whose java reports {@code version} as its specification version. */
  private static void fakeJdk(Path home, String version) throws IOException {
    Path bin = Files.createDirectories(home.resolve("bin"));
    for (String tool : List.of("java", "javac")) {
      Path f = bin.resolve(tool);
      Files.writeString(
          f, "#!/bin/sh\necho '    java.specification.version = " + version + "' >&2\n");
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static Run bash(Path path, Map<String, String> env, String script) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("/bin/bash", "-c", script)
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    Map<String, String> e = pb.environment();
    e.remove("JAVA_HOME");
    e.remove("MAVEN_HOME");
    e.put("PATH", path.toString());
    e.putAll(env);
    Process p = pb.start();
    String out;
    try {
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("set-up still running after 5 minutes: " + out);
    }
    return new Run(p.exitValue(), out);
  }
}
