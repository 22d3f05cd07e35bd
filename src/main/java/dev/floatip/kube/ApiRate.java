package dev.floatip.kube;

/**
 * A client-side bound on the requests one process sends to the API server: {@code burst} at once,
 * then {@code qps} a second (client-go's token bucket; Fabric8 has none).
 *
 * @param qps sustained requests per second, &gt; 0
 * @param burst requests allowed at once, &ge; 1
 */
public record ApiRate(double qps, int burst) {

  /**
   * The operator's default. Its writes grow with the VirtualIPs (about three per VirtualIP when
   * 1000 are created at once: VRID and candidates, the first master, its Event), so
   * kube-controller-manager's 20/30, shared by dozens of controllers there, would take 150 s; 100 a
   * second still bounds a runaway loop to a few percent of a kube-apiserver's capacity.
   */
  public static final ApiRate OPERATOR_DEFAULT = new ApiRate(100, 200);

  /** Each agent's default: a mass failover of 100 masters writes its status in about 7 s. */
  public static final ApiRate AGENT_DEFAULT = new ApiRate(10, 30);

  public ApiRate {
    if (!(qps > 0) || Double.isInfinite(qps)) {
      throw new IllegalArgumentException("qps must be a positive number, was " + qps);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, was " + burst);
    }
  }
}
