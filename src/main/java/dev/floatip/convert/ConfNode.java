package dev.floatip.convert;

import java.util.List;

/**
 * One statement of a keepalived config: a keyword, its arguments up to the end of the line and, for
 * {@code keyword args { ... }}, the statements of the block ({@code null} without a block).
 */
public record ConfNode(String keyword, List<String> args, List<ConfNode> block, Location at) {

  public ConfNode {
    args = List.copyOf(args);
    block = block == null ? null : List.copyOf(block);
  }

  public boolean hasBlock() {
    return block != null;
  }

  /** The statements of the block, empty without one. */
  public List<ConfNode> children() {
    return block == null ? List.of() : block;
  }

  /** The first argument, or null. */
  public String arg() {
    return args.isEmpty() ? null : args.getFirst();
  }
}
