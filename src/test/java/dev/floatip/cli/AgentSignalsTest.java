package dev.floatip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 2: a TERM at any moment of start-up ends in "never added any" (exit at once) or
 * "resigned and addresses removed" (awaitStop returns); a HUP is never lost nor fatal.
 */
class AgentSignalsTest {

  private final List<Integer> exits = new ArrayList<>();
  private final AgentSignals signals = new AgentSignals(exits::add);
  private final AtomicInteger reloads = new AtomicInteger();

  @Test
  void aStopWhileBootingExitsAtOnceAndTheAgentNeverStarts() {
    signals.stop("SIGTERM");

    assertThat(exits).containsExactly(0);
    // (in production the process is gone; were it not, start-up must not go on)
    assertThat(signals.starting()).isFalse();
  }

  @Test
  void aStopWhileStartingIsKeptAndEndsTheAgentRightAfterStartUp() throws InterruptedException {
    assertThat(signals.starting()).isTrue();
    signals.stop("SIGTERM");

    assertThat(exits).as("the agent may have changed the node: no hard exit").isEmpty();
    assertThat(signals.stopRequested()).isTrue();
    signals.running(reloads::incrementAndGet);
    signals.awaitStop(); // returns at once: the stop came before
    assertThat(signals.phase()).isEqualTo(AgentSignals.Phase.STOPPING);
  }

  @Test
  void aStopWhileRunningEndsTheWait() throws InterruptedException {
    signals.starting();
    signals.running(reloads::incrementAndGet);
    assertThat(signals.stopRequested()).isFalse();

    signals.stop("SIGINT");

    signals.awaitStop();
    assertThat(exits).isEmpty();
    assertThat(signals.phase()).isEqualTo(AgentSignals.Phase.STOPPING);
  }

  @Test
  void aHupBeforeRunningIsAppliedOnceRunningAndIsNeverFatal() {
    signals.hup();
    signals.starting();
    signals.hup();
    assertThat(exits).isEmpty();
    assertThat(reloads).hasValue(0);

    signals.running(reloads::incrementAndGet);
    assertThat(reloads).as("the HUPs of start-up fold into one reload").hasValue(1);

    signals.hup();
    assertThat(reloads).hasValue(2);
  }

  @Test
  void signalsWhileStoppingChangeNothing() throws InterruptedException {
    signals.starting();
    signals.running(reloads::incrementAndGet);
    signals.stop("SIGTERM");
    signals.awaitStop();

    signals.stop("SIGTERM");
    signals.hup();

    assertThat(exits).isEmpty();
    assertThat(reloads).hasValue(0);
  }
}
