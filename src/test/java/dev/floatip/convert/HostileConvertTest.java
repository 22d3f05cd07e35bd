package dev.floatip.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 item 9: {@code floatip convert} on includes and tokens an attacker chose. */
class HostileConvertTest {

  private static final String INSTANCE =
      """
      vrrp_instance VI_1 {
          interface eth0
          virtual_router_id 51
          priority 100
          virtual_ipaddress {
              192.0.2.200/24
          }
      }
      """;

  @TempDir Path tmp;

  private Conversion convert(String text) throws Exception {
    Path conf = tmp.resolve("keepalived.conf");
    Files.writeString(conf, text);
    return assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            Converter.convert(
                conf, new ConvertOptions(null, false, null, ConvertOptions.DEFAULT_NAMESPACE)));
  }

  private String error(String text) {
    return assertThatThrownBy(() -> convert(text))
        .isInstanceOf(ConfSyntaxError.class)
        .actual()
        .getMessage();
  }

  /** A secret file's lines never reach a warning: the "keyword" is not one, so it is not shown. */
  @Test
  void linesOfAnIncludedSecretAreNotEchoed() throws Exception {
    Path shadow = tmp.resolve("shadow");
    String hash = "root:$6$saltsalt$abcdefghijklmnopqrstuvwxyz0123456789:19000:0:99999:7:::";
    Files.writeString(shadow, hash + "\nPATH=/usr/bin\u0000SECRET=hunter2\n");
    Conversion c = convert("include " + shadow + "\n" + INSTANCE);
    String all = String.join("\n", c.warnings().stream().map(ConvertWarning::toString).toList());
    assertThat(all).doesNotContain("$6$").doesNotContain("hunter2").doesNotContain("saltsalt");
    assertThat(c.yaml()).doesNotContain("$6$").doesNotContain("hunter2");
    assertThat(all).contains("not a keyword");
  }

  /** /proc/self/environ is "regular" but the kernel's: refused, its content never read. */
  @Test
  void procFilesAreRefused() {
    assumeTrue(Files.exists(Path.of("/proc/self/environ")));
    assertThat(error("include /proc/self/environ\n" + INSTANCE))
        .contains("/proc/self/environ")
        .contains("proc file system")
        .doesNotContain("PATH=");
  }

  /** /proc/kmsg blocks on read: refused before opening, no hang. */
  @Test
  void procKmsgDoesNotHang() {
    assumeTrue(Files.exists(Path.of("/proc/kmsg")));
    assertThat(error("include /proc/kmsg\n" + INSTANCE)).contains("proc file system");
  }

  @Test
  void aFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = tmp.resolve("fifo.conf");
    assumeTrue(mkfifo(fifo), "mkfifo is not available");
    assertThat(error("include " + fifo + "\n" + INSTANCE)).contains("not a regular file");
  }

  /** Deep nesting is a clear error naming the line, not a StackOverflowError. */
  @Test
  void deepNestingIsAnError() {
    String deep = "a {\n".repeat(100_000) + "}\n".repeat(100_000) + INSTANCE;
    assertThat(error(deep)).contains("keepalived.conf:65:").contains("nested more than 64 deep");
  }

  /** A glob over the whole file system is bounded and never throws. */
  @Test
  void aGlobOverEverythingIsBounded() {
    String message = error("include /*/*/*/*\n" + INSTANCE);
    assertThat(message).contains("include: /*/*/*/* matches too much");
  }

  @Test
  void aGlobOverUnreadableOrOddDirectoriesDoesNotThrow() throws Exception {
    Files.createDirectories(tmp.resolve("conf.d/sub"));
    Files.writeString(tmp.resolve("conf.d/sub/x.conf"), INSTANCE);
    Conversion c = convert("include conf.d/*/*.conf\n");
    assertThat(c.documents()).hasSize(1);
  }

  /** A huge token is never echoed whole: warnings and errors are bounded and printable. */
  @Test
  void aHugeTokenIsNotEchoedWhole() throws Exception {
    String token = "x".repeat(1_000_000);
    Conversion c = convert(INSTANCE.replace("priority 100", "priority 100\n    " + token + " 1"));
    assertThat(c.warnings()).isNotEmpty();
    c.warnings().forEach(w -> assertThat(w.toString().length()).isLessThan(400));
    String message = error("vrrp_instance " + token + "\u001b[31m {\n virtual_router_id x\n}\n");
    assertThat(message.length()).isLessThan(600);
    assertThat(message).doesNotContain("\u001b");
  }

  @Test
  void excerptsAreBoundedAndPrintable() {
    assertThat(Excerpt.of("a\u0000b\u001b[31m", 80)).isEqualTo("a\\u0000b\\u001b[31m");
    assertThat(Excerpt.of("y".repeat(100), 10)).isEqualTo("yyyyyyyyyy... (100 characters)");
    assertThat(new ConvertWarning(new Location("f", 1), "a=b", "m").keyword())
        .isEqualTo("(not a keyword, 3 characters, not shown)");
    assertThat(List.of(new ConvertWarning(new Location("f", 1), "vrrp_script", "m").keyword()))
        .containsExactly("vrrp_script");
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
