package dev.floatip.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every complete VirtualIP example in README.md loads as a standalone config file. */
class ReadmeExamplesTest {

  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  static Stream<String> examples() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    List<String> out = new ArrayList<>();
    Matcher m = YAML_BLOCK.matcher(readme);
    while (m.find()) {
      if (m.group(1).startsWith("apiVersion: floatip.dev/v1alpha1")) {
        out.add(m.group(1));
      }
    }
    assertThat(out).as("README examples").hasSizeGreaterThanOrEqualTo(2);
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void loads(String yaml) {
    ConfigFile.Result result = ConfigFile.parse("README.md", yaml);

    assertThat(result).isInstanceOf(ConfigFile.Loaded.class);
  }
}
