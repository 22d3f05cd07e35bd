package dev.floatip.dataplane;

/** RFC 2863 operational status as Linux reports it in IFLA_OPERSTATE (kernel operstates.rst). */
public enum OperState {
  UNKNOWN,
  NOT_PRESENT,
  DOWN,
  LOWER_LAYER_DOWN,
  TESTING,
  DORMANT,
  UP;

  /** Maps the IF_OPER_* number; unknown numbers map to {@link #UNKNOWN}. */
  public static OperState of(int value) {
    OperState[] all = values();
    return value >= 0 && value < all.length ? all[value] : UNKNOWN;
  }
}
