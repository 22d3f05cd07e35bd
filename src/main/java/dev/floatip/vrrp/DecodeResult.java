package dev.floatip.vrrp;

/** The outcome of decoding bytes: an advertisement, or the reason it was rejected. */
public sealed interface DecodeResult {

  record Decoded(Advertisement advertisement) implements DecodeResult {}

  /**
   * @param detail human-readable specifics (offsets, values) for logs
   */
  record Rejected(DropReason reason, String detail) implements DecodeResult {}
}
