package dev.floatip.agent;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.Cidr;
import dev.floatip.tracking.CheckEffect;
import dev.floatip.tracking.Effective;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What {@code GET /status} returns and {@code floatip status} prints: one entry per router.
 *
 * @param master the master's address as this node knows it, empty when none
 * @param since when the router entered its state
 * @param faults why it is in FAULT, empty otherwise
 * @param standby held in Backup because the node is in maintenance (drained, cordoned)
 * @param drops dropped packets by reason (only reasons seen)
 * @param checks the VIP's health checks and what each does to the priority
 * @param addresses what the router holds as master: {@code IP/prefix}, then {@code label L} and
 *     {@code excluded} (moved with the VIP, not advertised) where they apply
 */
public record StatusView(
    String vip,
    String family,
    int vrid,
    String interfaceName,
    String state,
    int priority,
    int basePriority,
    String master,
    Instant since,
    String reason,
    List<String> faults,
    boolean standby,
    long advertisementsSent,
    long advertisementsReceived,
    Map<String, Long> drops,
    List<CheckView> checks,
    List<String> addresses) {

  public StatusView {
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
  }

  /** Without the address list. */
  public StatusView(
      String vip,
      String family,
      int vrid,
      String interfaceName,
      String state,
      int priority,
      int basePriority,
      String master,
      Instant since,
      String reason,
      List<String> faults,
      boolean standby,
      long advertisementsSent,
      long advertisementsReceived,
      Map<String, Long> drops,
      List<CheckView> checks) {
    this(
        vip,
        family,
        vrid,
        interfaceName,
        state,
        priority,
        basePriority,
        master,
        since,
        reason,
        faults,
        standby,
        advertisementsSent,
        advertisementsReceived,
        drops,
        checks,
        List.of());
  }

  /**
   * One health check.
   *
   * @param healthy null until its first result
   * @param effect {@code +10}, {@code -30}, {@code 0} or {@code FAULT}
   */
  public record CheckView(
      String kind, String name, Boolean healthy, String effect, String message) {
    static CheckView of(CheckEffect e) {
      return new CheckView(e.kind().label(), e.name(), e.healthy(), e.effectText(), e.message());
    }
  }

  static StatusView of(RouterStatus s, Optional<Effective> checks) {
    return new StatusView(
        s.id().vip(),
        s.id().family().name().toLowerCase(Locale.ROOT),
        s.vrid(),
        s.interfaceName(),
        s.state().name(),
        s.priority(),
        checks.map(Effective::basePriority).orElse(s.priority()),
        s.master().map(InetAddress::getHostAddress).orElse(""),
        s.since().orElse(null),
        s.reason().map(Enum::name).orElse(""),
        List.copyOf(s.faults()),
        s.standby(),
        s.counters().advertisementsSent(),
        s.counters().advertisementsReceived(),
        s.counters().drops().entrySet().stream()
            .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue)),
        checks.map(c -> c.effects().stream().map(CheckView::of).toList()).orElse(List.of()),
        s.addresses());
  }

  /**
   * A VirtualIP that selects this node but runs no router here (its interface is missing, it has no
   * address of the family, …): FAULT with the reason, one entry per family, so that {@code floatip
   * status} shows it and not only the log.
   */
  static List<StatusView> notRun(VirtualIP vip, String reason) {
    var spec = vip.getSpec();
    Integer vrid =
        Optional.ofNullable(spec.virtualRouterId())
            .or(
                () ->
                    Optional.ofNullable(vip.getStatus())
                        .map(st -> st.virtualRouterId())
                        .filter(Objects::nonNull))
            .orElse(0);
    String iface = spec.interfaceName() == null ? "-" : spec.interfaceName();
    return spec.addressList().stream()
        .map(a -> Cidr.parse(a).family())
        .distinct()
        .map(
            family ->
                new StatusView(
                    vip.getMetadata().getName(),
                    family.name().toLowerCase(Locale.ROOT),
                    vrid,
                    iface,
                    NOT_RUN_STATE,
                    0,
                    0,
                    "",
                    null,
                    "",
                    List.of("not run: " + reason),
                    false,
                    0,
                    0,
                    Map.of(),
                    List.of()))
        .toList();
  }

  /** The state a VirtualIP that cannot run here shows. */
  static final String NOT_RUN_STATE = "FAULT";
}
