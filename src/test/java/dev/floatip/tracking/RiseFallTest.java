package dev.floatip.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RiseFallTest {

  /**
   * Results as a string ({@code +} success, {@code -} failure) and the state after each one ({@code
   * H} healthy, {@code F} failing).
   */
  @ParameterizedTest(name = "rise {0} fall {1}: {2} → {3}")
  @CsvSource(
      textBlock =
          """
          # rise, fall, results,    states after each
          1,      1,    +-+-,       HFHF
          1,      1,    -+,         FH
          1,      3,    +--+---,    HHHHHHF
          1,      3,    +---+,      HHHFH
          2,      1,    -+-++,      FFFFH
          2,      2,    -++--,      FFHHF
          3,      2,    +-+-+--,    HHHHHHF
          3,      2,    --++-+++,   FFFFFFFH
          5,      5,    -,          F
          5,      5,    +,          H
          """)
  void table(int rise, int fall, String results, String states) {
    RiseFall rf = RiseFall.initial(rise, fall);
    assertThat(rf.healthy()).isNull();
    StringBuilder seen = new StringBuilder();
    for (char r : results.toCharArray()) {
      rf = rf.next(r == '+');
      seen.append(rf.healthy() ? 'H' : 'F');
    }
    assertThat(seen.toString()).isEqualTo(states);
  }

  @Test
  void progressTellsHowFarAChangeIs() {
    RiseFall rf = RiseFall.initial(2, 3).next(true).next(false);

    assertThat(rf.healthy()).isTrue();
    assertThat(rf.progress()).isEqualTo("1/3 failures towards failing");
    assertThat(rf.next(true).progress()).isEmpty();
    assertThat(RiseFall.initial(2, 3).next(false).next(true).progress())
        .isEqualTo("1/2 successes towards healthy");
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> RiseFall.initial(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RiseFall.initial(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
