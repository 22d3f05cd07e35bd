package dev.floatip.convert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's migration example is what the converter prints for the config shown beside it. */
class ConvertReadmeTest {

  private static final Pattern EXAMPLE =
      Pattern.compile(
          "```keepalived\\n(.*?)```.*?```text\\n(.*?)```.*?```yaml\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path tmp;

  @Test
  void beforeAndAfterMatchARealRun() throws Exception {
    Matcher m = EXAMPLE.matcher(Files.readString(Path.of("README.md")));
    assertThat(m.find()).as("README has a keepalived → VirtualIP example").isTrue();
    Path conf = Files.writeString(tmp.resolve("keepalived.conf"), m.group(1));

    Conversion c =
        Converter.convert(
            conf, new ConvertOptions("lb-a", false, null, ConvertOptions.DEFAULT_NAMESPACE));

    String prefix = tmp + "/";
    StringBuilder warnings = new StringBuilder();
    c.warnings().forEach(w -> warnings.append("warning: ").append(w).append('\n'));
    assertThat(warnings.toString().replace(prefix, "")).isEqualTo(m.group(2));
    assertThat(c.yaml().replace(prefix, "")).isEqualTo(m.group(3));
  }
}
