package dev.floatip.convert;

import java.nio.file.Path;

/**
 * How to convert.
 *
 * @param node the node (host) the config belongs to: its priority goes to {@code
 *     priority.nodes[node]}; null: {@code priority.default}
 * @param cluster resources for a cluster: the password in a Secret (manifest printed too)
 * @param passwordDir standalone: write each password to {@code DIR/NAME.password} and refer to it;
 *     null: the password stays inline, as keepalived.conf had it
 * @param namespace the Secret's namespace with {@code cluster}
 */
public record ConvertOptions(String node, boolean cluster, Path passwordDir, String namespace) {

  /** Where the Helm chart and manifests install floatip. */
  public static final String DEFAULT_NAMESPACE = "floatip";
}
