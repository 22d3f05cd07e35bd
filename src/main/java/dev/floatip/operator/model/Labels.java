package dev.floatip.operator.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels on everything the operator creates. */
public final class Labels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "floatip-operator";

  /**
   * Hash of the desired agent objects that operators before issue 13 recorded on the DaemonSet;
   * dropped when the DaemonSet is next updated (AgentResources compares with the live object).
   */
  public static final String LEGACY_SPEC_HASH = "floatip.dev/spec-hash";

  private Labels() {}

  /** The DaemonSet's immutable pod selector. */
  public static Map<String, String> agentSelector() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(NAME, "floatip");
    m.put(COMPONENT, "agent");
    return m;
  }

  public static Map<String, String> agent() {
    Map<String, String> m = agentSelector();
    m.put(MANAGED_BY, MANAGER);
    return m;
  }

  /** Label selector text for list/watch of what the operator manages for the agents. */
  public static String agentSelectorText() {
    return NAME + "=floatip," + COMPONENT + "=agent," + MANAGED_BY + "=" + MANAGER;
  }
}
