package dev.floatip.operator.model;

import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.Cidr;
import dev.floatip.config.LabelSelectors;
import dev.floatip.vrrp.IpFamily;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * Assigns each (valid) VirtualIP its VRID. Pure and deterministic, so every operator replica and
 * every restart computes the same answer:
 *
 * <ol>
 *   <li>An explicit {@code spec.virtualRouterId} is honoured. If an <em>older</em> VirtualIP (by
 *       creation time, then name) already uses it on the same segment, or an agent of a selected
 *       node reports it from a router outside the cluster, the VirtualIP gets a conflict and is not
 *       run. "Same segment": an address family in common, node selections that share a node (or no
 *       Nodes known, which proves nothing), and interfaces not both set to different names.
 *   <li>A VRID already recorded in {@code status.virtualRouterId} is kept while it is free.
 *   <li>Otherwise: CRC32 of the name, mod 255, + 1, then the next free VRID (wrapping around).
 * </ol>
 *
 * Free = not explicit in any VirtualIP, not reported foreign by any node, not allocated to another
 * one: allocated VRIDs are unique cluster-wide, not just per segment, which is simpler to reason
 * about and leaves explicit VRIDs to whoever needs to share one across segments.
 */
public final class VridAllocator {

  /**
   * @param vrid the VRID to use, null when none is free
   * @param allocated whether the operator chose it (false: spec.virtualRouterId)
   * @param conflict why the VirtualIP must not run, null when it may
   */
  public record Decision(Integer vrid, boolean allocated, String conflict) {
    public boolean runnable() {
      return vrid != null && conflict == null;
    }
  }

  private VridAllocator() {}

  /** Decisions by VirtualIP name, for every VirtualIP given. */
  public static Map<String, Decision> allocate(List<VirtualIP> vips, List<NodeInfo> nodes) {
    return allocate(vips, nodes, v -> null);
  }

  /**
   * Decisions by VirtualIP name, for every VirtualIP given.
   *
   * @param remembered a VRID allocated to a VirtualIP whose status does not show it yet (the
   *     operator's previous plan): kept like a recorded one, so that two plans computed before and
   *     after the write never hand it to another VirtualIP
   */
  public static Map<String, Decision> allocate(
      List<VirtualIP> vips, List<NodeInfo> nodes, Function<VirtualIP, Integer> remembered) {
    List<VirtualIP> byAge = byAge(vips);
    Map<LabelSelector, Set<String>> selections = new HashMap<>();
    List<NodeInfo> withForeign = nodes.stream().filter(n -> !n.foreignVrids().isEmpty()).toList();
    Map<String, Decision> out = new LinkedHashMap<>();
    Set<Integer> taken = new HashSet<>();
    Map<Integer, String> foreignSeenBy = new HashMap<>();
    for (NodeInfo n : nodes.stream().sorted(Comparator.comparing(NodeInfo::name)).toList()) {
      n.foreignVrids().forEach(v -> foreignSeenBy.putIfAbsent(v, n.name()));
    }
    taken.addAll(foreignSeenBy.keySet());

    // 1. explicit
    List<VirtualIP> accepted = new ArrayList<>();
    for (VirtualIP vip : byAge) {
      Integer vrid = vip.getSpec().virtualRouterId();
      if (vrid == null) {
        continue;
      }
      taken.add(vrid);
      String conflict = null;
      for (VirtualIP older : accepted) {
        if (vrid.equals(older.getSpec().virtualRouterId())
            && sameSegment(vip, older, nodes, selections)) {
          conflict =
              "VRID "
                  + vrid
                  + " is already used by VirtualIP \""
                  + older.getMetadata().getName()
                  + "\" on the same segment";
          break;
        }
      }
      if (conflict == null) {
        String seenBy = foreignSeenOnSelectedNode(vip, vrid, withForeign);
        if (seenBy != null) {
          conflict =
              "VRID "
                  + vrid
                  + " is used by a router outside the cluster (seen from node "
                  + seenBy
                  + ")";
        }
      }
      if (conflict == null) {
        accepted.add(vip);
      }
      out.put(vip.getMetadata().getName(), new Decision(vrid, false, conflict));
    }

    // 2. keep recorded allocations that are still free
    List<VirtualIP> pending = new ArrayList<>();
    for (VirtualIP vip : byAge) {
      if (vip.getSpec().virtualRouterId() != null) {
        continue;
      }
      Integer recorded = vip.getStatus() == null ? null : vip.getStatus().virtualRouterId();
      if (recorded == null) {
        recorded = remembered.apply(vip);
      }
      if (recorded != null && recorded >= 1 && recorded <= 255 && taken.add(recorded)) {
        out.put(vip.getMetadata().getName(), new Decision(recorded, true, null));
      } else {
        pending.add(vip);
      }
    }

    // 3. new allocations: hash, then linear probing
    for (VirtualIP vip : pending) {
      String name = vip.getMetadata().getName();
      int start = preferred(name);
      Decision d =
          new Decision(null, true, "no free VRID: all 255 are in use or seen on the segment");
      for (int i = 0; i < 255; i++) {
        int candidate = (start - 1 + i) % 255 + 1;
        if (taken.add(candidate)) {
          d = new Decision(candidate, true, null);
          break;
        }
      }
      out.put(name, d);
    }
    // keep the caller's order
    Map<String, Decision> ordered = new LinkedHashMap<>();
    vips.forEach(v -> ordered.put(v.getMetadata().getName(), out.get(v.getMetadata().getName())));
    return ordered;
  }

  /** The first VRID tried for a name: 1..255. */
  public static int preferred(String name) {
    CRC32 crc = new CRC32();
    crc.update(name.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % 255) + 1;
  }

  /** Oldest first; the name breaks ties (and orders VirtualIPs without a timestamp, last). */
  static final Comparator<VirtualIP> AGE =
      Comparator.comparing(
              (VirtualIP v) -> created(v), Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(v -> v.getMetadata().getName());

  /** {@code vips} sorted by {@link #AGE}, each timestamp parsed once. */
  static List<VirtualIP> byAge(List<VirtualIP> vips) {
    record Keyed(Instant created, String name, VirtualIP vip) {}
    return vips.stream()
        .map(v -> new Keyed(created(v), v.getMetadata().getName(), v))
        .sorted(
            Comparator.comparing(Keyed::created, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Keyed::name))
        .map(Keyed::vip)
        .toList();
  }

  private static Instant created(VirtualIP v) {
    String ts = v.getMetadata().getCreationTimestamp();
    try {
      return ts == null ? null : Instant.parse(ts);
    } catch (RuntimeException e) {
      return null;
    }
  }

  static boolean sameSegment(VirtualIP a, VirtualIP b, List<NodeInfo> nodes) {
    return sameSegment(a, b, nodes, new HashMap<>());
  }

  /** {@code selections} caches the nodes each selector selects (one scan per selector). */
  private static boolean sameSegment(
      VirtualIP a, VirtualIP b, List<NodeInfo> nodes, Map<LabelSelector, Set<String>> selections) {
    Set<IpFamily> fa = families(a);
    fa.retainAll(families(b));
    if (fa.isEmpty()) {
      return false;
    }
    String ia = a.getSpec().interfaceName();
    String ib = b.getSpec().interfaceName();
    if (ia != null && ib != null && !ia.equals(ib)) {
      return false;
    }
    if (nodes.isEmpty()) {
      return true;
    }
    Set<String> na = new HashSet<>(selected(a, nodes, selections));
    na.retainAll(selected(b, nodes, selections));
    return !na.isEmpty();
  }

  private static String foreignSeenOnSelectedNode(VirtualIP vip, int vrid, List<NodeInfo> nodes) {
    return nodes.stream()
        .filter(n -> n.foreignVrids().contains(vrid))
        .filter(n -> LabelSelectors.matches(vip.getSpec().nodeSelector(), n.labels()))
        .map(NodeInfo::name)
        .sorted()
        .findFirst()
        .orElse(null);
  }

  private static Set<String> selected(
      VirtualIP vip, List<NodeInfo> nodes, Map<LabelSelector, Set<String>> selections) {
    LabelSelector key =
        vip.getSpec().nodeSelector() == null ? new LabelSelector() : vip.getSpec().nodeSelector();
    return selections.computeIfAbsent(key, k -> selected(vip, nodes));
  }

  static Set<String> selected(VirtualIP vip, List<NodeInfo> nodes) {
    return nodes.stream()
        .filter(n -> LabelSelectors.matches(vip.getSpec().nodeSelector(), n.labels()))
        .map(NodeInfo::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static Set<IpFamily> families(VirtualIP vip) {
    Set<IpFamily> out = EnumSet.noneOf(IpFamily.class);
    for (String a : vip.getSpec().addressList()) {
      try {
        out.add(Cidr.parse(Objects.requireNonNull(a)).family());
      } catch (RuntimeException e) {
        // the validator reports it; an unparseable address has no family
      }
    }
    return out;
  }
}
