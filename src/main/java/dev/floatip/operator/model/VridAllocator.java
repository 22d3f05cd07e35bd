package dev.floatip.operator.model;

import dev.floatip.api.v1alpha1.TransportMode;
import dev.floatip.api.v1alpha1.VirtualIP;
import dev.floatip.config.Cidr;
import dev.floatip.vrrp.IpFamily;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * Assigns each (valid) VirtualIP its VRID. Pure and deterministic, so every operator replica and
 * every restart computes the same answer.
 *
 * <p>A VRID need only be unique among the routers that hear each other (RFC 5798 §5.2.3: "unique on
 * a given LAN"), so it is unique per segment, not cluster-wide. The operator does not know the
 * segments; it knows which nodes run each VirtualIP (its candidates). Two VirtualIPs
 * <em>conflict</em> (must not share a VRID) when they have an address family in common (RFC 5798
 * §1: one router per VRID and family) and
 *
 * <ul>
 *   <li>either uses {@code transport.mode: Multicast}: its adverts reach every node of the segment,
 *       whichever that is, so its VRID is unique among all VirtualIPs of its family; or
 *   <li>they have a node in common: the agent there tells received adverts apart by VRID and family
 *       only ({@code vrrp.Demux}). The VirtualIPs' interfaces do not separate them: a unicast
 *       advert arrives on whichever interface the route to its destination takes.
 * </ul>
 *
 * Unicast VirtualIPs run by disjoint sets of nodes may share a VRID: their adverts go only to their
 * own candidates. A VirtualIP run by no node yet conflicts only with the multicast ones; it is
 * checked again once it has candidates. Foreign VRIDs (heard by an agent from a router outside the
 * cluster) block a VRID for the VirtualIPs that node runs, and for every multicast one.
 *
 * <ol>
 *   <li>An explicit {@code spec.virtualRouterId} is honoured. If an <em>older</em> VirtualIP (by
 *       creation time, then name) with an explicit VRID conflicts with it, or a node that runs it
 *       reports it foreign, the VirtualIP gets a conflict and is not run.
 *   <li>A VRID recorded in {@code status.virtualRouterId} (or remembered from the previous plan) is
 *       kept while no explicit one, no older kept one and no foreign report blocks it.
 *   <li>Otherwise: CRC32 of the name, mod 255, + 1, then the next VRID not blocked for this
 *       VirtualIP (wrapping around); cost O(its nodes) per VirtualIP, whatever their number.
 * </ol>
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

  /**
   * Decisions by VirtualIP name, for every VirtualIP given, in the order given.
   *
   * @param nodes the names of the nodes that run (or are about to run) a VirtualIP
   * @param foreignByNode per node, the VRIDs its agent hears from routers outside the cluster
   * @param remembered a VRID allocated to a VirtualIP whose status does not show it yet (the
   *     operator's previous plan): kept like a recorded one, so that two plans computed before and
   *     after the write never hand it to a conflicting VirtualIP
   */
  public static Map<String, Decision> allocate(
      List<VirtualIP> vips,
      Function<VirtualIP, ? extends Collection<String>> nodes,
      Map<String, ? extends Set<Integer>> foreignByNode,
      Function<VirtualIP, Integer> remembered) {
    Foreign foreign = new Foreign(foreignByNode);
    List<Member> byAge = byAge(vips).stream().map(v -> Member.of(v, nodes.apply(v))).toList();
    Map<String, Decision> out = new HashMap<>();
    Usage explicit = new Usage();
    Usage used = new Usage();

    // 1. explicit: checked against the older explicit ones only, always reserved
    for (Member m : byAge) {
      Integer vrid = m.vip().getSpec().virtualRouterId();
      if (vrid == null) {
        continue;
      }
      String conflict = null;
      String holder = explicit.holder(m, vrid);
      if (holder != null) {
        conflict =
            "VRID " + vrid + " is already used by VirtualIP \"" + holder + "\" on the same segment";
      } else {
        String seenBy = foreign.seenBy(m, vrid);
        if (seenBy != null) {
          conflict =
              "VRID "
                  + vrid
                  + " is used by a router outside the cluster (seen from node "
                  + seenBy
                  + ")";
        } else {
          explicit.add(m, vrid);
        }
      }
      used.add(m, vrid);
      out.put(m.name(), new Decision(vrid, false, conflict));
    }

    // 2. keep recorded allocations that nothing blocks
    List<Member> pending = new ArrayList<>();
    for (Member m : byAge) {
      if (m.vip().getSpec().virtualRouterId() != null) {
        continue;
      }
      Integer recorded = m.vip().getStatus() == null ? null : m.vip().getStatus().virtualRouterId();
      if (recorded == null) {
        recorded = remembered.apply(m.vip());
      }
      if (recorded != null
          && recorded >= 1
          && recorded <= 255
          && used.holder(m, recorded) == null
          && foreign.seenBy(m, recorded) == null) {
        used.add(m, recorded);
        out.put(m.name(), new Decision(recorded, true, null));
      } else {
        pending.add(m);
      }
    }

    // 3. new allocations: hash, then linear probing past what is blocked for this VirtualIP
    for (Member m : pending) {
      BitSet blocked = used.blocked(m);
      blocked.or(foreign.blocked(m));
      int start = preferred(m.name());
      Decision d =
          new Decision(
              null,
              true,
              "no free VRID: all 255 are used by VirtualIPs on the same nodes"
                  + " (or multicast ones) or seen from routers outside the cluster");
      for (int i = 0; i < 255; i++) {
        int candidate = (start - 1 + i) % 255 + 1;
        if (!blocked.get(candidate)) {
          used.add(m, candidate);
          d = new Decision(candidate, true, null);
          break;
        }
      }
      out.put(m.name(), d);
    }
    Map<String, Decision> ordered = new LinkedHashMap<>();
    vips.forEach(v -> ordered.put(v.getMetadata().getName(), out.get(v.getMetadata().getName())));
    return ordered;
  }

  /**
   * Whether two VirtualIPs must not share a VRID (see the class comment).
   *
   * @param nodesA the nodes that run {@code a}
   * @param nodesB the nodes that run {@code b}
   */
  public static boolean conflict(
      VirtualIP a, Collection<String> nodesA, VirtualIP b, Collection<String> nodesB) {
    Set<IpFamily> common = families(a);
    common.retainAll(families(b));
    if (common.isEmpty()) {
      return false;
    }
    if (multicast(a) || multicast(b)) {
      return true;
    }
    return nodesA.stream().anyMatch(Set.copyOf(nodesB)::contains);
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

  static boolean multicast(VirtualIP vip) {
    return vip.getSpec().transportOrDefault().modeOrDefault() == TransportMode.Multicast;
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

  /** A VirtualIP as the allocator sees it; {@code nodes} sorted, for deterministic messages. */
  private record Member(
      VirtualIP vip, String name, Set<IpFamily> families, boolean multicast, List<String> nodes) {

    static Member of(VirtualIP vip, Collection<String> nodes) {
      return new Member(
          vip,
          vip.getMetadata().getName(),
          VridAllocator.families(vip),
          VridAllocator.multicast(vip),
          nodes == null ? List.of() : List.copyOf(new TreeSet<>(nodes)));
    }
  }

  /** Who holds which VRID, per family: per node, among the multicast ones, and at all. */
  private static final class Usage {
    private final Map<IpFamily, PerFamily> families = new EnumMap<>(IpFamily.class);

    private static final class PerFamily {
      final Map<Integer, String> multicast = new HashMap<>();
      final Map<Integer, String> any = new HashMap<>();
      final Map<String, Map<Integer, String>> byNode = new HashMap<>();
    }

    void add(Member m, int vrid) {
      for (IpFamily f : m.families()) {
        PerFamily p = families.computeIfAbsent(f, x -> new PerFamily());
        if (m.multicast()) {
          p.multicast.putIfAbsent(vrid, m.name());
        }
        p.any.putIfAbsent(vrid, m.name());
        for (String node : m.nodes()) {
          p.byNode.computeIfAbsent(node, x -> new HashMap<>()).putIfAbsent(vrid, m.name());
        }
      }
    }

    /** A VirtualIP holding {@code vrid} that conflicts with {@code m}, or null. */
    String holder(Member m, int vrid) {
      for (IpFamily f : m.families()) {
        PerFamily p = families.get(f);
        if (p == null) {
          continue;
        }
        String h = m.multicast() ? p.any.get(vrid) : p.multicast.get(vrid);
        for (int i = 0; h == null && i < m.nodes().size(); i++) {
          h = p.byNode.getOrDefault(m.nodes().get(i), Map.of()).get(vrid);
        }
        if (h != null) {
          return h;
        }
      }
      return null;
    }

    /** Every VRID held by a VirtualIP that conflicts with {@code m}. */
    BitSet blocked(Member m) {
      BitSet out = new BitSet(256);
      for (IpFamily f : m.families()) {
        PerFamily p = families.get(f);
        if (p == null) {
          continue;
        }
        (m.multicast() ? p.any : p.multicast).keySet().forEach(out::set);
        if (!m.multicast()) {
          for (String node : m.nodes()) {
            p.byNode.getOrDefault(node, Map.of()).keySet().forEach(out::set);
          }
        }
      }
      return out;
    }
  }

  /** The foreign VRIDs: per node, and the first node (by name) reporting each. */
  private static final class Foreign {
    private final Map<String, Set<Integer>> byNode = new HashMap<>();
    private final Map<Integer, String> firstSeenBy = new TreeMap<>();

    Foreign(Map<String, ? extends Set<Integer>> byNode) {
      this.byNode.putAll(byNode);
      new TreeMap<>(byNode)
          .forEach((node, vrids) -> vrids.forEach(v -> firstSeenBy.putIfAbsent(v, node)));
    }

    /** A node of {@code m} (any node, for a multicast one) reporting {@code vrid}, or null. */
    String seenBy(Member m, int vrid) {
      if (m.multicast()) {
        return firstSeenBy.get(vrid);
      }
      for (String node : m.nodes()) {
        Set<Integer> heard = byNode.get(node);
        if (heard != null && heard.contains(vrid)) {
          return node;
        }
      }
      return null;
    }

    BitSet blocked(Member m) {
      BitSet out = new BitSet(256);
      if (m.multicast()) {
        firstSeenBy.keySet().forEach(out::set);
      } else {
        for (String node : m.nodes()) {
          byNode.getOrDefault(node, Set.of()).forEach(out::set);
        }
      }
      return out;
    }
  }
}
