package dev.floatip.kube;

import java.util.Map;

/**
 * The agent's {@link ApiRate} from its environment: {@value #QPS} and {@value #BURST} (the
 * operator's DaemonSet sets both from its own settings); each one absent keeps the default's value.
 */
public final class ApiRateEnv {

  public static final String QPS = "FLOATIP_KUBE_API_QPS";
  public static final String BURST = "FLOATIP_KUBE_API_BURST";

  private ApiRateEnv() {}

  /**
   * @throws IllegalArgumentException naming the variable when a value is not a positive number
   */
  public static ApiRate read(Map<String, String> env, ApiRate defaults) {
    double qps = defaults.qps();
    int burst = defaults.burst();
    String q = env.get(QPS);
    if (q != null && !q.isBlank()) {
      try {
        qps = Double.parseDouble(q.strip());
      } catch (NumberFormatException e) {
        qps = Double.NaN;
      }
      if (!(qps > 0) || Double.isInfinite(qps)) {
        throw new IllegalArgumentException(
            QPS + " must be a positive number of requests per second, was \"" + q + "\"");
      }
    }
    String b = env.get(BURST);
    if (b != null && !b.isBlank()) {
      try {
        burst = Integer.parseInt(b.strip());
      } catch (NumberFormatException e) {
        burst = 0;
      }
      if (burst < 1) {
        throw new IllegalArgumentException(
            BURST + " must be a whole number of requests, at least 1, was \"" + b + "\"");
      }
    }
    return new ApiRate(qps, burst);
  }
}
