package dev.floatip.operator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decides, for each Event the operator wants to record, whether to create a new core/v1 Event,
 * patch an existing one, or drop it, the way client-go's recorder does
 * (tools/record/events_cache.go, EventCorrelator) so that a flapping master does not write one
 * Event per flap:
 *
 * <ol>
 *   <li><b>Spam filter</b>: per involved object a token bucket of {@value #SPAM_BURST} tokens,
 *       refilled by one every {@link #SPAM_REFILL}; an Event without a token is dropped
 *       (EventSourceObjectSpamFilter).
 *   <li><b>Aggregation</b>: Events of one object, type and reason with different messages count
 *       within {@link #AGGREGATE_WINDOW}; from the {@value #AGGREGATE_MAX_EVENTS}th distinct
 *       message on they become one Event "(combined from similar events): " + the latest message
 *       (EventAggregator).
 *   <li><b>Observation</b>: an Event equal to one already written (object, type, reason, message)
 *       patches that Event: count + 1, a new lastTimestamp (eventLogger.eventObserve).
 * </ol>
 *
 * Pure apart from the injected clock; the caches are bounded (LRU, {@value #CACHE_SIZE} entries, as
 * client-go's). Not thread-safe: {@link EventRecorder} serialises the calls.
 */
public final class EventCorrelator {

  static final int SPAM_BURST = 25;
  static final Duration SPAM_REFILL = Duration.ofMinutes(5);
  static final int AGGREGATE_MAX_EVENTS = 10;
  static final Duration AGGREGATE_WINDOW = Duration.ofMinutes(10);
  static final int CACHE_SIZE = 4096;
  static final String COMBINED_PREFIX = "(combined from similar events): ";

  /** Event names are DNS subdomains of at most 253 characters. */
  static final int NAME_MAX_LENGTH = 253;

  /** What the operator wants to say about one object. */
  public record Occurrence(
      String objectName, String objectUid, String type, String reason, String message) {}

  /** What to write. */
  public sealed interface Action {}

  /** Create a new Event with these fields. */
  public record Create(String name, String message, int count, Instant first, Instant last)
      implements Action {}

  /** Merge-patch the Event {@code name}: count, lastTimestamp and message. */
  public record Patch(String name, String message, int count, Instant first, Instant last)
      implements Action {}

  /** Write nothing: the object's token bucket is empty. */
  public record Drop() implements Action {}

  private record Observed(String name, int count, Instant first) {}

  private static final class Similar {
    final Set<String> messages = new LinkedHashSet<>();
    Instant last;
  }

  private static final class Bucket {
    double tokens = SPAM_BURST;
    Instant refilled;
  }

  private final Clock clock;
  private final Map<String, Bucket> buckets = lru();
  private final Map<String, Similar> similar = lru();
  private final Map<String, Observed> observed = lru();
  private long lastNanos;

  public EventCorrelator(Clock clock) {
    this.clock = clock;
  }

  public Action correlate(Occurrence o) {
    Instant now = clock.instant();
    if (!tryTake(o.objectUid() + "/" + o.objectName(), now)) {
      return new Drop();
    }
    String aggregateKey = String.join("\0", o.objectUid(), o.objectName(), o.type(), o.reason());
    String key = aggregateKey + "\0" + o.message();
    String message = o.message();
    Similar s = similar.get(aggregateKey);
    if (s == null || s.last.plus(AGGREGATE_WINDOW).isBefore(now)) {
      s = new Similar();
      similar.put(aggregateKey, s);
    }
    s.messages.add(o.message());
    s.last = now;
    if (s.messages.size() >= AGGREGATE_MAX_EVENTS) {
      // bounded, as client-go's PopAny: the set only needs to stay at the threshold
      s.messages.remove(s.messages.iterator().next());
      key = aggregateKey;
      message = COMBINED_PREFIX + o.message();
    }
    Observed before = observed.get(key);
    if (before != null) {
      Observed after = new Observed(before.name(), before.count() + 1, before.first());
      observed.put(key, after);
      return new Patch(after.name(), message, after.count(), after.first(), now);
    }
    String name = eventName(o.objectName(), uniqueNanos(now));
    observed.put(key, new Observed(name, 1, now));
    return new Create(name, message, 1, now, now);
  }

  /**
   * The Event name as client-go makes it, {@code <object>.<unix nanos in hex>} (record/event.go,
   * makeEvent), with the object's part shortened so that the whole stays a DNS subdomain of at most
   * 253 characters.
   */
  static String eventName(String objectName, long unixNanos) {
    String suffix = "." + Long.toHexString(unixNanos);
    String prefix = objectName;
    int room = NAME_MAX_LENGTH - suffix.length();
    if (prefix.length() > room) {
      prefix = prefix.substring(0, room);
    }
    // a label must end in a letter or digit: "a-.b" and "a..b" are no subdomains
    int end = prefix.length();
    while (end > 1 && (prefix.charAt(end - 1) == '-' || prefix.charAt(end - 1) == '.')) {
      end--;
    }
    return prefix.substring(0, end) + suffix;
  }

  /** Unix nanoseconds of {@code now}, strictly increasing across calls: names never repeat. */
  private long uniqueNanos(Instant now) {
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    lastNanos = Math.max(nanos, lastNanos + 1);
    return lastNanos;
  }

  private boolean tryTake(String spamKey, Instant now) {
    Bucket b = buckets.computeIfAbsent(spamKey, k -> new Bucket());
    if (b.refilled != null && now.isAfter(b.refilled)) {
      double gained = (double) Duration.between(b.refilled, now).toNanos() / SPAM_REFILL.toNanos();
      b.tokens = Math.min(SPAM_BURST, b.tokens + gained);
    }
    if (b.refilled == null || now.isAfter(b.refilled)) {
      b.refilled = now;
    }
    if (b.tokens < 1 - 1e-9) { // tolerate rounding of the refill fractions
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > CACHE_SIZE;
      }
    };
  }
}
