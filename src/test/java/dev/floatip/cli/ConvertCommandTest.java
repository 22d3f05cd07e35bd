package dev.floatip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.config.ConfigFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConvertCommandTest {

  private static final Path CORPUS = Path.of("src", "test", "resources", "keepalived");

  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = new CommandLine(new ConvertCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    return cmd.execute(args);
  }

  @Test
  void printsYamlAndWarningsOnStderr() {
    int code = run("--node", "lb1", CORPUS.resolve("lb1.conf").toString());

    assertThat(code).isZero();
    assertThat(out.toString()).startsWith("apiVersion: floatip.dev/v1alpha1\nkind: VirtualIP\n");
    assertThat(err.toString())
        .contains("warning: " + CORPUS.resolve("lb1.conf") + ":97: version: IPv6 addresses need");
    assertThat(ConfigFile.parse("stdout", out.toString())).isInstanceOf(ConfigFile.Loaded.class);
  }

  @Test
  void strictTurnsWarningsIntoExitCode2WithoutOutput() {
    int code = run("--strict", CORPUS.resolve("unsupported.conf").toString());

    assertThat(code).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("error: ").contains("with --strict; nothing written");
  }

  @Test
  void strictPassesAConfigWithoutWarnings() {
    assertThat(run("--strict", CORPUS.resolve("ipv6.conf").toString())).isZero();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void syntaxErrorsExit1WithoutOutput() {
    Path bad = CORPUS.resolve("malformed/stray-brace.conf");

    assertThat(run(bad.toString())).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .isEqualTo("floatip convert: " + bad + ":7: '}' without a matching '{'\n");
  }

  @Test
  void writesPasswordFilesPrivatelyAndTheYamlToAFile() throws IOException {
    Path yaml = tmp.resolve("vip.yaml");
    Path dir = tmp.resolve("secrets");

    int code =
        run(
            "--password-dir",
            dir.toString(),
            "-o",
            yaml.toString(),
            CORPUS.resolve("lb1.conf").toString());

    assertThat(code).isZero();
    assertThat(out.toString()).isEmpty();
    Path pass = dir.resolve("vi-web.password");
    assertThat(Files.readString(pass)).isEqualTo("s3cret\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pass)))
        .isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.toList()).containsExactly(pass);
    }
    assertThat(ConfigFile.load(yaml)).isInstanceOf(ConfigFile.Loaded.class);
    assertThat(Files.readString(yaml)).contains("passwordFile: " + pass.toAbsolutePath());
  }

  @Test
  void clusterPrintsTheSecretAfterTheVirtualIPs() {
    int code =
        run("--cluster", "--namespace", "kube-system", CORPUS.resolve("lb1.conf").toString());

    assertThat(code).isZero();
    List<String> docs = List.of(out.toString().split("---\n"));
    assertThat(docs.getLast())
        .isEqualTo(
            """
            apiVersion: v1
            kind: Secret
            metadata:
              name: vi-web-vrrp-password
              namespace: kube-system
            type: Opaque
            stringData:
              password: s3cret
            """);
  }

  @Test
  void severalFilesAreSeveralHostsEachWithItsNode() {
    String lb1 = CORPUS.resolve("lb1.conf").toString();
    String lb2 = CORPUS.resolve("lb2.conf").toString();

    assertThat(run("--node", "lb1", lb1, lb2)).isEqualTo(2);
    assertThat(err.toString()).contains("give one --node per FILE (1 --node for 2 files)");

    assertThat(run("--node", "lb1", "--node", "lb2", lb1, lb2)).isZero();
    assertThat(out.toString()).contains("    nodes:\n      lb1: 150\n      lb2: 100\n");
  }

  @Test
  void passwordDirIsRefusedWithCluster() {
    assertThat(run("--cluster", "--password-dir", "/tmp/x", "k.conf")).isEqualTo(2);
    assertThat(err.toString()).contains("--password-dir is for standalone files");
  }

  @Test
  void convertOpensNoPort() {
    String key = "quarkus.http.host-enabled";
    String health =
        "quarkus.smallrye-health.check.\"io.quarkiverse.operatorsdk.runtime.OperatorHealthCheck\".enabled";
    String before = System.getProperty(key);
    String healthBefore = System.getProperty(health);
    try {
      Main.configureHttp(List.of("convert", "k.conf"));

      assertThat(System.getProperty(key)).isEqualTo("false");
    } finally {
      restore(key, before);
      restore(health, healthBefore);
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
