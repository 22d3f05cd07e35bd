package dev.floatip.operator.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.floatip.api.v1alpha1.VirtualIP;
import java.io.IOException;
import java.io.UncheckedIOException;

/** VirtualIPs for the model tests, written as YAML flow mappings. */
public final class Vips {

  private static final ObjectMapper YAML = new YAMLMapper();

  private Vips() {}

  /** A VirtualIP with the given name and spec (a YAML flow mapping). */
  public static VirtualIP vip(String name, String specYaml) {
    return parse(
        "apiVersion: floatip.dev/v1alpha1\nkind: VirtualIP\nmetadata: {name: "
            + name
            + "}\nspec: "
            + specYaml);
  }

  /** Also with a creation timestamp and a status (YAML flow mapping, or null). */
  public static VirtualIP vip(String name, String created, String specYaml, String statusYaml) {
    return parse(
        "apiVersion: floatip.dev/v1alpha1\nkind: VirtualIP\nmetadata: {name: "
            + name
            + ", creationTimestamp: \""
            + created
            + "\"}\nspec: "
            + specYaml
            + (statusYaml == null ? "" : "\nstatus: " + statusYaml));
  }

  public static VirtualIP parse(String yaml) {
    try {
      return YAML.readValue(yaml, VirtualIP.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
