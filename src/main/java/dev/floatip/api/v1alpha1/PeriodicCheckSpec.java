package dev.floatip.api.v1alpha1;

/**
 * What the periodically run checks (scripts, TCP, HTTP) share: a name, timing, rise/fall and a
 * weight, each with keepalived's default when absent.
 */
public interface PeriodicCheckSpec {

  String name();

  String interval();

  String timeout();

  Integer rise();

  Integer fall();

  Integer weight();

  default String intervalOrDefault() {
    return interval() == null ? Schema.CHECK_INTERVAL : interval();
  }

  /** keepalived: the timeout defaults to the interval. */
  default String timeoutOrDefault() {
    return timeout() == null ? intervalOrDefault() : timeout();
  }

  default int riseOrDefault() {
    return rise() == null ? Schema.RISE_FALL : rise();
  }

  default int fallOrDefault() {
    return fall() == null ? Schema.RISE_FALL : fall();
  }

  /** 0: failing means FAULT. */
  default int weightOrDefault() {
    return weight() == null ? 0 : weight();
  }
}
