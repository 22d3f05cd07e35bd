package dev.floatip.dataplane.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * struct msghdr with one iovec for sendmsg(2)/recvmsg(2), laid out for LP64 Linux: name ptr @0,
 * namelen u32 @8, iov ptr @16, iovlen size_t @24, control ptr @32, controllen size_t @40, flags
 * int @48 (56 bytes); iovec {base ptr, len size_t} (16 bytes). Control messages (cmsg(3)): cmsghdr
 * {size_t len; int level; int type} (16 bytes), data 8-byte aligned.
 *
 * <p>Allocated once per socket and direction with room for the largest message, then reused for
 * every call: native memory allocated per packet (five {@link Memory} objects, each with its
 * cleaner reference) was most of the cost of an advert and filled the old generation. Not
 * thread-safe: one caller at a time.
 */
final class MessageHeader {
  static final int CMSG_HEADER = 16;
  private static final int HEADER = 56;
  private static final int IOVEC = 16;

  final Memory header = new Memory(HEADER);
  final Memory iov = new Memory(IOVEC);
  final Memory name;
  final Memory data;
  final Memory control;
  private final int nameCapacity;
  private final int dataCapacity;
  private final int controlCapacity;

  MessageHeader(int nameCapacity, int dataCapacity, int controlCapacity) {
    this.nameCapacity = nameCapacity;
    this.dataCapacity = dataCapacity;
    this.controlCapacity = controlCapacity;
    name = new Memory(Math.max(nameCapacity, 1));
    data = new Memory(Math.max(dataCapacity, 1));
    control = controlCapacity == 0 ? null : new Memory(controlCapacity);
    header.clear();
    iov.setPointer(0, data);
    header.setPointer(0, name);
    header.setPointer(16, iov);
    header.setLong(24, 1);
    header.setPointer(32, control == null ? Pointer.NULL : control);
    prepareReceive();
  }

  /** Offers the whole buffers to recvmsg again (it overwrites namelen, controllen and flags). */
  void prepareReceive() {
    iov.setLong(8, dataCapacity);
    header.setInt(8, nameCapacity);
    header.setLong(40, controlCapacity);
    header.setInt(48, 0);
  }

  int dataCapacity() {
    return dataCapacity;
  }

  /** Copies {@code message} into the data buffer and sets the iovec's length to it. */
  void setData(byte[] message) {
    if (message.length > dataCapacity) {
      throw new IllegalArgumentException(
          "message of " + message.length + " bytes exceeds the " + dataCapacity + "-byte buffer");
    }
    data.write(0, message, 0, message.length);
    iov.setLong(8, message.length);
  }

  /** The iovec's length: what sendmsg sends. */
  int dataLength() {
    return (int) iov.getLong(8);
  }

  /** Sets msg_namelen after the caller wrote a socket address of that length into {@link #name}. */
  void nameLength(int length) {
    if (length > nameCapacity) {
      throw new IllegalArgumentException("socket address of " + length + " bytes does not fit");
    }
    header.setInt(8, length);
  }

  int nameLength() {
    return header.getInt(8);
  }

  int controlLength() {
    return (int) header.getLong(40);
  }

  int flags() {
    return header.getInt(48);
  }

  static int align(int length) {
    return (length + 7) & ~7;
  }

  /** CMSG_SPACE: room for one control message with {@code dataLength} bytes. */
  static int space(int dataLength) {
    return CMSG_HEADER + align(dataLength);
  }

  /** Writes one control message at the start of {@link #control} and sets msg_controllen to it. */
  void putControl(int level, int type, byte[] value) {
    int space = space(value.length);
    if (control == null || space > controlCapacity) {
      throw new IllegalArgumentException("control message of " + space + " bytes does not fit");
    }
    control.clear(space);
    control.setLong(0, CMSG_HEADER + value.length);
    control.setInt(8, level);
    control.setInt(12, type);
    control.write(CMSG_HEADER, value, 0, value.length);
    header.setLong(40, space);
  }

  /**
   * Visits the control messages recvmsg returned; the visitor reads the value in {@link #control}
   * at {@code offset} ({@code length} bytes), nothing is copied.
   */
  void forEachControl(ControlVisitor visitor) {
    int end = controlLength();
    int pos = 0;
    while (pos + CMSG_HEADER <= end) {
      int len = (int) control.getLong(pos);
      if (len < CMSG_HEADER || pos + len > end) {
        return;
      }
      visitor.visit(
          control.getInt(pos + 8), control.getInt(pos + 12), pos + CMSG_HEADER, len - CMSG_HEADER);
      pos += align(len);
    }
  }

  @FunctionalInterface
  interface ControlVisitor {
    void visit(int level, int type, int offset, int length);
  }
}
