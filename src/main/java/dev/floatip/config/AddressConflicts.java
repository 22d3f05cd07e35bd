package dev.floatip.config;

import dev.floatip.api.v1alpha1.VirtualIP;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Addresses two VirtualIPs would share. Two routers holding one address fight over it: each master
 * adds it and each resign removes it, whatever the other router's state. The first VirtualIP keeps
 * the address; each later one gets a conflict on the field, naming the first. Addresses are
 * compared without their prefix length.
 */
public final class AddressConflicts {

  /**
   * The VirtualIP at {@code index} (of the list given) uses an address an earlier one has.
   *
   * @param path the field, {@code spec.addresses[i]} or {@code spec.excludedAddresses[i]}
   */
  public record Conflict(int index, String path, String message) {}

  private record Owner(String name, String path) {}

  private AddressConflicts() {}

  /**
   * Conflicts of {@code vips} in the order given (file order, or oldest first); entries whose
   * address does not parse are skipped (the validator reports them).
   */
  public static List<Conflict> check(List<VirtualIP> vips) {
    Map<InetAddress, Owner> owner = new HashMap<>();
    List<Conflict> out = new ArrayList<>();
    for (int i = 0; i < vips.size(); i++) {
      VirtualIP vip = vips.get(i);
      String name = vip.getMetadata().getName();
      if (vip.getSpec() == null) {
        continue;
      }
      // excluded addresses are held like the advertised ones: the same claim
      claim(i, name, vip.getSpec().addressList(), "spec.addresses", owner, out);
      claim(i, name, vip.getSpec().excludedAddressList(), "spec.excludedAddresses", owner, out);
    }
    return out;
  }

  private static void claim(
      int i,
      String name,
      List<String> addresses,
      String field,
      Map<InetAddress, Owner> owner,
      List<Conflict> out) {
    for (int j = 0; j < addresses.size(); j++) {
      InetAddress a;
      try {
        a = Cidr.parse(addresses.get(j)).address();
      } catch (IllegalArgumentException e) {
        continue;
      }
      String path = FieldPath.index(field, j);
      Owner first = owner.putIfAbsent(a, new Owner(name, path));
      if (first != null && !first.name().equals(name)) {
        out.add(
            new Conflict(
                i,
                path,
                addresses.get(j)
                    + " is already used by VirtualIP \""
                    + first.name()
                    + "\" ("
                    + first.path()
                    + "); two routers would fight over it"));
      }
    }
  }
}
