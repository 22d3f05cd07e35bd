package dev.floatip.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileValueTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0               | 0
          '  42\\n'        | 42
          -17             | -17
          +5              | 5
          '\\t-253 \\r\\n'   | -253
          9223372036854775807 | 9223372036854775807
          """)
  void integers(String text, long value) {
    assertThat(FileValue.parse(text.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r")))
        .isEqualTo(FileValue.Reading.ok(value));
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''                    | not an integer: the file is empty
          '   '                 | not an integer: the file is empty
          abc                   | not an integer: "abc"
          1.5                   | not an integer: "1.5"
          '1 2'                 | not an integer: "1 2"
          0x10                  | not an integer: "0x10"
          --1                   | not an integer: "--1"
          99999999999999999999  | integer out of range: 99999999999999999999
          """)
  void failures(String text, String reason) {
    FileValue.Reading r = FileValue.parse(text);
    assertThat(r.ok()).isFalse();
    assertThat(r.failure()).isEqualTo(reason);
  }

  @Test
  void readsAFile() throws IOException {
    Path f = Files.writeString(dir.resolve("vrrp"), "-3\n");
    assertThat(FileValue.read(f)).isEqualTo(FileValue.Reading.ok(-3));
  }

  @Test
  void aMissingFileIsAFailureWithTheReason() {
    assertThat(FileValue.read(dir.resolve("missing")).failure()).isEqualTo("file not found");
  }

  @Test
  void aDirectoryOrAHugeFileIsAFailure() throws IOException {
    assertThat(FileValue.read(dir).failure()).startsWith("cannot read");
    Path big = Files.writeString(dir.resolve("big"), "1".repeat(1000));
    assertThat(FileValue.read(big).failure()).contains("longer than 64 bytes");
  }
}
