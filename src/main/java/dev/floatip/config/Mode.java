package dev.floatip.config;

/** Where a VirtualIP comes from; some fields only make sense in one of them. */
public enum Mode {
  /** A custom resource: the operator allocates VRIDs, peers are discovered, Secrets exist. */
  CLUSTER,
  /** A standalone file ({@code floatip agent --config}): no API server behind it. */
  STANDALONE
}
