package dev.floatip.agent;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /status} returns and {@code floatip status} prints: one entry per router.
 *
 * @param master the master's address as this node knows it, empty when none
 * @param since when the router entered its state
 * @param faults why it is in FAULT, empty otherwise
 * @param drops dropped packets by reason (only reasons seen)
 */
public record StatusView(
    String vip,
    String family,
    int vrid,
    String interfaceName,
    String state,
    int priority,
    String master,
    Instant since,
    String reason,
    List<String> faults,
    long advertisementsSent,
    long advertisementsReceived,
    Map<String, Long> drops) {

  static StatusView of(RouterStatus s) {
    return new StatusView(
        s.id().vip(),
        s.id().family().name().toLowerCase(java.util.Locale.ROOT),
        s.vrid(),
        s.interfaceName(),
        s.state().name(),
        s.priority(),
        s.master().map(InetAddress::getHostAddress).orElse(""),
        s.since().orElse(null),
        s.reason().map(Enum::name).orElse(""),
        List.copyOf(s.faults()),
        s.counters().advertisementsSent(),
        s.counters().advertisementsReceived(),
        s.counters().drops().entrySet().stream()
            .collect(
                java.util.stream.Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue)));
  }
}
