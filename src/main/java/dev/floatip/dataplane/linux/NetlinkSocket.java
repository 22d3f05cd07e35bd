package dev.floatip.dataplane.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.floatip.dataplane.Errno;
import dev.floatip.dataplane.IoResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A NETLINK_ROUTE socket (netlink(7), rtnetlink(7)). */
final class NetlinkSocket implements AutoCloseable {
  /** Large enough for any rtnetlink dump message (the kernel uses at most 32 KiB per skb). */
  private static final int BUFFER = 64 * 1024;

  private static final byte[] KERNEL = sockaddrNl(0);

  private final NativeSocket socket;
  private final Memory buffer = new Memory(BUFFER);

  /** Receives wait in poll(2) until a message comes or {@link #close()} wakes them. */
  private final boolean waitsForEvents;

  private NetlinkSocket(NativeSocket socket, boolean waitsForEvents) {
    this.socket = socket;
    this.waitsForEvents = waitsForEvents;
  }

  /**
   * Opens a socket for request/response: a receive gives up after {@code receiveTimeout} (the
   * kernel always answers; the timeout only guards against a lost reply).
   */
  static IoResult<NetlinkSocket> open(Duration receiveTimeout) {
    return open(0, s -> s.setReceiveTimeout(receiveTimeout), false);
  }

  /**
   * Opens a socket subscribed to the legacy group bitmask {@code groups}: {@link #receive} blocks
   * until an event comes, without a timeout, and {@link #close()} wakes it.
   */
  static IoResult<NetlinkSocket> subscribe(int groups) {
    return open(groups, NativeSocket::enableWakeup, true);
  }

  /**
   * Opens and binds a socket with the kernel-assigned port id, subscribed to {@code groups}, with
   * extended acks (error text from the kernel) and capped acks (no echo of the request).
   */
  private static IoResult<NetlinkSocket> open(
      int groups,
      java.util.function.Function<NativeSocket, IoResult<Void>> receiveMode,
      boolean waitsForEvents) {
    return NativeSocket.open(LibC.AF_NETLINK, LibC.SOCK_RAW, LibC.NETLINK_ROUTE, "netlink route")
        .flatMap(
            s -> {
              IoResult<Void> setup =
                  s.setInt(Rtnetlink.SOL_NETLINK, Rtnetlink.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK")
                      .flatMap(
                          ok ->
                              s.setInt(
                                  Rtnetlink.SOL_NETLINK,
                                  Rtnetlink.NETLINK_CAP_ACK,
                                  1,
                                  "NETLINK_CAP_ACK"))
                      .flatMap(ok -> receiveMode.apply(s))
                      .flatMap(
                          ok ->
                              s.use(
                                  "bind netlink",
                                  fd ->
                                      Syscall.exec(
                                          "bind netlink",
                                          () -> LibC.bind(fd, sockaddrNl(groups), 12))));
              if (setup instanceof IoResult.Failed<Void> f) {
                s.close();
                return f.cast();
              }
              return IoResult.ok(new NetlinkSocket(s, waitsForEvents));
            });
  }

  /** Asks for a large receive buffer (SO_RCVBUFFORCE needs CAP_NET_ADMIN; else SO_RCVBUF). */
  void enlargeReceiveBuffer(int size) {
    if (!socket.setInt(LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, size, "SO_RCVBUFFORCE").isOk()) {
      socket.setInt(LibC.SOL_SOCKET, LibC.SO_RCVBUF, size, "SO_RCVBUF");
    }
  }

  IoResult<Void> send(byte[] message, String operation) {
    return socket.use(
        operation,
        fd ->
            Syscall.exec(
                operation,
                () -> LibC.sendto(fd, message, message.length, 0, KERNEL, KERNEL.length)));
  }

  /**
   * One datagram's messages; {@code Ok(empty)} when the receive timeout expired (or a subscribed
   * socket's wait was interrupted by a signal). ENOBUFS means the kernel dropped messages for this
   * socket; EBADF that it was closed.
   */
  synchronized IoResult<Optional<List<NetlinkMessage>>> receive(String operation) {
    if (!socket.acquire()) {
      return IoResult.failed(Errno.EBADF, operation, "socket closed");
    }
    int length;
    try {
      int flags = 0;
      if (waitsForEvents) {
        int ready = socket.awaitReadable(-1);
        if (ready < 0) {
          return IoResult.failed(Errno.EBADF, operation, "socket closed");
        }
        if (ready == 0) {
          return IoResult.ok(Optional.empty());
        }
        flags = LibC.MSG_DONTWAIT;
      }
      length = (int) LibC.recv(socket.fd(), buffer, BUFFER, flags);
    } catch (LastErrorException e) {
      return e.getErrorCode() == Errno.EAGAIN || e.getErrorCode() == Errno.EINTR
          ? IoResult.ok(Optional.empty())
          : IoResult.failed(e.getErrorCode(), operation);
    } finally {
      socket.release();
    }
    // A fresh array per datagram: the parsed messages are views of it, and a dump spans several
    // datagrams (rtnetlink answers an AF_UNSPEC RTM_GETADDR dump one family per datagram, then
    // NLMSG_DONE). Reusing one array let each recv overwrite the messages collected before it, so
    // a dump lost or garbled addresses: a restarted agent then left a VIP its killed predecessor
    // had added (found by AgentFailoverIT, about one run in three).
    byte[] datagram = new byte[length];
    buffer.read(0, datagram, 0, length);
    return IoResult.ok(Optional.of(NetlinkMessage.parseAll(datagram, length)));
  }

  /** struct sockaddr_nl: u16 family, u16 pad, u32 port id, u32 groups (host order). */
  private static byte[] sockaddrNl(int groups) {
    return NativeSocket.nativeBytes(12)
        .putShort((short) LibC.AF_NETLINK)
        .putShort((short) 0)
        .putInt(0)
        .putInt(groups)
        .array();
  }

  @Override
  public void close() {
    socket.close();
  }
}
