package dev.floatip.vrrp;

/**
 * Why a received packet was not used. Every drop is counted per reason; none is an error.
 * Decode-level reasons come from {@link VrrpCodec}, the others from the receiving {@link
 * VirtualRouter} (RFC 5798 §7.1, RFC 3768 §7.1).
 */
public enum DropReason {
  /** Shorter than the fixed header plus what its counts announce. */
  TOO_SHORT,
  /** Version nibble is neither 2 nor 3. */
  BAD_VERSION,
  /** Type nibble is not 1 (ADVERTISEMENT). */
  BAD_TYPE,
  /** Count of addresses does not match the message length. */
  LENGTH_MISMATCH,
  /** Checksum does not verify (v3: over the pseudo-header). */
  BAD_CHECKSUM,
  /** VRRPv2 over IPv6, or source and destination of different families. */
  UNSUPPORTED_FAMILY,
  /** Adver Int of zero. */
  BAD_INTERVAL,
  /** VRRPv2 authentication type other than 0 and 1 (IP AH, RFC 2338, is not supported). */
  BAD_AUTH_TYPE,
  /** Authentication type or password differs from ours. */
  AUTH_MISMATCH,
  /** IPv4 TTL or IPv6 hop limit is not 255 (the packet crossed a router). */
  BAD_TTL,
  /** No virtual router with this VRID and family runs here. */
  UNKNOWN_VRID,
  /** Version differs from the router's configured version. */
  VERSION_MISMATCH,
  /** VRRPv2: Adver Int differs from ours, which RFC 3768 §7.1 says MUST be dropped. */
  INTERVAL_MISMATCH,
  /** Unicast mode: the source is not one of the configured peers. */
  UNKNOWN_PEER,
  /** Our own advertisement came back to us. */
  OWN_ADVERTISEMENT,
  /**
   * The agent's bounded receive queue was full (a flood): dropped on the receive thread, undecoded,
   * so that the timers keep running.
   */
  QUEUE_FULL,
}
