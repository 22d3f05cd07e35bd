package dev.floatip.tracking;

/**
 * How many pods on this node match one pod check's namespace and selector.
 *
 * @param ready those that are Ready: phase Running, condition {@code Ready=True}, not terminating
 * @param total all matching pods on this node, ready or not
 */
public record PodCount(int ready, int total) {

  public PodCount {
    if (ready < 0 || total < ready) {
      throw new IllegalArgumentException("need 0 <= ready <= total, got " + ready + "/" + total);
    }
  }
}
