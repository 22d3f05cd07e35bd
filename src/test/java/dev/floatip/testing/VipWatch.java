package dev.floatip.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who holds the virtual addresses in a {@link NetnsLab}, and what the client's neighbour table says
 * about them. Read with {@code ip} (the same RTM_GETADDR dump keepalived's baseline used), polled
 * every {@link #POLL}: never a fixed sleep.
 */
public final class VipWatch {

  /** Poll period; one round costs one {@code ip} per router (a few ms each). */
  public static final Duration POLL = Duration.ofMillis(10);

  private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");

  private final NetnsLab lab;

  public VipWatch(NetnsLab lab) {
    this.lab = lab;
  }

  public static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The address part of {@code 192.0.2.200/24}. */
  public static InetAddress address(String cidr) {
    return ip(cidr.substring(0, cidr.indexOf('/')));
  }

  /** For each address, the names of the routers among {@code routers} that have it on eth0. */
  public Map<InetAddress, Set<String>> holders(
      Collection<NetnsLab.Node> routers, Collection<InetAddress> addresses) {
    Map<InetAddress, Set<String>> out = new LinkedHashMap<>();
    addresses.forEach(a -> out.put(a, new TreeSet<>()));
    for (NetnsLab.Node r : routers) {
      // "ip -o addr" prints addresses in their canonical form, as getHostAddress does not for v6
      String text = lab.ip("-n", r.namespace(), "-o", "addr", "show", "dev", "eth0").stdout();
      for (InetAddress a : addresses) {
        if (text.contains(" " + literal(a) + "/")) {
          out.get(a).add(r.name());
        }
      }
    }
    return out;
  }

  /** The expected state: every address held by {@code holder} alone (none when null). */
  private static Map<InetAddress, Set<String>> only(
      NetnsLab.Node holder, Collection<InetAddress> addresses) {
    Map<InetAddress, Set<String>> out = new LinkedHashMap<>();
    addresses.forEach(
        a -> out.put(a, holder == null ? new TreeSet<>() : new TreeSet<>(Set.of(holder.name()))));
    return out;
  }

  /**
   * Polls until {@code holder} alone (among {@code routers}) has every address, and returns the
   * time from {@code t0Nanos} ({@link System#nanoTime()} when the test acted) to the first poll
   * that saw it. Fails after {@code timeout}.
   */
  public Duration awaitSoleHolder(
      long t0Nanos,
      NetnsLab.Node holder,
      Collection<NetnsLab.Node> routers,
      Collection<InetAddress> addresses,
      Duration timeout) {
    Map<InetAddress, Set<String>> want = only(holder, addresses);
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<InetAddress, Set<String>> seen;
    while (true) {
      long before = System.nanoTime();
      seen = holders(routers, addresses);
      if (seen.equals(want)) {
        // the state was reached at most one poll round earlier than we saw it: credit half
        long seenAt = before + (System.nanoTime() - before) / 2;
        return Duration.ofNanos(seenAt - t0Nanos);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "after " + timeout + " the holders are " + seen + ", expected " + want);
      }
      sleep(POLL);
    }
  }

  /** Like {@link #awaitSoleHolder} with the clock started now; for waits that are not timed. */
  public Duration awaitSoleHolder(
      NetnsLab.Node holder,
      Collection<NetnsLab.Node> routers,
      Collection<InetAddress> addresses,
      Duration timeout) {
    return awaitSoleHolder(System.nanoTime(), holder, routers, addresses, timeout);
  }

  /**
   * Asserts over {@code window} (a few adverts) that {@code holder} alone keeps every address:
   * "settled" means exactly one router holds each VIP. {@code holder} null = nobody holds them.
   */
  public void assertSettled(
      NetnsLab.Node holder,
      Collection<NetnsLab.Node> routers,
      Collection<InetAddress> addresses,
      Duration window) {
    Map<InetAddress, Set<String>> want = only(holder, addresses);
    long end = System.nanoTime() + window.toNanos();
    int rounds = 0;
    do {
      Map<InetAddress, Set<String>> seen = holders(routers, addresses);
      assertEquals(want, seen, "holders " + rounds + " polls into the settle window of " + window);
      rounds++;
      sleep(POLL);
    } while (System.nanoTime() < end);
  }

  /** The link-layer address the node's neighbour table has for {@code address}, if any. */
  public Optional<String> neighbour(NetnsLab.Node node, InetAddress address) {
    String out =
        lab.ip("-n", node.namespace(), "neigh", "show", literal(address), "dev", "eth0").stdout();
    Matcher m = LLADDR.matcher(out);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /**
   * Waits until the node's neighbour entry for every address points at {@code mac}, without sending
   * it any traffic: only a gratuitous ARP / unsolicited NA can have changed it.
   */
  public void awaitNeighbour(
      NetnsLab.Node node, Collection<InetAddress> addresses, String mac, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<InetAddress, Optional<String>> seen = new LinkedHashMap<>();
      addresses.forEach(a -> seen.put(a, neighbour(node, a)));
      if (seen.values().stream().allMatch(m -> m.equals(Optional.of(mac)))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            node.name() + "'s neighbour entries after " + timeout + ": " + seen + ", want " + mac);
      }
      sleep(POLL);
    }
  }

  /**
   * Makes the client resolve each address (one ping), so that it has a neighbour entry a later
   * gratuitous ARP / NA must update (with arp_accept=0 a GARP only updates existing entries).
   */
  public void ping(NetnsLab.Node from, Collection<InetAddress> addresses) {
    for (InetAddress a : addresses) {
      List<String> cmd =
          a.getAddress().length == 4
              ? List.of("ping", "-n", "-c", "1", "-W", "2", literal(a))
              : List.of("ping", "-6", "-n", "-c", "1", "-W", "2", literal(a));
      NetnsLab.ExecResult r = lab.run(from, cmd.toArray(String[]::new));
      if (!r.ok()) {
        throw new AssertionError(from.name() + " cannot reach " + literal(a) + ": " + r.stdout());
      }
    }
  }

  /** Removes the addresses from every router (cleanup between tests); absent ones are fine. */
  public void removeEverywhere(Collection<NetnsLab.Node> routers, Collection<InetAddress> all) {
    for (NetnsLab.Node r : routers) {
      for (InetAddress a : all) {
        String prefix = a.getAddress().length == 4 ? "/24" : "/64";
        lab.run(r, "ip", "addr", "del", literal(a) + prefix, "dev", "eth0");
      }
    }
  }

  /** The canonical text form (RFC 5952), as iproute2 prints it. */
  public static String literal(InetAddress a) {
    String s = a.getHostAddress();
    int pct = s.indexOf('%');
    if (pct >= 0) {
      s = s.substring(0, pct);
    }
    if (a.getAddress().length == 4) {
      return s;
    }
    // Java prints 2001:db8:0:0:0:0:0:200; compress the longest zero run like iproute2
    String[] groups = s.split(":");
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < groups.length; ) {
      if (groups[i].equals("0")) {
        int j = i;
        while (j < groups.length && groups[j].equals("0")) {
          j++;
        }
        if (j - i > bestLen && j - i > 1) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    if (bestStart < 0) {
      return s;
    }
    String head = String.join(":", List.of(groups).subList(0, bestStart));
    String tail = String.join(":", List.of(groups).subList(bestStart + bestLen, groups.length));
    return head + "::" + tail;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
