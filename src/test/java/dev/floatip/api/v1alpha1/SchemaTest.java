package dev.floatip.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floatip.config.IpLiteral;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD's address patterns as plain regular expressions (RE2 and java.util.regex agree on the
 * constructs used). Issue 11, defect 8: the old IPv6 pattern accepted {@code :::::}.
 */
class SchemaTest {

  private static final Pattern IP = Pattern.compile(Schema.IP);
  private static final Pattern CIDR = Pattern.compile(Schema.CIDR);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "::",
        "::1",
        "1::",
        "2001:db8::1",
        "2001:DB8::1",
        "2001:db8:0:0:0:0:0:1",
        "2001:0db8:0000:0000:0000:0000:0000:0001",
        "fe80::1:2:3:4",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
        "1::8",
        "1:2::7:8",
        "1:2:3:4:5:6::8",
        "1::3:4:5:6:7:8",
        "ff02::12",
        "::ffff:192.0.2.1",
        "::192.0.2.1",
        "64:ff9b::192.0.2.33",
        "1:2:3:4:5:6:192.0.2.1",
        "1::5:6:192.0.2.1",
        "1:2:3:4:5::192.0.2.1",
        "::2:3:4:5:6:192.0.2.1",
        "1:2:3:4::6:192.0.2.1"
      })
  void everyRfc4291FormIsAccepted(String ip) {
    assertThat(IP.matcher(ip).matches()).as(ip).isTrue();
    assertThat(CIDR.matcher(ip + "/64").matches()).as(ip + "/64").isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ":::::",
        ":::",
        "1:::2",
        "1::2::3",
        "::1::",
        ":1::2",
        "1::2:",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7",
        "12345::1",
        "g::1",
        "1:2:3:4:5:6:7:192.0.2.1",
        "1:2:3:4:5:6::192.0.2.1",
        "::1:2:3:4:5:6:192.0.2.1",
        "::192.0.2.300",
        "::192.0.2",
        "2001:db8::1%eth0",
        ":",
        ""
      })
  void malformedIpv6IsRefused(String ip) {
    assertThat(IP.matcher(ip).matches()).as(ip).isFalse();
    assertThat(CIDR.matcher(ip + "/64").matches()).as(ip + "/64").isFalse();
  }

  /**
   * Every 8-group address, written with each possible :: compression and with a trailing dotted
   * quad: the pattern accepts exactly what the strict parser accepts.
   */
  @Test
  void agreesWithTheStrictParserOnGeneratedForms() {
    Random random = new Random(11);
    for (int round = 0; round < 200; round++) {
      int[] groups = new int[8];
      for (int i = 0; i < 8; i++) {
        groups[i] = random.nextInt(4) == 0 ? 0 : random.nextInt(0x10000);
      }
      for (String text : forms(groups)) {
        boolean parses = IpLiteral.parse(text).isPresent() || text.startsWith("::ffff:");
        assertThat(IP.matcher(text).matches()).as(text).isEqualTo(parses).isTrue();
      }
    }
  }

  /** The full form, every "::" over a run of zero groups, and the dotted-quad variants. */
  private static List<String> forms(int[] g) {
    List<String> out = new ArrayList<>();
    out.add(join(g, 0, 8));
    for (int from = 0; from < 8; from++) {
      for (int to = from + 1; to <= 8; to++) {
        boolean zeros = true;
        for (int i = from; i < to; i++) {
          zeros &= g[i] == 0;
        }
        if (zeros) {
          out.add(join(g, 0, from) + "::" + join(g, to, 8));
          if (to <= 6) {
            out.add(join(g, 0, from) + "::" + join(g, to, 6) + (to < 6 ? ":" : "") + quad(g));
          }
        }
      }
    }
    out.add(join(g, 0, 6) + ":" + quad(g));
    return out;
  }

  private static String join(int[] g, int from, int to) {
    List<String> parts = new ArrayList<>();
    for (int i = from; i < to; i++) {
      parts.add(Integer.toHexString(g[i]));
    }
    return String.join(":", parts);
  }

  private static String quad(int[] g) {
    return (g[6] >> 8) + "." + (g[6] & 0xff) + "." + (g[7] >> 8) + "." + (g[7] & 0xff);
  }
}
