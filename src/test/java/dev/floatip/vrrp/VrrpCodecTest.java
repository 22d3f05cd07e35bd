package dev.floatip.vrrp;

import static dev.floatip.vrrp.Frames.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rejection reason of the decoder, and the encoder's refusals. */
class VrrpCodecTest {

  private static final Advertisement V3 =
      new Advertisement(
          VrrpVersion.V3,
          51,
          100,
          Duration.ofSeconds(1),
          List.of(ip("192.0.2.200")),
          Authentication.NONE);
  private static final Advertisement V2 =
      new Advertisement(
          VrrpVersion.V2,
          51,
          100,
          Duration.ofSeconds(1),
          List.of(ip("192.0.2.200")),
          Authentication.password("secret"));

  private static byte[] v3() {
    return VrrpCodec.encode(V3, ip("192.0.2.11"), ip("224.0.0.18"));
  }

  private static DropReason reason(byte[] message) {
    return reason(message, "192.0.2.11", "224.0.0.18");
  }

  private static DropReason reason(byte[] message, String source, String destination) {
    DecodeResult result = VrrpCodec.decode(message, ip(source), ip(destination));
    assertThat(result).isInstanceOf(DecodeResult.Rejected.class);
    return ((DecodeResult.Rejected) result).reason();
  }

  /** Rewrites the checksum so that only the field under test is wrong. */
  private static byte[] fixChecksum(byte[] message) {
    message[6] = 0;
    message[7] = 0;
    int sum =
        new Checksum()
            .add(ip("192.0.2.11").getAddress())
            .add(ip("224.0.0.18").getAddress())
            .addWord(112)
            .addWord(message.length)
            .add(message)
            .value();
    message[6] = (byte) (sum >>> 8);
    message[7] = (byte) sum;
    return message;
  }

  @Test
  void tooShortForTheHeader() {
    assertThat(reason(new byte[7])).isEqualTo(DropReason.TOO_SHORT);
    assertThat(reason(new byte[0])).isEqualTo(DropReason.TOO_SHORT);
  }

  @Test
  void tooShortForTheAnnouncedAddresses() {
    byte[] m = v3();
    m[3] = 2;
    assertThat(reason(m)).isEqualTo(DropReason.TOO_SHORT);
  }

  @Test
  void lengthMismatchWhenBytesTrail() {
    byte[] m = java.util.Arrays.copyOf(v3(), 13);
    assertThat(reason(m)).isEqualTo(DropReason.LENGTH_MISMATCH);
  }

  @Test
  void badVersion() {
    byte[] m = v3();
    m[0] = 0x41;
    assertThat(reason(m)).isEqualTo(DropReason.BAD_VERSION);
  }

  @Test
  void badType() {
    byte[] m = v3();
    m[0] = 0x32;
    assertThat(reason(m)).isEqualTo(DropReason.BAD_TYPE);
  }

  @Test
  void badChecksum() {
    byte[] m = v3();
    m[7] ^= 1;
    assertThat(reason(m)).isEqualTo(DropReason.BAD_CHECKSUM);
  }

  @Test
  void v2OverIpv6IsUnsupported() {
    byte[] m = VrrpCodec.encode(V2, ip("192.0.2.11"), ip("224.0.0.18"));
    assertThat(reason(m, "fe80::1", "ff02::12")).isEqualTo(DropReason.UNSUPPORTED_FAMILY);
  }

  @Test
  void mixedFamiliesAreUnsupported() {
    assertThat(reason(v3(), "192.0.2.11", "ff02::12")).isEqualTo(DropReason.UNSUPPORTED_FAMILY);
  }

  @Test
  void zeroIntervalIsRejected() {
    byte[] m = v3();
    m[4] = 0;
    m[5] = 0;
    assertThat(reason(fixChecksum(m))).isEqualTo(DropReason.BAD_INTERVAL);
  }

  @Test
  void zeroVridIsRejected() {
    byte[] m = v3();
    m[1] = 0;
    assertThat(reason(fixChecksum(m))).isEqualTo(DropReason.UNKNOWN_VRID);
  }

  @Test
  void ipAhAuthenticationIsNotSupported() {
    byte[] m = VrrpCodec.encode(V2, ip("192.0.2.11"), ip("224.0.0.18"));
    m[4] = 2; // IP Authentication Header, RFC 2338 only
    m[6] = 0;
    m[7] = 0;
    int sum = new Checksum().add(m).value();
    m[6] = (byte) (sum >>> 8);
    m[7] = (byte) sum;
    assertThat(reason(m)).isEqualTo(DropReason.BAD_AUTH_TYPE);
  }

  @Test
  void v2PasswordIsReadUpToItsPadding() {
    byte[] m = VrrpCodec.encode(V2, ip("192.0.2.11"), ip("224.0.0.18"));
    assertThat(m).hasSize(20);
    DecodeResult result = VrrpCodec.decode(m, ip("192.0.2.11"), ip("224.0.0.18"));
    assertThat(result).isEqualTo(new DecodeResult.Decoded(V2));
  }

  @Test
  void nullInputsAreRejectedNotThrown() {
    assertThat(VrrpCodec.decode(null, ip("192.0.2.11"), ip("224.0.0.18")))
        .isInstanceOf(DecodeResult.Rejected.class);
    assertThat(VrrpCodec.decode(v3(), null, ip("224.0.0.18")))
        .isInstanceOf(DecodeResult.Rejected.class);
  }

  @Test
  void v3IntervalUsesTwelveBitsOfCentiseconds() {
    Advertisement slow =
        new Advertisement(
            VrrpVersion.V3,
            1,
            1,
            Duration.ofMillis(40_950),
            List.of(ip("192.0.2.1")),
            Authentication.NONE);
    byte[] m = VrrpCodec.encode(slow, ip("192.0.2.11"), ip("224.0.0.18"));
    assertThat(m[4] & 0xff).isEqualTo(0x0f);
    assertThat(m[5] & 0xff).isEqualTo(0xff);
  }

  @Test
  void encoderRefusesWhatTheWireCannotCarry() {
    assertThatThrownBy(
            () ->
                new Advertisement(
                    VrrpVersion.V3,
                    1,
                    1,
                    Duration.ofMillis(15),
                    List.of(ip("192.0.2.1")),
                    Authentication.NONE))
        .hasMessageContaining("10 ms steps");
    assertThatThrownBy(
            () ->
                new Advertisement(
                    VrrpVersion.V2,
                    1,
                    1,
                    Duration.ofMillis(1500),
                    List.of(ip("192.0.2.1")),
                    Authentication.NONE))
        .hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> VrrpCodec.encode(V2, ip("fe80::1"), ip("ff02::12")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
