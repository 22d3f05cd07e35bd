package dev.floatip.api.v1alpha1;

/**
 * Names shared by the operator and the agents in cluster mode: condition types and the finalizer.
 * Agents report the VRIDs of routers outside the cluster in their status entries ({@link
 * NodeStatus#foreignVrids()}).
 *
 * <p>An agent runs a VirtualIP only when {@code status.virtualRouterId} is set and neither {@link
 * #INVALID_SPEC} nor {@link #VRID_CONFLICT} is {@code True}; once {@code
 * metadata.deletionTimestamp} is set it stops the routers, removes the addresses and reports {@link
 * NodeState#Stopped} in its {@code status.nodes} entry, which lets the operator remove {@link
 * #FINALIZER}.
 */
public final class ClusterContract {

  /** Exactly one node is master. */
  public static final String READY = "Ready";

  /** Some participating node is not in Master or Backup state. */
  public static final String DEGRADED = "Degraded";

  /** Several nodes reported Master for longer than one advertisement interval. */
  public static final String SPLIT_BRAIN = "SplitBrain";

  /** The VRID is used by an older VirtualIP or a foreign router on the same segment. */
  public static final String VRID_CONFLICT = "VRIDConflict";

  /** The spec is refused; the message names the fields. */
  public static final String INVALID_SPEC = "InvalidSpec";

  /**
   * More nodes match the VirtualIP than the operator's {@code maxCandidates}: only the first ones
   * by preference run it ({@code status.candidates}).
   */
  public static final String CANDIDATES_LIMITED = "CandidatesLimited";

  /** Held until every agent reported the addresses released (or a timeout). */
  public static final String FINALIZER = "floatip.dev/release";

  /**
   * A Node label: {@code "true"} puts the node in maintenance like cordoning it does. Its agent
   * resigns every master (a priority-0 advert) and stays Backup until the label goes.
   */
  public static final String MAINTENANCE_LABEL = "floatip.dev/maintenance";

  /**
   * The agent's environment variable naming where the host's root directory is mounted (read-only)
   * while some VirtualIP tracks files; the agent reads {@code spec.track.files[].path} under it.
   * Unset: no VirtualIP tracks files.
   */
  public static final String HOST_ROOT_ENV = "FLOATIP_HOST_ROOT";

  /** The value of {@link #HOST_ROOT_ENV} in the agent DaemonSet. */
  public static final String HOST_ROOT = "/host";

  private ClusterContract() {}
}
