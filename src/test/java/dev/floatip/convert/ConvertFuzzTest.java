package dev.floatip.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.floatip.config.ConfigFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code floatip convert} on hostile keepalived.conf text: either a conversion or a {@link
 * ConfSyntaxError} naming the place and the problem, never a crash ({@link Converter#convert}
 * reports one as "cannot convert: ExceptionType", which counts as a finding here). What it converts
 * must load in the config file loader without a crash; when nothing converts, a warning says why.
 * Includes are left to HostileConvertTest: the fuzzer must not walk the file system.
 */
class ConvertFuzzTest {

  private static final Path DIR = tempDir();

  private static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("floatip-convert-fuzz");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest
  void convert(byte[] data) throws IOException {
    if (new String(data, java.nio.charset.StandardCharsets.ISO_8859_1).contains("include")) {
      return;
    }
    Path conf = DIR.resolve("keepalived.conf");
    Files.write(conf, data);
    boolean cluster = data.length % 2 == 0;
    Conversion c;
    try {
      c =
          Converter.convert(
              conf, new ConvertOptions(null, cluster, null, ConvertOptions.DEFAULT_NAMESPACE));
    } catch (ConfSyntaxError e) {
      if (e.getMessage().contains("cannot convert: ")) {
        fail("converter crashed", e.getCause() != null ? e.getCause() : e);
      }
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    if (c.documents().isEmpty()) {
      assertThat(c.warnings()).as("why nothing converted").isNotEmpty();
      return;
    }
    ConfigFile.parse("converted.yaml", c.yaml());
  }
}
