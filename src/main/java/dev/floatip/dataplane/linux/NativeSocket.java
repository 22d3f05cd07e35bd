package dev.floatip.dataplane.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.floatip.dataplane.Errno;
import dev.floatip.dataplane.IoResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * A socket file descriptor shared by threads. Calls run under {@link #use} (or {@link #acquire} /
 * {@link #release}); {@link #close()} while a call is blocked defers the close(2) to the moment
 * that call returns, so the descriptor number is never reused under a running call.
 *
 * <p>A receiving socket blocks in {@link #awaitReadable} (poll(2) on the socket and an eventfd(2))
 * rather than in recv with SO_RCVTIMEO: every expired timeout came back as EAGAIN, which JNA turns
 * into an exception, several times a second per socket. {@link #close()} writes to the eventfd,
 * which wakes the poll at once.
 */
final class NativeSocket implements AutoCloseable {
  private static final int POLLFD = 8;

  private final int fd;
  private final String description;
  private int users;
  private boolean closing;
  private boolean closed;

  /** The eventfd that wakes {@link #awaitReadable}; -1 until {@link #enableWakeup()}. */
  private int wakeFd = -1;

  /** Two struct pollfd (socket, eventfd), filled once; poll(2) only writes revents. */
  private Memory pollFds;

  /** The 8-byte counter written to the eventfd by close. */
  private Memory one;

  private NativeSocket(int fd, String description) {
    this.fd = fd;
    this.description = description;
  }

  static IoResult<NativeSocket> open(int domain, int type, int protocol, String description) {
    return Syscall.run(
            "socket(" + description + ")",
            () -> LibC.socket(domain, type | LibC.SOCK_CLOEXEC, protocol))
        .map(fd -> new NativeSocket(fd, description));
  }

  /** Runs {@code body} with the descriptor; EBADF once the socket is closing. */
  <T> IoResult<T> use(String operation, IntFunction<IoResult<T>> body) {
    if (!acquire()) {
      return IoResult.failed(Errno.EBADF, operation, "socket closed");
    }
    try {
      return body.apply(fd);
    } finally {
      release();
    }
  }

  /**
   * Marks a call as running on the descriptor ({@link #fd()}); false once the socket is closing.
   * Every true must be followed by one {@link #release()}. For the paths that must not allocate.
   */
  synchronized boolean acquire() {
    if (closing) {
      return false;
    }
    users++;
    return true;
  }

  /** The descriptor; only between {@link #acquire()} and {@link #release()}. */
  int fd() {
    return fd;
  }

  /**
   * Creates the eventfd that lets {@link #close()} wake a thread blocked in {@link #awaitReadable}.
   * Call once, before the socket is shared.
   */
  IoResult<Void> enableWakeup() {
    IoResult<Integer> efd =
        Syscall.run(
            "eventfd for " + description,
            () -> LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK));
    if (efd instanceof IoResult.Failed<Integer> f) {
      return f.cast();
    }
    wakeFd = efd.orElseThrow();
    pollFds = new Memory(2 * POLLFD);
    pollFds.clear();
    pollFds.setInt(0, fd);
    pollFds.setShort(4, LibC.POLLIN);
    pollFds.setInt(POLLFD, wakeFd);
    pollFds.setShort(POLLFD + 4, LibC.POLLIN);
    one = new Memory(8);
    one.setLong(0, 1);
    return IoResult.ok();
  }

  /**
   * Waits until the socket has something to read (or an error to report: poll(2) flags it readable)
   * or {@code timeoutMillis} passed (-1: no limit). Between {@link #acquire()} and {@link
   * #release()}, one thread at a time, after {@link #enableWakeup()}.
   *
   * @return 1 readable, 0 timed out or interrupted by a signal, -1 the socket is closing
   * @throws LastErrorException when poll fails otherwise
   */
  int awaitReadable(int timeoutMillis) {
    int ready;
    try {
      ready = LibC.poll(pollFds, 2, timeoutMillis);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Errno.EINTR) {
        return 0;
      }
      throw e;
    }
    if (ready <= 0) {
      return 0;
    }
    if (pollFds.getShort(POLLFD + 6) != 0) {
      return -1; // only close() writes to the eventfd
    }
    return pollFds.getShort(6) != 0 ? 1 : 0;
  }

  void release() {
    boolean closeNow;
    synchronized (this) {
      users--;
      closeNow = closing && users == 0 && !closed;
      closed |= closeNow;
    }
    if (closeNow) {
      closeDescriptors();
    }
  }

  private void closeDescriptors() {
    Syscall.exec("close", () -> LibC.close(fd));
    if (wakeFd >= 0) {
      Syscall.exec("close eventfd", () -> LibC.close(wakeFd));
    }
  }

  IoResult<Void> setOption(int level, int name, byte[] value, String what) {
    String operation = "setsockopt " + what + " on " + description;
    return use(
        operation,
        fd -> Syscall.exec(operation, () -> LibC.setsockopt(fd, level, name, value, value.length)));
  }

  IoResult<Void> setInt(int level, int name, int value, String what) {
    return setOption(level, name, nativeBytes(4).putInt(value).array(), what);
  }

  /** SO_RCVTIMEO: struct timeval {long tv_sec; long tv_usec} (16 bytes on LP64). */
  IoResult<Void> setReceiveTimeout(Duration timeout) {
    long micros = Math.max(1, timeout.toNanos() / 1000);
    byte[] tv = nativeBytes(16).putLong(micros / 1_000_000).putLong(micros % 1_000_000).array();
    return setOption(LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, tv, "SO_RCVTIMEO");
  }

  /** SO_BINDTODEVICE takes the NUL-terminated interface name (socket(7)). */
  IoResult<Void> bindToDevice(String interfaceName) {
    byte[] name = interfaceName.getBytes(StandardCharsets.US_ASCII);
    return setOption(
        LibC.SOL_SOCKET,
        LibC.SO_BINDTODEVICE,
        Arrays.copyOf(name, name.length + 1),
        "SO_BINDTODEVICE " + interfaceName);
  }

  static ByteBuffer nativeBytes(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
  }

  @Override
  public void close() {
    boolean closeNow;
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      closeNow = users == 0;
      closed |= closeNow;
      if (!closeNow && wakeFd >= 0) {
        // a receiver may be blocked in poll: wake it; its release() then closes both descriptors
        // (under the lock, so that release cannot close the eventfd before this write)
        Syscall.exec("wake " + description, () -> LibC.write(wakeFd, one, 8));
      }
    }
    if (closeNow) {
      closeDescriptors();
    }
  }

  @Override
  public String toString() {
    return description + " fd " + fd;
  }
}
