package dev.floatip.dataplane.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One netlink message (netlink(7)): a 16-byte nlmsghdr in host byte order, then the payload. Pure
 * codec, no native code.
 *
 * @param payload everything after the header, up to nlmsg_len (read-only, host order)
 */
record NetlinkMessage(int type, int flags, int sequence, int portId, ByteBuffer payload) {

  static final int HEADER_LENGTH = 16;
  static final ByteOrder ORDER = ByteOrder.nativeOrder();

  /** NLMSG_ALIGN: netlink aligns messages and attributes to 4 bytes. */
  static int align(int length) {
    return (length + 3) & ~3;
  }

  /** Splits a datagram into its messages; a truncated tail is dropped. */
  static List<NetlinkMessage> parseAll(byte[] data, int length) {
    ByteBuffer buf = ByteBuffer.wrap(data, 0, length).order(ORDER);
    List<NetlinkMessage> messages = new ArrayList<>();
    while (buf.remaining() >= HEADER_LENGTH) {
      int start = buf.position();
      int len = buf.getInt(start);
      if (len < HEADER_LENGTH || len > buf.limit() - start) {
        break;
      }
      int type = Short.toUnsignedInt(buf.getShort(start + 4));
      int flags = Short.toUnsignedInt(buf.getShort(start + 6));
      int seq = buf.getInt(start + 8);
      int pid = buf.getInt(start + 12);
      ByteBuffer payload =
          buf.slice(start + HEADER_LENGTH, len - HEADER_LENGTH).order(ORDER).asReadOnlyBuffer();
      messages.add(new NetlinkMessage(type, flags, seq, pid, payload.order(ORDER)));
      buf.position(Math.min(buf.limit(), start + align(len)));
    }
    return messages;
  }

  /**
   * Attributes (struct rtattr / nlattr: u16 length, u16 type, value padded to 4) starting at {@code
   * offset} of the payload; the last one of a type wins. The type's nested/byte-order bits are
   * masked off.
   */
  Map<Integer, byte[]> attributes(int offset) {
    return attributes(payload, offset);
  }

  static Map<Integer, byte[]> attributes(ByteBuffer payload, int offset) {
    Map<Integer, byte[]> attrs = new LinkedHashMap<>();
    int pos = offset;
    while (pos + 4 <= payload.limit()) {
      int len = Short.toUnsignedInt(payload.getShort(pos));
      int type = Short.toUnsignedInt(payload.getShort(pos + 2)) & 0x3fff;
      if (len < 4 || pos + len > payload.limit()) {
        break;
      }
      byte[] value = new byte[len - 4];
      payload.get(pos + 4, value);
      attrs.put(type, value);
      pos += align(len);
    }
    return attrs;
  }

  /** Builds one request: header, a fixed struct, attributes. */
  static final class Builder {
    private final ByteBuffer buf = ByteBuffer.allocate(4096).order(ORDER);

    Builder(int type, int flags, int sequence) {
      buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(0);
    }

    Builder u8(int value) {
      buf.put((byte) value);
      return this;
    }

    Builder u16(int value) {
      buf.putShort((short) value);
      return this;
    }

    Builder u32(int value) {
      buf.putInt(value);
      return this;
    }

    /** An attribute with raw bytes (addresses: network order, as given). */
    Builder attribute(int type, byte[] value) {
      buf.putShort((short) (4 + value.length)).putShort((short) type).put(value);
      pad();
      return this;
    }

    Builder attributeU32(int type, int value) {
      return attribute(type, ByteBuffer.allocate(4).order(ORDER).putInt(value).array());
    }

    /** A NUL-terminated string attribute (IFA_LABEL, IFLA_IFNAME). */
    Builder attributeString(int type, String value) {
      byte[] ascii = value.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] z = java.util.Arrays.copyOf(ascii, ascii.length + 1);
      return attribute(type, z);
    }

    private void pad() {
      while (buf.position() % 4 != 0) {
        buf.put((byte) 0);
      }
    }

    byte[] build() {
      pad();
      int len = buf.position();
      buf.putInt(0, len);
      byte[] out = new byte[len];
      buf.get(0, out);
      return out;
    }
  }
}
