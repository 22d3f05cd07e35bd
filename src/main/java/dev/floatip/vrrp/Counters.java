package dev.floatip.vrrp;

import java.util.EnumMap;
import java.util.Map;

/** Per-router protocol counters (RFC 6527 VRRPv3-MIB statistics, roughly). Single-threaded. */
public final class Counters {

  private final EnumMap<DropReason, Long> drops = new EnumMap<>(DropReason.class);
  private long advertisementsSent;
  private long advertisementsReceived;
  private long priorityZeroSent;
  private long priorityZeroReceived;
  private long addressListMismatches;
  private long becameMaster;

  /** An immutable copy for metrics and status. */
  public record Snapshot(
      Map<DropReason, Long> drops,
      long advertisementsSent,
      long advertisementsReceived,
      long priorityZeroSent,
      long priorityZeroReceived,
      long addressListMismatches,
      long becameMaster) {
    public Snapshot {
      drops = Map.copyOf(drops);
    }

    public long drops(DropReason reason) {
      return drops.getOrDefault(reason, 0L);
    }
  }

  public void drop(DropReason reason) {
    drops.merge(reason, 1L, Long::sum);
  }

  void sent(int priority) {
    advertisementsSent++;
    if (priority == 0) {
      priorityZeroSent++;
    }
  }

  void received(int priority) {
    advertisementsReceived++;
    if (priority == 0) {
      priorityZeroReceived++;
    }
  }

  void addressListMismatch() {
    addressListMismatches++;
  }

  void becameMaster() {
    becameMaster++;
  }

  public Snapshot snapshot() {
    return new Snapshot(
        drops,
        advertisementsSent,
        advertisementsReceived,
        priorityZeroSent,
        priorityZeroReceived,
        addressListMismatches,
        becameMaster);
  }
}
