package dev.floatip.testing.scale;

import dev.floatip.dataplane.ReceivedPacket;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One in-memory IPv4 segment joining the simulated nodes of the scale benchmark: a VRRP message
 * sent to a node's primary address arrives in that node's socket, one sent to the multicast group
 * in every other node's, as on a switch; nothing leaves or reaches a node whose link is down. No
 * kernel, no loss, no delay: what is measured is the API side, not the wire.
 */
public final class SimLan {

  private final Map<InetAddress, SimDataplane> nodes = new ConcurrentHashMap<>();
  private final LongAdder delivered = new LongAdder();

  /** A node on this segment with {@code primary/prefix} on its only interface, eth0. */
  public SimDataplane attach(InetAddress primary, int prefixLength) {
    SimDataplane node = new SimDataplane(this, primary, prefixLength);
    if (nodes.putIfAbsent(primary, node) != null) {
      throw new IllegalArgumentException(primary + " is already on the segment");
    }
    return node;
  }

  /** Messages handed to a receiving node so far. */
  public long delivered() {
    return delivered.sum();
  }

  void send(SimDataplane from, InetAddress destination, byte[] message) {
    if (!from.linkUp()) {
      return;
    }
    if (destination.isMulticastAddress()) {
      nodes.values().stream()
          .filter(n -> n != from)
          .forEach(n -> offer(from, n, destination, message));
    } else {
      SimDataplane to = nodes.get(destination);
      if (to != null && to != from) {
        offer(from, to, destination, message);
      }
    }
  }

  private void offer(SimDataplane from, SimDataplane to, InetAddress dst, byte[] message) {
    if (to.linkUp()) {
      // TTL 255 as RFC 5798 §5.1.1.3 requires of every sender
      to.inbound(new ReceivedPacket(from.primary(), dst, 255, message.clone(), SimDataplane.IFACE));
      delivered.increment();
    }
  }
}
