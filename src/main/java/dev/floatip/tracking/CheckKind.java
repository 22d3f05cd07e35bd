package dev.floatip.tracking;

/** The kinds of tracked checks, named as in {@code status.nodes[].checks[].kind}. */
public enum CheckKind {
  POD("pod"),
  PROCESS("process"),
  SCRIPT("script"),
  FILE("file"),
  INTERFACE("interface"),
  TCP("tcp"),
  HTTP("http");

  private final String label;

  CheckKind(String label) {
    this.label = label;
  }

  /** The lower-case name used in status, metrics and messages. */
  public String label() {
    return label;
  }
}
