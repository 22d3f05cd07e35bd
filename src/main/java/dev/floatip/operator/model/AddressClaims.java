package dev.floatip.operator.model;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.AddressConflicts;
import dev.floatip.config.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An address in two VirtualIPs: the older one (creation time, then name, as {@link VridAllocator})
 * keeps it, the newer one is refused (InvalidSpec) on the field, naming the older. Two routers
 * holding one address would each add it as master and remove it on resigning, whatever the other
 * does. Unlike a VRID, an address is one host's in the whole cluster, whatever segment the nodes
 * are on.
 */
public final class AddressClaims {

  private AddressClaims() {}

  /**
   * The violations by VirtualIP name; VirtualIPs without a conflict are absent.
   *
   * @param valid VirtualIPs whose own spec is valid
   */
  public static Map<String, List<Violation>> conflicts(List<VirtualIP> valid) {
    List<VirtualIP> byAge = VridAllocator.byAge(valid);
    Map<String, List<Violation>> out = new HashMap<>();
    for (AddressConflicts.Conflict c : AddressConflicts.check(byAge)) {
      out.computeIfAbsent(byAge.get(c.index()).getMetadata().getName(), k -> new ArrayList<>())
          .add(new Violation(c.path(), c.message()));
    }
    return out;
  }
}
