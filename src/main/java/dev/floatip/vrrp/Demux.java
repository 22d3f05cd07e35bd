package dev.floatip.vrrp;

import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Decodes received VRRP messages and routes each to the router of its (VRID, family). Counts what
 * cannot be routed: decode failures and VRIDs nobody here runs (a foreign router on the segment).
 *
 * @param <R> whatever the runtime keeps per router
 */
public final class Demux<R> {

  /** An advertisement and the router it is for. */
  public record Delivery<R>(R target, Input.AdvertisementReceived input) {}

  private final Map<RouterKey, R> routers = new HashMap<>();
  private final Counters counters = new Counters();
  private final Set<Integer> foreignVrids = new TreeSet<>();
  private final Consumer<DropReason> onDrop;

  public Demux() {
    this(reason -> {});
  }

  /**
   * @param onDrop told of every drop counted here (on the routing thread), for metrics
   */
  public Demux(Consumer<DropReason> onDrop) {
    this.onDrop = onDrop;
  }

  public void register(RouterKey key, R router) {
    routers.put(key, router);
  }

  public void unregister(RouterKey key) {
    routers.remove(key);
  }

  /**
   * @param ttl IPv4 TTL or IPv6 hop limit of the received packet
   * @return the delivery, or empty when the packet was dropped (and counted)
   */
  public Optional<Delivery<R>> route(
      Instant at, byte[] message, InetAddress source, InetAddress destination, int ttl) {
    return switch (VrrpCodec.decode(message, source, destination)) {
      case DecodeResult.Rejected rejected -> {
        drop(rejected.reason());
        yield Optional.empty();
      }
      case DecodeResult.Decoded decoded -> {
        Advertisement adv = decoded.advertisement();
        R router = routers.get(new RouterKey(adv.vrid(), IpFamily.of(source)));
        if (router == null) {
          drop(DropReason.UNKNOWN_VRID);
          foreignVrids.add(adv.vrid());
          yield Optional.empty();
        }
        yield Optional.of(
            new Delivery<>(router, new Input.AdvertisementReceived(at, source, ttl, adv)));
      }
    };
  }

  private void drop(DropReason reason) {
    counters.drop(reason);
    onDrop.accept(reason);
  }

  /** Whether a well-formed advert of this VRID was heard and no router here took it. */
  public boolean isForeign(int vrid) {
    return foreignVrids.contains(vrid);
  }

  /**
   * The VRIDs of well-formed adverts that no router here took: another VRRP router on the segment
   * (or a VirtualIP this node does not run). Kept for the life of the socket.
   */
  public Set<Integer> foreignVrids() {
    return Set.copyOf(foreignVrids);
  }

  /** Drops that happened before a router could be chosen. */
  public Counters.Snapshot counters() {
    return counters.snapshot();
  }
}
