package dev.floatip.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * The agent's config file loader on hostile YAML: {@link ConfigFile#parse} never throws; a file it
 * refuses yields {@link ConfigError}s that name the file, a line and what is wrong.
 */
class ConfigFileFuzzTest {

  @FuzzTest
  void parse(byte[] data) {
    String content = new String(data, StandardCharsets.UTF_8);
    switch (ConfigFile.parse("fuzz.yaml", content)) {
      case ConfigFile.Loaded loaded -> assertThat(loaded.virtualIPs()).isNotNull();
      case ConfigFile.Invalid invalid -> {
        assertThat(invalid.errors()).isNotEmpty();
        for (ConfigError e : invalid.errors()) {
          assertThat(e.file()).isEqualTo("fuzz.yaml");
          assertThat(e.line()).isNotNegative();
          assertThat(e.field()).isNotNull();
          assertThat(e.message()).isNotBlank();
        }
      }
    }
  }
}
