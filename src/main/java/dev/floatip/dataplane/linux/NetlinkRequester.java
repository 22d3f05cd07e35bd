package dev.floatip.dataplane.linux;

import static dev.floatip.dataplane.linux.Rtnetlink.*;

import dev.floatip.dataplane.Errno;
import dev.floatip.dataplane.IoResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Request/response over one NETLINK_ROUTE socket: sends a request and collects the replies with its
 * sequence number until the ACK (NLMSG_ERROR with error 0), NLMSG_DONE, or the single reply of a
 * non-dump GET. Requests are serialized.
 */
final class NetlinkRequester implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final int DUMP_RETRIES = 3;

  private final NetlinkSocket socket;
  private int sequence = (int) (System.nanoTime() & 0x3fff_ffff);

  private NetlinkRequester(NetlinkSocket socket) {
    this.socket = socket;
  }

  static IoResult<NetlinkRequester> open() {
    return NetlinkSocket.open(TIMEOUT).map(NetlinkRequester::new);
  }

  synchronized int nextSequence() {
    return ++sequence;
  }

  /**
   * Sends {@code request} (built with {@code seq}) and returns the data messages of the reply. A
   * dump interrupted by a concurrent change (NLM_F_DUMP_INTR) is repeated.
   */
  synchronized IoResult<List<NetlinkMessage>> request(
      java.util.function.IntFunction<byte[]> request, String operation) {
    for (int attempt = 1; ; attempt++) {
      int seq = nextSequence();
      IoResult<Exchange> result =
          socket.send(request.apply(seq), operation).flatMap(ok -> collect(seq, operation));
      if (result instanceof IoResult.Ok<Exchange> ok
          && ok.value().interrupted()
          && attempt < DUMP_RETRIES) {
        continue;
      }
      return result.map(Exchange::messages);
    }
  }

  private record Exchange(List<NetlinkMessage> messages, boolean interrupted) {}

  private IoResult<Exchange> collect(int seq, String operation) {
    List<NetlinkMessage> messages = new ArrayList<>();
    boolean interrupted = false;
    while (true) {
      IoResult<Optional<List<NetlinkMessage>>> received = socket.receive(operation);
      if (received instanceof IoResult.Failed<Optional<List<NetlinkMessage>>> f) {
        return f.cast();
      }
      Optional<List<NetlinkMessage>> batch = received.orElseThrow();
      if (batch.isEmpty()) {
        return IoResult.failed(Errno.ETIMEDOUT, operation, "no reply from the kernel");
      }
      for (NetlinkMessage m : batch.get()) {
        if (m.sequence() != seq) {
          continue; // a late reply to an earlier request that timed out
        }
        interrupted |= (m.flags() & NLM_F_DUMP_INTR) != 0;
        switch (m.type()) {
          case NLMSG_ERROR -> {
            RouteCodec.Ack ack = RouteCodec.decodeError(m);
            return ack.errno() == 0
                ? IoResult.ok(new Exchange(messages, interrupted))
                : IoResult.failed(ack.errno(), operation, ack.message());
          }
          case NLMSG_DONE -> {
            return IoResult.ok(new Exchange(messages, interrupted));
          }
          case NLMSG_NOOP, NLMSG_OVERRUN -> {}
          default -> {
            messages.add(m);
            if ((m.flags() & NLM_F_MULTI) == 0) {
              return IoResult.ok(new Exchange(messages, interrupted));
            }
          }
        }
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
