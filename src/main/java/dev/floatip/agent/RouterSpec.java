package dev.floatip.agent;

import dev.floatip.dataplane.AddressManager.AddressSpec;
import dev.floatip.vrrp.RouterConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the event loop needs to run one router.
 *
 * @param interfaceName where the addresses live and the adverts go
 * @param config the protocol configuration; its primary address is the socket's source
 * @param priority the effective priority (base ± tracking, clamped 1..254)
 * @param addresses the virtual addresses with prefix length and label, in the order of {@code
 *     config.allAddresses()} (advertised, then excluded)
 * @param silent unicast with no peer left (a single node): run the state machine, send nothing
 * @param syncGroup the routers of this node sharing it change state together
 */
public record RouterSpec(
    RouterId id,
    String interfaceName,
    RouterConfig config,
    int priority,
    List<AddressSpec> addresses,
    AnnouncePolicy announce,
    boolean silent,
    Optional<String> syncGroup) {

  public RouterSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(announce, "announce");
    Objects.requireNonNull(syncGroup, "syncGroup");
    addresses = List.copyOf(addresses);
    if (!addresses.stream().map(AddressSpec::address).toList().equals(config.allAddresses())) {
      throw new IllegalArgumentException("address specs must match the router's addresses");
    }
  }

  /** The same router at another effective priority. */
  RouterSpec withPriority(int effective) {
    return new RouterSpec(
        id, interfaceName, config, effective, addresses, announce, silent, syncGroup);
  }

  /** Whether {@code next} can be applied to a running router, or needs a new one. */
  boolean sameIdentity(RouterSpec next) {
    return interfaceName.equals(next.interfaceName)
        && config.vrid() == next.config.vrid()
        && config.version() == next.config.version()
        && config.primaryAddress().equals(next.config.primaryAddress());
  }

  SocketKey socketKey() {
    return new SocketKey(interfaceName, id.family(), config.primaryAddress());
  }
}
