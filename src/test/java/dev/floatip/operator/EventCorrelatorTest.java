package dev.floatip.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.api.v1alpha1.Schema;
import dev.floatip.operator.EventCorrelator.Action;
import dev.floatip.operator.EventCorrelator.Create;
import dev.floatip.operator.EventCorrelator.Drop;
import dev.floatip.operator.EventCorrelator.Occurrence;
import dev.floatip.operator.EventCorrelator.Patch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, defect 3: the operator's Events are correlated as client-go's recorder does
 * (tools/record/events_cache.go), on a fake clock: a repeat patches, similar Events are combined, a
 * flapping object is throttled, names fit.
 */
class EventCorrelatorTest {

  /** A clock the test moves. */
  static final class FakeClock extends Clock {
    Instant now = Instant.parse("2026-12-07T12:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final FakeClock clock = new FakeClock();
  private final EventCorrelator correlator = new EventCorrelator(clock);

  private Action master(String from, String to) {
    return correlator.correlate(
        new Occurrence("web", "uid-1", "Normal", "MasterChanged", "master: " + from + " -> " + to));
  }

  @Test
  void aRepeatPatchesTheFirstEventWithCountAndLastTimestamp() {
    Create first = (Create) master("n1", "n2");
    assertThat(first.count()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(30));
    Action again = master("n1", "n2");
    assertThat(again).isInstanceOf(Patch.class);
    Patch p = (Patch) again;
    assertThat(p.name()).isEqualTo(first.name());
    assertThat(p.count()).isEqualTo(2);
    assertThat(p.first()).isEqualTo(first.first());
    assertThat(p.last()).isEqualTo(clock.now);
    assertThat(p.message()).isEqualTo("master: n1 -> n2");
  }

  @Test
  void anotherObjectTypeOrReasonIsAnotherEvent() {
    Create first = (Create) master("n1", "n2");
    Action other =
        correlator.correlate(
            new Occurrence("db", "uid-2", "Normal", "MasterChanged", "master: n1 -> n2"));
    Action warning =
        correlator.correlate(
            new Occurrence("web", "uid-1", "Warning", "MasterChanged", "master: n1 -> n2"));
    assertThat(other).isInstanceOf(Create.class);
    assertThat(warning).isInstanceOf(Create.class);
    assertThat(((Create) other).name()).isNotEqualTo(first.name());
  }

  /** A flapping master: after 9 distinct messages the 10th and later are one combined Event. */
  @Test
  void similarEventsAreCombinedFromTheTenthWithinTenMinutes() {
    List<Action> actions = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      actions.add(master("n" + i, "n" + (i + 1)));
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(actions.subList(0, 9)).allSatisfy(a -> assertThat(a).isInstanceOf(Create.class));
    Create combined = (Create) actions.get(9);
    assertThat(combined.message()).isEqualTo("(combined from similar events): master: n9 -> n10");
    assertThat(actions.get(10)).isInstanceOf(Patch.class);
    Patch p = (Patch) actions.get(11);
    assertThat(p.name()).isEqualTo(combined.name());
    assertThat(p.count()).isEqualTo(3);
    assertThat(p.message()).isEqualTo("(combined from similar events): master: n11 -> n12");
  }

  @Test
  void theAggregationWindowStartsAfreshAfterTenQuietMinutes() {
    for (int i = 0; i < 9; i++) {
      master("a" + i, "b" + i);
    }
    clock.advance(Duration.ofMinutes(10).plusSeconds(1));
    Action a = master("x", "y");
    assertThat(a).isInstanceOf(Create.class);
    assertThat(((Create) a).message()).isEqualTo("master: x -> y");
  }

  @Test
  void theSpamFilterAllowsABurstOf25ThenOnePerFiveMinutes() {
    List<Action> actions = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      actions.add(master("n1", "n2"));
    }
    assertThat(actions.subList(0, 25)).noneMatch(a -> a instanceof Drop);
    assertThat(actions.subList(25, 30)).allMatch(a -> a instanceof Drop);
    clock.advance(Duration.ofMinutes(4));
    assertThat(master("n1", "n2")).isInstanceOf(Drop.class);
    clock.advance(Duration.ofMinutes(1));
    assertThat(master("n1", "n2")).isInstanceOf(Patch.class);
    assertThat(master("n1", "n2")).isInstanceOf(Drop.class);
    // another object has its own bucket
    assertThat(correlator.correlate(new Occurrence("db", "uid-2", "Normal", "MasterChanged", "m")))
        .isInstanceOf(Create.class);
  }

  @Test
  void namesAreUniqueEvenWithinOneClockTick() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      Action a = master("n" + i, "m" + i);
      if (a instanceof Create c) {
        names.add(c.name());
      }
    }
    assertThat(names).hasSize(9 + 1);
  }

  @Test
  void theNameIsTheObjectAndTheUnixNanosInHex() {
    Create c = (Create) master("n1", "n2");
    long nanos = clock.now.getEpochSecond() * 1_000_000_000L + clock.now.getNano();
    assertThat(c.name()).isEqualTo("web." + Long.toHexString(nanos));
  }

  /** Every VirtualIP name (a DNS subdomain of up to 253 characters) gives a valid Event name. */
  @ParameterizedTest
  @ValueSource(ints = {1, 63, 200, 236, 237, 238, 240, 252, 253})
  void namesStayValidDnsSubdomainsOfAtMost253Characters(int length) {
    long nanos = Instant.parse("2026-12-07T12:00:00Z").getEpochSecond() * 1_000_000_000L;
    for (String filler : List.of("a", "a-", "a.", "ab-c.")) {
      String name = vipName(filler, length);
      assertThat(name).matches(Schema.DNS_SUBDOMAIN).hasSizeLessThanOrEqualTo(253);
      String event = EventCorrelator.eventName(name, nanos);
      assertThat(event).as(name).hasSizeLessThanOrEqualTo(253).matches(Schema.DNS_SUBDOMAIN);
      assertThat(event).endsWith("." + Long.toHexString(nanos));
    }
  }

  /** A valid subdomain of exactly {@code length} characters built from {@code filler}. */
  private static String vipName(String filler, int length) {
    StringBuilder b = new StringBuilder();
    while (b.length() < length) {
      b.append(filler);
    }
    char[] s = b.substring(0, length).toCharArray();
    s[length - 1] = 'z';
    for (int i = 1; i < length; i++) {
      // no "..", "-." or ".-": keep every label valid
      if ((s[i] == '.' || s[i] == '-') && (s[i - 1] == '.' || s[i - 1] == '-')) {
        s[i] = 'q';
      }
    }
    return new String(s);
  }
}
