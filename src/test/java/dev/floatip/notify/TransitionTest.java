package dev.floatip.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.vrrp.Action;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.Reason;
import dev.floatip.vrrp.State;
import org.junit.jupiter.api.Test;

class TransitionTest {

  @Test
  void stateWordIsUpperCaseAndShutdownIsStop() {
    assertThat(Transitions.startup("dns").stateWord()).isEqualTo("BACKUP");
    assertThat(Transitions.master("dns", 100).stateWord()).isEqualTo("MASTER");
    assertThat(Transitions.fault("dns", 100).stateWord()).isEqualTo("FAULT");
    assertThat(Transitions.stop("dns", 100).stateWord()).isEqualTo("STOP");
    assertThat(
            Transitions.of("dns", State.FAULT, State.INITIALIZE, Reason.SHUTDOWN, 100).stateWord())
        .isEqualTo("STOP");
  }

  @Test
  void fromARoutersStateChange() {
    var change =
        new Action.StateChanged(Transitions.AT, State.BACKUP, State.MASTER, Reason.PREEMPTED, 110);
    Transition t = Transition.of("dns", IpFamily.IPV6, "node-b", change);
    assertThat(t)
        .isEqualTo(
            new Transition(
                "dns",
                IpFamily.IPV6,
                "node-b",
                State.BACKUP,
                State.MASTER,
                Reason.PREEMPTED,
                110,
                Transitions.AT));
    assertThat(t.familyName()).isEqualTo("IPv6");
  }

  @Test
  void backoffDoublesUpToItsCap() {
    Backoff b = Backoff.DEFAULT;
    assertThat(b.delayAfter(1)).hasMillis(500);
    assertThat(b.delayAfter(2)).hasMillis(1000);
    assertThat(b.delayAfter(3)).hasMillis(2000);
    assertThat(b.delayAfter(4)).hasMillis(4000);
    assertThat(b.delayAfter(10)).hasSeconds(30);
    assertThat(b.delayAfter(1000)).hasSeconds(30);
  }

  @Test
  void anUnlimitedBackoffStaysAtItsCapForever() {
    Backoff b =
        Backoff.unlimited(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(30));
    assertThat(b.attempts()).isEqualTo(Integer.MAX_VALUE);
    assertThat(b.delayAfter(1)).hasSeconds(1);
    assertThat(b.delayAfter(5)).hasSeconds(16);
    assertThat(b.delayAfter(6)).hasSeconds(30);
    assertThat(b.delayAfter(Integer.MAX_VALUE)).hasSeconds(30);
    // a zero wait stays zero, computed at once (not by 2^31 doublings of zero)
    Backoff none = Backoff.unlimited(java.time.Duration.ZERO, java.time.Duration.ofSeconds(1));
    assertThat(none.delayAfter(Integer.MAX_VALUE)).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.delayAfter(0))
        .hasMessageContaining("1-based");
  }
}
