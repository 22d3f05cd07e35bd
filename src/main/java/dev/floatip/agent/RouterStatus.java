package dev.floatip.agent;

import dev.floatip.vrrp.Counters;
import dev.floatip.vrrp.Reason;
import dev.floatip.vrrp.State;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A router as observed at one instant, for status, the CLI and tests.
 *
 * @param standby held in Backup for node maintenance ({@link EventLoop#standby(boolean)})
 * @param source the address its adverts leave from (its primary address)
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
    InetAddress source) {}
