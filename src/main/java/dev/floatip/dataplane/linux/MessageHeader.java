package dev.floatip.dataplane.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * struct msghdr with one iovec for sendmsg(2)/recvmsg(2), laid out for LP64 Linux: name ptr @0,
 * namelen u32 @8, iov ptr @16, iovlen size_t @24, control ptr @32, controllen size_t @40, flags
 * int @48 (56 bytes); iovec {base ptr, len size_t} (16 bytes). Control messages (cmsg(3)): cmsghdr
 * {size_t len; int level; int type} (16 bytes), data 8-byte aligned.
 */
final class MessageHeader {
  static final int CMSG_HEADER = 16;

  final Memory header = new Memory(56);
  final Memory iov = new Memory(16);
  final Memory name;
  final Memory data;
  final Memory control;

  MessageHeader(int nameLength, int dataLength, int controlLength) {
    name = new Memory(Math.max(nameLength, 1));
    data = new Memory(Math.max(dataLength, 1));
    control = controlLength == 0 ? null : new Memory(controlLength);
    reset(nameLength, dataLength, controlLength);
  }

  /** Points the header at the buffers again (recvmsg overwrites namelen, controllen, flags). */
  void reset(int nameLength, int dataLength, int controlLength) {
    iov.setPointer(0, data);
    iov.setLong(8, dataLength);
    header.setPointer(0, name);
    header.setInt(8, nameLength);
    header.setPointer(16, iov);
    header.setLong(24, 1);
    header.setPointer(32, control == null ? Pointer.NULL : control);
    header.setLong(40, controlLength);
    header.setInt(48, 0);
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

  /** Writes one control message at the start of {@link #control}. */
  void putControl(int level, int type, byte[] value) {
    control.setLong(0, CMSG_HEADER + value.length);
    control.setInt(8, level);
    control.setInt(12, type);
    control.write(CMSG_HEADER, value, 0, value.length);
  }

  /** Visits the control messages recvmsg returned. */
  void forEachControl(ControlVisitor visitor) {
    int end = controlLength();
    int pos = 0;
    while (pos + CMSG_HEADER <= end) {
      int len = (int) control.getLong(pos);
      if (len < CMSG_HEADER || pos + len > end) {
        return;
      }
      byte[] value = control.getByteArray(pos + CMSG_HEADER, len - CMSG_HEADER);
      visitor.visit(control.getInt(pos + 8), control.getInt(pos + 12), value);
      pos += align(len);
    }
  }

  @FunctionalInterface
  interface ControlVisitor {
    void visit(int level, int type, byte[] value);
  }
}
