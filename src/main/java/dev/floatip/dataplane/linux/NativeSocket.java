package dev.floatip.dataplane.linux;

import dev.floatip.dataplane.Errno;
import dev.floatip.dataplane.IoResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * A socket file descriptor shared by threads. Calls run under {@link #use}; {@link #close()} while
 * a call is blocked (in recv with a timeout) defers the close(2) to the moment that call returns,
 * so the descriptor number is never reused under a running call.
 */
final class NativeSocket implements AutoCloseable {
  private final int fd;
  private final String description;
  private int users;
  private boolean closing;
  private boolean closed;

  private NativeSocket(int fd, String description) {
    this.fd = fd;
    this.description = description;
  }

  static IoResult<NativeSocket> open(int domain, int type, int protocol, String description) {
    return Syscall.run(
            "socket(" + description + ")",
            () -> LibC.INSTANCE.socket(domain, type | LibC.SOCK_CLOEXEC, protocol))
        .map(fd -> new NativeSocket(fd, description));
  }

  /** Runs {@code body} with the descriptor; EBADF once the socket is closing. */
  <T> IoResult<T> use(String operation, IntFunction<IoResult<T>> body) {
    synchronized (this) {
      if (closing) {
        return IoResult.failed(Errno.EBADF, operation, "socket closed");
      }
      users++;
    }
    try {
      return body.apply(fd);
    } finally {
      release();
    }
  }

  private void release() {
    boolean closeNow;
    synchronized (this) {
      users--;
      closeNow = closing && users == 0 && !closed;
      closed |= closeNow;
    }
    if (closeNow) {
      Syscall.exec("close", () -> LibC.INSTANCE.close(fd));
    }
  }

  IoResult<Void> setOption(int level, int name, byte[] value, String what) {
    String operation = "setsockopt " + what + " on " + description;
    return use(
        operation,
        fd ->
            Syscall.exec(
                operation, () -> LibC.INSTANCE.setsockopt(fd, level, name, value, value.length)));
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
    }
    if (closeNow) {
      Syscall.exec("close", () -> LibC.INSTANCE.close(fd));
    }
  }

  @Override
  public String toString() {
    return description + " fd " + fd;
  }
}
