package dev.floatip.agent;

import dev.floatip.vrrp.Counters;
import dev.floatip.vrrp.Reason;
import dev.floatip.vrrp.State;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A router as observed at one instant, for status, the CLI and tests.
 *
 * @param standby held in Backup for node maintenance ({@link EventLoop#standby(boolean)})
 * @param source the address its adverts leave from (its primary address)
 * @param addresses the addresses it holds as master, as {@code floatip status} shows them: {@code
 *     IP/prefix}, then {@code label L} and {@code excluded} (not advertised) where they apply
 */
public record RouterStatus(
    RouterId id,
    String interfaceName,
    int vrid,
    State state,
    int priority,
    Optional<InetAddress> master,
    Optional<Instant> since,
    Optional<Reason> reason,
    Set<String> faults,
    boolean standby,
    Counters.Snapshot counters,
    InetAddress source,
    List<String> addresses) {

  public RouterStatus {
    addresses = List.copyOf(addresses);
  }

  /** Without the address list (tests of what does not show it). */
  public RouterStatus(
      RouterId id,
      String interfaceName,
      int vrid,
      State state,
      int priority,
      Optional<InetAddress> master,
      Optional<Instant> since,
      Optional<Reason> reason,
      Set<String> faults,
      boolean standby,
      Counters.Snapshot counters,
      InetAddress source) {
    this(
        id,
        interfaceName,
        vrid,
        state,
        priority,
        master,
        since,
        reason,
        faults,
        standby,
        counters,
        source,
        List.of());
  }
}
