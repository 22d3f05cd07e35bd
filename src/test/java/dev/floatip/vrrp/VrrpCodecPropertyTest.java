package dev.floatip.vrrp;

import static dev.floatip.vrrp.Frames.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties over many seeded random inputs: valid advertisements survive a round trip; random and
 * mutated bytes never make the decoder throw, and whatever it accepts re-encodes to the same bytes.
 */
class VrrpCodecPropertyTest {

  private static final int ITERATIONS = 20_000;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 0xfeedL})
  void validAdvertisementsRoundTrip(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < ITERATIONS; i++) {
      Endpoints ends = Endpoints.random(random);
      Advertisement adv = randomAdvertisement(random, ends);

      byte[] bytes = VrrpCodec.encode(adv, ends.source, ends.destination);

      assertThat(VrrpCodec.decode(bytes, ends.source, ends.destination))
          .isEqualTo(new DecodeResult.Decoded(adv));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13})
  void randomBytesNeverThrow(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < ITERATIONS; i++) {
      Endpoints ends = Endpoints.random(random);
      byte[] junk = new byte[random.nextInt(80)];
      random.nextBytes(junk);
      if (junk.length > 0 && random.nextBoolean()) {
        junk[0] = (byte) (random.nextBoolean() ? 0x21 : 0x31); // get past the version check
      }

      assertAcceptedOnlyIfCanonical(junk, ends);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {21, 22, 23})
  void mutatedAdvertisementsNeverThrowAndFlippedBitsAreCaught(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < ITERATIONS; i++) {
      Endpoints ends = Endpoints.random(random);
      byte[] valid =
          VrrpCodec.encode(randomAdvertisement(random, ends), ends.source, ends.destination);
      byte[] mutated = mutate(random, valid);

      DecodeResult result = assertAcceptedOnlyIfCanonical(mutated, ends);

      if (mutated.length == valid.length && differsInOneBit(valid, mutated)) {
        // a single flipped bit always breaks the Internet checksum (RFC 1071)
        assertThat(result).isInstanceOf(DecodeResult.Rejected.class);
      }
    }
  }

  private static DecodeResult assertAcceptedOnlyIfCanonical(byte[] bytes, Endpoints ends) {
    DecodeResult result = VrrpCodec.decode(bytes, ends.source, ends.destination);
    if (result instanceof DecodeResult.Decoded(Advertisement adv)) {
      byte[] again = VrrpCodec.encode(adv, ends.source, ends.destination);
      // the reserved nibble of v3 and password bytes after a NUL are not represented
      assertThat(again.length).isEqualTo(bytes.length);
      assertThat(VrrpCodec.decode(again, ends.source, ends.destination)).isEqualTo(result);
    }
    return result;
  }

  private static byte[] mutate(Random random, byte[] valid) {
    byte[] out = valid.clone();
    switch (random.nextInt(4)) {
      case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
      case 1 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
      case 2 -> out = Arrays.copyOf(out, random.nextInt(out.length));
      default -> {
        out = Arrays.copyOf(out, out.length + 1 + random.nextInt(20));
        out[3] = (byte) random.nextInt(256); // count no longer matches
      }
    }
    return out;
  }

  private static boolean differsInOneBit(byte[] a, byte[] b) {
    int bits = 0;
    for (int i = 0; i < a.length; i++) {
      bits += Integer.bitCount((a[i] ^ b[i]) & 0xff);
    }
    return bits == 1;
  }

  private static Advertisement randomAdvertisement(Random random, Endpoints ends) {
    boolean v2 = !ends.v6 && random.nextBoolean();
    int count = random.nextInt(1, random.nextInt(10) == 0 ? 256 : 5);
    List<InetAddress> addresses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      addresses.add(randomAddress(random, ends.v6));
    }
    Duration interval =
        v2
            ? Duration.ofSeconds(random.nextInt(1, 256))
            : Duration.ofMillis(10L * random.nextInt(1, 4096));
    Authentication auth =
        v2 && random.nextBoolean()
            ? Authentication.password(Long.toString(random.nextLong(1L << 40), 36))
            : Authentication.NONE;
    return new Advertisement(
        v2 ? VrrpVersion.V2 : VrrpVersion.V3,
        random.nextInt(1, 256),
        random.nextInt(256),
        interval,
        addresses,
        auth);
  }

  private static InetAddress randomAddress(Random random, boolean v6) {
    byte[] bytes = new byte[v6 ? 16 : 4];
    random.nextBytes(bytes);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private record Endpoints(InetAddress source, InetAddress destination, boolean v6) {
    static Endpoints random(Random random) {
      return random.nextBoolean()
          ? new Endpoints(ip("fe80::1"), ip("ff02::12"), true)
          : new Endpoints(ip("192.0.2.11"), ip("224.0.0.18"), false);
    }
  }
}
