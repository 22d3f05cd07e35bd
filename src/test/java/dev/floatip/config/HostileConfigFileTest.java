package dev.floatip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 items 8 and 11: config files that are too big, not files, not UTF-8 or badly typed. */
class HostileConfigFileTest {

  private static final String HEAD =
      """
      apiVersion: floatip.dev/v1alpha1
      kind: VirtualIP
      metadata: {name: a}
      spec:
      """;

  private static List<String> errors(ConfigFile.Result result) {
    return assertInstanceOf(ConfigFile.Invalid.class, result).errors().stream()
        .map(ConfigError::toString)
        .toList();
  }

  /** Item 8: a 5 MiB file is refused from its size, before it is read or parsed. */
  @Test
  void aFileOverTheLimitIsRefusedFast(@TempDir Path tmp) throws IOException {
    Path big = tmp.resolve("big.yaml");
    StringBuilder b = new StringBuilder(HEAD).append("  addresses:\n");
    while (b.length() < 5 * 1024 * 1024) {
      b.append("  - 192.0.2.1/24\n");
    }
    Files.writeString(big, b);
    List<String> errors =
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> errors(ConfigFile.load(big)));
    assertEquals(
        List.of(big + ": cannot read: larger than the limit of 4.0 MiB (5.0 MiB)"), errors);
  }

  /** Item 8: many values below the size limit are refused early, not parsed for a minute. */
  @Test
  void tooManyValuesAreRefused() {
    StringBuilder b = new StringBuilder(HEAD).append("  addresses:\n");
    for (int i = 0; i < 60_000; i++) {
      b.append("  - 192.0.2.1/24\n");
    }
    List<String> errors =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> errors(ConfigFile.parse("x.yaml", b.toString())));
    assertEquals(1, errors.size());
    assertTrue(
        errors.get(0).matches("x\\.yaml:\\d+:\\d+: spec\\.addresses: more than 50000 values.*"),
        errors.get(0));
  }

  /** Item 8: a FIFO is refused without being opened (opening it would block forever). */
  @Test
  void aFifoIsRefusedWithoutBlocking(@TempDir Path tmp) throws Exception {
    Path fifo = tmp.resolve("vip.yaml");
    assumeTrue(mkfifo(fifo), "mkfifo is not available");
    List<String> errors =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> errors(ConfigFile.load(fifo)));
    assertEquals(List.of(fifo + ": cannot read: not a regular file (a FIFO)"), errors);
  }

  @Test
  void aDirectoryOrADeviceIsRefused(@TempDir Path tmp) {
    assertEquals(
        List.of(tmp + ": cannot read: not a regular file (a directory)"),
        errors(ConfigFile.load(tmp)));
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.exists(zero));
    assertEquals(
        List.of("/dev/zero: cannot read: not a regular file (a character device)"),
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> errors(ConfigFile.load(zero))));
  }

  /** /proc/kmsg is a "regular" file that blocks; /proc/self/environ holds secrets. */
  @Test
  void kernelPseudoFilesAreRefused() {
    Path environ = Path.of("/proc/self/environ");
    assumeTrue(Files.exists(environ));
    List<String> errors = errors(ConfigFile.load(environ));
    assertEquals(1, errors.size());
    assertTrue(errors.get(0).contains("on the kernel's proc file system"), errors.get(0));
  }

  /** Item 8: a password file that is a FIFO does not hang the load either. */
  @Test
  void aFifoAsPasswordFileIsRefused(@TempDir Path tmp) throws Exception {
    Path fifo = tmp.resolve("pass");
    assumeTrue(mkfifo(fifo), "mkfifo is not available");
    String yaml =
        HEAD
            + """
              addresses: [192.0.2.1]
              virtualRouterId: 1
              authentication: {passwordFile: %s}
              version: 2
              transport: {mode: Multicast}
            """
                .formatted(fifo);
    List<String> errors =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5), () -> errors(ConfigFile.parse("x.yaml", yaml)));
    assertEquals(
        List.of(
            "x.yaml:7:34: spec.authentication.passwordFile: cannot read "
                + fifo
                + ": not a regular file (a FIFO)"),
        errors);
  }

  /** Item 11: the byte offset (and line) of the first byte that is not UTF-8. */
  @Test
  void nonUtf8NamesTheByteOffset(@TempDir Path tmp) throws IOException {
    Path latin1 = tmp.resolve("latin1.yaml");
    byte[] head = (HEAD + "  interface: caf").getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 2];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xe9; // é in ISO-8859-1
    bytes[head.length + 1] = '\n';
    Files.write(latin1, bytes);
    assertEquals(
        List.of(
            latin1
                + ": cannot read: not UTF-8: invalid byte 0xe9 at byte offset "
                + head.length
                + " (line 5)"),
        errors(ConfigFile.load(latin1)));
  }

  /** Item 11: every type error of one document, not only the first. */
  @Test
  void everyTypeErrorOfADocumentIsReported() {
    String yaml =
        HEAD
            + """
              virtualRouterId: x
              version: "3"
              preempt: 3
              addresses: [192.0.2.1/24, [1]]
              transport: {mode: unicast, peers: 7}
              bogus: 1
            """;
    assertEquals(
        List.of(
            "x.yaml:5:20: spec.virtualRouterId: expected an integer",
            "x.yaml:6:12: spec.version: expected an integer",
            "x.yaml:7:12: spec.preempt: expected true or false, was 3",
            "x.yaml:8:29: spec.addresses[1]: expected a string",
            "x.yaml:9:21: spec.transport.mode: expected one of Unicast, Multicast, was unicast",
            "x.yaml:9:37: spec.transport.peers: expected a list",
            "x.yaml:10:3: spec.bogus: unknown field"),
        errors(ConfigFile.parse("x.yaml", yaml)).stream()
            .map(e -> e.replaceFirst(" \\(known: .*\\)$", ""))
            .toList());
  }

  /** Item 11: a nesting error has a line and column, and says what the limit is. */
  @Test
  void nestingErrorsHaveALine() {
    String yaml = HEAD + "  addresses: " + "[".repeat(200) + "]".repeat(200) + "\n";
    List<String> errors = errors(ConfigFile.parse("x.yaml", yaml));
    assertEquals(1, errors.size());
    assertTrue(
        errors
            .get(0)
            .matches(
                "x\\.yaml:5:\\d+: spec\\.addresses.*: nested too deep \\(at most 32 levels\\)"),
        errors.get(0));
  }

  /** Item 11: a value echoed in an error is bounded and printable. */
  @Test
  void echoedValuesAreBounded() {
    String yaml = HEAD + "  preempt: \"" + "x".repeat(10_000) + "\\u0007\"\n";
    List<String> errors = errors(ConfigFile.parse("x.yaml", yaml));
    assertEquals(1, errors.size());
    assertTrue(errors.get(0).length() < 200, errors.get(0));
  }

  static boolean mkfifo(Path path) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
