package dev.floatip.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.floatip.api.v1alpha1.VirtualIP;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** VirtualIPs for tests, written as YAML. */
final class TestVips {

  private static final ObjectMapper YAML = new YAMLMapper();

  private TestVips() {}

  /** A VirtualIP named "test" with the given spec, a YAML flow mapping. */
  static VirtualIP withSpec(String specYaml) {
    return parse(
        "apiVersion: floatip.dev/v1alpha1\nkind: VirtualIP\nmetadata: {name: test}\nspec: "
            + specYaml);
  }

  static VirtualIP parse(String yaml) {
    try {
      return YAML.readValue(yaml, VirtualIP.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static VirtualIP resource(String name) {
    try (InputStream in = TestVips.class.getResourceAsStream("/config/" + name)) {
      return YAML.readValue(in, VirtualIP.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
