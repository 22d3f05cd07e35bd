package dev.floatip.dataplane.linux;

import com.sun.jna.Memory;
import dev.floatip.dataplane.IoResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/** Test helper: an AF_PACKET socket receiving every frame of one interface (packet(7)). */
final class FrameSniffer implements AutoCloseable {
  private static final int ETH_P_ALL = 0x0003;
  private final NativeSocket socket;
  private final Memory buffer = new Memory(65_536);

  private FrameSniffer(NativeSocket socket) {
    this.socket = socket;
  }

  /** Opens in the calling thread's namespace. */
  static FrameSniffer open(int ifindex) {
    NativeSocket s =
        NativeSocket.open(
                LibC.AF_PACKET,
                LibC.SOCK_RAW,
                Short.toUnsignedInt(Short.reverseBytes((short) ETH_P_ALL)),
                "sniffer")
            .orElseThrow();
    byte[] sll = SocketAddresses.sockaddrLl(ETH_P_ALL, ifindex, new byte[0]);
    s.use("bind", fd -> Syscall.exec("bind", () -> LibC.bind(fd, sll, sll.length))).orElseThrow();
    s.setReceiveTimeout(Duration.ofMillis(200)).orElseThrow();
    return new FrameSniffer(s);
  }

  /** The first frame matching {@code filter} within 10 s. */
  byte[] await(Predicate<byte[]> filter) {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      IoResult<Long> n =
          socket.use("recv", fd -> Syscall.run("recv", () -> LibC.recv(fd, buffer, 65_536, 0)));
      Optional<byte[]> frame =
          n instanceof IoResult.Ok<Long> ok
              ? Optional.of(buffer.getByteArray(0, (int) (long) ok.value()))
              : Optional.empty();
      if (frame.isPresent() && filter.test(frame.get())) {
        return frame.get();
      }
    }
    throw new AssertionError("no matching frame");
  }

  @Override
  public void close() {
    socket.close();
  }
}
