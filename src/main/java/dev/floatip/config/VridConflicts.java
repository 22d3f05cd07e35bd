package dev.floatip.config;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.vrrp.IpFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * VRIDs that two VirtualIPs of one standalone file would share on one link: a VRID is unique per
 * interface and address family (RFC 5798 §5.2.3; anchors §1.1). Two VirtualIPs with the same VRID
 * and family conflict when their {@code interface} is the same, both unset included (both then
 * default to the interface of their subnet, which is likely the same one).
 */
final class VridConflicts {

  /** The VirtualIP at {@code index} conflicts with an earlier one. */
  record Conflict(int index, String message) {}

  private record Key(int vrid, IpFamily family, String interfaceName) {}

  private VridConflicts() {}

  static List<Conflict> check(List<VirtualIP> vips) {
    Map<Key, String> owner = new HashMap<>();
    List<Conflict> out = new ArrayList<>();
    for (int i = 0; i < vips.size(); i++) {
      VirtualIP vip = vips.get(i);
      int index = i;
      Integer vrid = vip.getSpec().virtualRouterId();
      if (vrid == null) {
        continue;
      }
      String name = vip.getMetadata().getName();
      vip.getSpec().addressList().stream()
          .map(a -> Cidr.parse(a).family())
          .distinct()
          .forEach(
              family -> {
                Key key = new Key(vrid, family, vip.getSpec().interfaceName());
                String other = owner.putIfAbsent(key, name);
                if (other != null && !Objects.equals(other, name)) {
                  out.add(
                      new Conflict(
                          index,
                          "VRID "
                              + vrid
                              + " is already used by VirtualIP \""
                              + other
                              + "\" for "
                              + VirtualIPValidator.name(family)
                              + " on "
                              + (key.interfaceName() == null
                                  ? "the default interface"
                                  : "interface " + key.interfaceName())));
                }
              });
    }
    return out;
  }
}
