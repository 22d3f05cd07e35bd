package dev.floatip.dataplane.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Pointer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The msghdr reused for every sendmsg / recvmsg of a socket (JNA memory, no system call). */
class MessageHeaderTest {

  @Test
  void successiveMessagesReuseTheSameBuffersWithTheirOwnLength() {
    MessageHeader m = new MessageHeader(28, RawVrrpSocket.MAX_MESSAGE, MessageHeader.space(12));
    Pointer data = m.data;
    byte[] first = new byte[40];
    Arrays.fill(first, (byte) 7);
    byte[] second = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    for (byte[] message : List.of(first, second, first)) {
      m.setData(message);
      assertEquals(message.length, m.dataLength());
      assertEquals(message.length, m.iov.getLong(8), "iov_len");
      assertEquals(Pointer.nativeValue(m.data), Pointer.nativeValue(m.iov.getPointer(0)));
      assertArrayEquals(message, m.data.getByteArray(0, message.length));
      assertSame(data, m.data, "no new buffer");
      assertEquals(Pointer.nativeValue(m.iov), Pointer.nativeValue(m.header.getPointer(16)));
      assertEquals(1, m.header.getLong(24), "msg_iovlen");
    }
  }

  @Test
  void controlMessageAndNameLengths() {
    MessageHeader m = new MessageHeader(28, 64, MessageHeader.space(20));
    byte[] pktinfo = new byte[12];
    pktinfo[0] = 3;
    m.putControl(0, 8, pktinfo);
    assertEquals(MessageHeader.space(12), m.controlLength(), "msg_controllen = CMSG_SPACE(12)");
    assertEquals(32, m.controlLength());
    assertEquals(16 + 12, m.control.getLong(0), "cmsg_len = CMSG_LEN(12)");
    assertEquals(0, m.control.getInt(8));
    assertEquals(8, m.control.getInt(12));
    assertEquals(3, m.control.getByte(16));
    m.nameLength(16);
    assertEquals(16, m.nameLength());
    m.setData(new byte[10]); // data does not touch the name or control lengths
    assertEquals(16, m.nameLength());
    assertEquals(32, m.controlLength());
  }

  @Test
  void prepareReceiveOffersTheWholeBuffersAgain() {
    MessageHeader m = new MessageHeader(28, 1024, 96);
    m.setData(new byte[10]);
    m.nameLength(16);
    m.header.setLong(40, 20); // as recvmsg leaves it
    m.header.setInt(48, LibC.MSG_TRUNC);
    m.prepareReceive();
    assertEquals(1024, m.dataLength());
    assertEquals(28, m.nameLength());
    assertEquals(96, m.controlLength());
    assertEquals(0, m.flags());
  }

  @Test
  void controlMessagesAreVisitedInPlace() {
    MessageHeader m = new MessageHeader(28, 64, 96);
    // two cmsgs as recvmsg writes them: IPV6_HOPLIMIT (int) then IPV6_PKTINFO (20 bytes)
    m.control.setLong(0, 16 + 4);
    m.control.setInt(8, LibC.IPPROTO_IPV6);
    m.control.setInt(12, LibC.IPV6_HOPLIMIT);
    m.control.setInt(16, 255);
    m.control.setLong(24, 16 + 20);
    m.control.setInt(32, LibC.IPPROTO_IPV6);
    m.control.setInt(36, LibC.IPV6_PKTINFO);
    m.header.setLong(40, 24 + MessageHeader.space(20));
    List<int[]> seen = new java.util.ArrayList<>();
    m.forEachControl((level, type, offset, length) -> seen.add(new int[] {type, offset, length}));
    assertEquals(2, seen.size());
    assertArrayEquals(new int[] {LibC.IPV6_HOPLIMIT, 16, 4}, seen.get(0));
    assertArrayEquals(new int[] {LibC.IPV6_PKTINFO, 40, 20}, seen.get(1));
    assertEquals(255, m.control.getInt(seen.get(0)[1]));
  }

  @Test
  void tooLargeIsRefusedNotWrittenPastTheBuffer() {
    MessageHeader m = new MessageHeader(28, 16, MessageHeader.space(12));
    assertThrows(IllegalArgumentException.class, () -> m.setData(new byte[17]));
    assertThrows(IllegalArgumentException.class, () -> m.putControl(0, 8, new byte[20]));
    assertThrows(IllegalArgumentException.class, () -> m.nameLength(29));
  }

  /** A send only copies the message into the header's buffer: no allocation per packet. */
  @Test
  void settingTheNextMessageAllocatesNothing() {
    MessageHeader m = new MessageHeader(28, RawVrrpSocket.MAX_MESSAGE, MessageHeader.space(12));
    byte[][] messages = {new byte[20], new byte[40], new byte[1200]};
    var threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 2; round++) { // the first round warms up
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 100_000; i++) {
        m.setData(messages[i % 3]);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      if (round == 1) {
        assertEquals(0, allocated / 100_000, allocated + " bytes for 100 000 messages");
      }
    }
  }
}
