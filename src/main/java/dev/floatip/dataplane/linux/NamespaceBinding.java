package dev.floatip.dataplane.linux;

import dev.floatip.dataplane.IoResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * Remembers the network namespace of the thread that created a dataplane, so sockets opened later
 * (from any thread) land in the same one. When the calling thread is already there — always, in the
 * agent — the work runs directly and no privilege beyond the socket's is needed; otherwise it runs
 * on a short-lived thread that setns(2)s into the remembered namespace (needs CAP_SYS_ADMIN, as in
 * tests that drive several namespaces from one JVM).
 */
final class NamespaceBinding implements AutoCloseable {
  private static final Path SELF = Path.of("/proc/thread-self/ns/net");

  private final String id;
  private final int fd;

  private NamespaceBinding(String id, int fd) {
    this.id = id;
    this.fd = fd;
  }

  /** Binds to the calling thread's namespace. */
  static NamespaceBinding current() {
    IoResult<Integer> fd =
        Syscall.run(
            "open " + SELF, () -> LibC.open(SELF.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC));
    return new NamespaceBinding(
        currentId(), fd instanceof IoResult.Ok<Integer> ok ? ok.value() : -1);
  }

  private static String currentId() {
    try {
      return Files.readSymbolicLink(SELF).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }

  /** Runs {@code body} with the calling thread in the bound namespace. */
  <T> IoResult<T> run(String operation, Supplier<IoResult<T>> body) {
    if (fd < 0 || id.equals(currentId())) {
      return body.get();
    }
    FutureTask<IoResult<T>> task =
        new FutureTask<>(
            () ->
                Syscall.exec("setns " + id, () -> LibC.setns(fd, LibC.CLONE_NEWNET))
                    .flatMap(ok -> body.get()));
    Thread t = new Thread(task, "netns-hop");
    t.setDaemon(true);
    t.start();
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return IoResult.failed(4, operation, "interrupted");
    } catch (ExecutionException e) {
      return IoResult.failed(22, operation, e.getCause().toString());
    }
  }

  @Override
  public void close() {
    if (fd >= 0) {
      Syscall.exec("close", () -> LibC.close(fd));
    }
  }
}
