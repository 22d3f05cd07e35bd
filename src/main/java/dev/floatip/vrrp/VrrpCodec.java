package dev.floatip.vrrp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes and decodes VRRP messages (the IP payload, without the IP header).
 *
 * <pre>
 * RFC 5798 §5.1 (v3)                         RFC 3768 §5.1 (v2)
 * |Ver|Type| VRID | Priority | Count       |  |Ver|Type| VRID | Priority | Count    |
 * |Rsvd| Max Adver Int (12b) | Checksum    |  |Auth Type|Adver Int| Checksum        |
 * | IPvX Address(es) ...                   |  | IPv4 Address(es) ...              |
 *                                            |  Authentication Data (8 octets)    |
 * </pre>
 *
 * <p>The v3 checksum covers an IPv4 or IPv6 pseudo-header (RFC 5798 §5.2.8), so both directions
 * take the IP source and destination. The v2 checksum covers the VRRP message only (RFC 3768
 * §5.3.8). Decoding never throws: every malformed input yields a {@link DecodeResult.Rejected}.
 */
public final class VrrpCodec {

  /** IP protocol number of VRRP (RFC 5798 §5.1.1.3). */
  public static final int IP_PROTOCOL = 112;

  /** TTL / hop limit sent and required on receive (RFC 5798 §5.1.1.3, §5.1.2.3). */
  public static final int TTL = 255;

  private static final int HEADER_LENGTH = 8;
  private static final int TYPE_ADVERTISEMENT = 1;

  private VrrpCodec() {}

  /**
   * The checks that cost a few byte reads, for a receive thread to drop a flood before it is queued
   * and decoded: length of the fixed header, version, type and TTL / hop limit (RFC 5798 §7.1).
   * Whatever passes still goes through {@link #decode}.
   *
   * @return why the packet can be dropped at once, or {@code null} when it must be decoded
   */
  public static DropReason precheck(byte[] message, int ttl) {
    if (message.length < HEADER_LENGTH) {
      return DropReason.TOO_SHORT;
    }
    int version = (message[0] >> 4) & 0x0f;
    if (version != 2 && version != 3) {
      return DropReason.BAD_VERSION;
    }
    if ((message[0] & 0x0f) != TYPE_ADVERTISEMENT) {
      return DropReason.BAD_TYPE;
    }
    return ttl == TTL ? null : DropReason.BAD_TTL;
  }

  /** The VRID byte of a message that passed {@link #precheck}. */
  public static int vrid(byte[] message) {
    return message[1] & 0xff;
  }

  /** Encodes an advertisement sent from {@code source} to {@code destination}. */
  public static byte[] encode(Advertisement adv, InetAddress source, InetAddress destination) {
    IpFamily family = IpFamily.of(source);
    if (!family.contains(destination) || !adv.addresses().stream().allMatch(family::contains)) {
      throw new IllegalArgumentException("source, destination and addresses must share a family");
    }
    if (adv.version() == VrrpVersion.V2 && family != IpFamily.IPV4) {
      throw new IllegalArgumentException("VRRPv2 is IPv4 only");
    }
    int addressBytes = adv.addresses().size() * family.addressLength();
    boolean v2 = adv.version() == VrrpVersion.V2;
    byte[] msg = new byte[HEADER_LENGTH + addressBytes + (v2 ? Authentication.DATA_LENGTH : 0)];
    msg[0] = (byte) ((adv.version().wireValue() << 4) | TYPE_ADVERTISEMENT);
    msg[1] = (byte) adv.vrid();
    msg[2] = (byte) adv.priority();
    msg[3] = (byte) adv.addresses().size();
    if (v2) {
      msg[4] = (byte) adv.authentication().type();
      msg[5] = (byte) adv.adverInterval().getSeconds();
    } else {
      int centis = (int) (adv.adverInterval().toMillis() / 10);
      msg[4] = (byte) ((centis >>> 8) & 0x0f);
      msg[5] = (byte) centis;
    }
    int offset = HEADER_LENGTH;
    for (InetAddress a : adv.addresses()) {
      System.arraycopy(a.getAddress(), 0, msg, offset, family.addressLength());
      offset += family.addressLength();
    }
    if (v2) {
      byte[] pw = adv.authentication().password().getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(pw, 0, msg, offset, pw.length);
    }
    int checksum = checksum(adv.version(), msg, source, destination);
    msg[6] = (byte) (checksum >>> 8);
    msg[7] = (byte) checksum;
    return msg;
  }

  /**
   * Decodes a VRRP message received from {@code source} for {@code destination}.
   *
   * @param message the IP payload (starting at the VRRP version/type octet)
   */
  public static DecodeResult decode(byte[] message, InetAddress source, InetAddress destination) {
    if (message == null || source == null || destination == null) {
      return reject(DropReason.TOO_SHORT, "no message or no addresses");
    }
    IpFamily family = IpFamily.of(source);
    if (!family.contains(destination)) {
      return reject(DropReason.UNSUPPORTED_FAMILY, "source and destination families differ");
    }
    if (message.length < HEADER_LENGTH) {
      return reject(DropReason.TOO_SHORT, "%d octets, the header needs 8", message.length);
    }
    int versionNibble = (message[0] & 0xf0) >>> 4;
    VrrpVersion version;
    switch (versionNibble) {
      case 2 -> version = VrrpVersion.V2;
      case 3 -> version = VrrpVersion.V3;
      default -> {
        return reject(DropReason.BAD_VERSION, "version %d", versionNibble);
      }
    }
    int type = message[0] & 0x0f;
    if (type != TYPE_ADVERTISEMENT) {
      return reject(DropReason.BAD_TYPE, "type %d", type);
    }
    if (version == VrrpVersion.V2 && family != IpFamily.IPV4) {
      return reject(DropReason.UNSUPPORTED_FAMILY, "VRRPv2 over IPv6");
    }
    int count = message[3] & 0xff;
    int expected =
        HEADER_LENGTH
            + count * family.addressLength()
            + (version == VrrpVersion.V2 ? Authentication.DATA_LENGTH : 0);
    if (message.length < expected) {
      return reject(
          DropReason.TOO_SHORT, "%d octets, %d addresses need %d", message.length, count, expected);
    }
    if (message.length != expected) {
      return reject(
          DropReason.LENGTH_MISMATCH,
          "%d octets, %d addresses make %d",
          message.length,
          count,
          expected);
    }
    if (checksum(version, message, source, destination) != 0) {
      return reject(DropReason.BAD_CHECKSUM, "checksum 0x%04x", checksumField(message));
    }
    int vrid = message[1] & 0xff;
    if (vrid == 0) {
      return reject(DropReason.UNKNOWN_VRID, "VRID 0");
    }
    List<InetAddress> addresses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int from = HEADER_LENGTH + i * family.addressLength();
      addresses.add(address(Arrays.copyOfRange(message, from, from + family.addressLength())));
    }
    Duration interval;
    Authentication auth = Authentication.NONE;
    if (version == VrrpVersion.V2) {
      int seconds = message[5] & 0xff;
      if (seconds == 0) {
        return reject(DropReason.BAD_INTERVAL, "Adver Int 0");
      }
      interval = Duration.ofSeconds(seconds);
      int authType = message[4] & 0xff;
      int authOffset = HEADER_LENGTH + count * 4;
      switch (authType) {
        case Authentication.TYPE_NONE -> {}
        case Authentication.TYPE_SIMPLE_TEXT -> {
          String pw = password(message, authOffset);
          if (pw == null) {
            return reject(DropReason.AUTH_MISMATCH, "password is not ASCII");
          }
          auth = new Authentication(Authentication.TYPE_SIMPLE_TEXT, pw);
        }
        default -> {
          return reject(DropReason.BAD_AUTH_TYPE, "auth type %d", authType);
        }
      }
    } else {
      int centis = ((message[4] & 0x0f) << 8) | (message[5] & 0xff);
      if (centis == 0) {
        return reject(DropReason.BAD_INTERVAL, "Max Adver Int 0");
      }
      interval = Duration.ofMillis(centis * 10L);
    }
    return new DecodeResult.Decoded(
        new Advertisement(version, vrid, message[2] & 0xff, interval, addresses, auth));
  }

  /** The password up to its first NUL (keepalived pads with zeros), or null if not ASCII. */
  private static String password(byte[] message, int offset) {
    int end = offset;
    while (end < offset + Authentication.DATA_LENGTH && message[end] != 0) {
      if ((message[end] & 0x80) != 0) {
        return null;
      }
      end++;
    }
    return new String(message, offset, end - offset, StandardCharsets.US_ASCII);
  }

  private static int checksumField(byte[] message) {
    return ((message[6] & 0xff) << 8) | (message[7] & 0xff);
  }

  /**
   * Computes the checksum over the message as it stands (with the checksum field included: over a
   * correct message the result is 0; with the field zeroed, it is the value to store).
   */
  private static int checksum(
      VrrpVersion version, byte[] message, InetAddress source, InetAddress destination) {
    Checksum sum = new Checksum();
    if (version == VrrpVersion.V3) {
      // RFC 5798 §5.2.8: pseudo-header of RFC 2460 §8.1 (IPv6) or RFC 768 style (IPv4)
      sum.add(source.getAddress()).add(destination.getAddress());
      if (IpFamily.of(source) == IpFamily.IPV4) {
        sum.addWord(IP_PROTOCOL).addWord(message.length);
      } else {
        sum.addWord(message.length >>> 16).addWord(message.length).addWord(IP_PROTOCOL);
      }
    }
    return sum.add(message).value();
  }

  private static InetAddress address(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes); // raw bytes: no name lookup
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of length " + bytes.length, e);
    }
  }

  private static DecodeResult reject(DropReason reason, String format, Object... args) {
    return new DecodeResult.Rejected(reason, String.format(format, args));
  }
}
