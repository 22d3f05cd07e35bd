package dev.floatip.vrrp;

import java.net.InetAddress;
import java.time.Instant;

/** Everything that can happen to a {@link VirtualRouter}. Each input carries its own time. */
public sealed interface Input {
  Instant at();

  /** RFC 5798 §6.4.1 Startup event. */
  record Startup(Instant at) implements Input {}

  /** RFC 5798 §6.4.2/§6.4.3 Shutdown event: a master resigns with priority 0. */
  record Shutdown(Instant at) implements Input {}

  /** The runtime woke up at or after {@link VirtualRouter#nextDeadline()}. */
  record TimerFired(Instant at) implements Input {}

  /**
   * A decoded advertisement for this router's VRID and family.
   *
   * @param source IP source address of the packet (the sender's primary address)
   * @param ttl IPv4 TTL or IPv6 hop limit as received
   */
  record AdvertisementReceived(Instant at, InetAddress source, int ttl, Advertisement advertisement)
      implements Input {}

  /** The effective priority (base ± tracking weights, already clamped to 1..254) changed. */
  record PriorityChanged(Instant at, int priority) implements Input {}

  /** A tracked check entered (true) or left (false) FAULT. */
  record FaultChanged(Instant at, boolean fault, String cause) implements Input {}

  /** New configuration for the same VRID and family (addresses, interval, preempt, peers…). */
  record ConfigChanged(Instant at, RouterConfig config) implements Input {}
}
