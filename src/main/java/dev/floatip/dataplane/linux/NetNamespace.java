package dev.floatip.dataplane.linux;

import dev.floatip.dataplane.IoResult;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs code inside a named network namespace ({@code ip netns add NAME}, i.e. {@code
 * /var/run/netns/NAME}). The network namespace is a per-thread attribute on Linux: setns(2) with
 * CLONE_NEWNET moves only the calling thread, and threads it starts inherit it. Sockets stay in the
 * namespace they were created in, whichever thread uses them later. So: create the dataplane
 * objects on a namespace thread, then use them from anywhere.
 */
public final class NetNamespace {
  private static final String RUN_DIR = "/var/run/netns/";

  private NetNamespace() {}

  /**
   * Moves the <em>current</em> thread into the namespace, for good. Only for threads you own and
   * dedicate to it (see {@link #executor}); needs CAP_SYS_ADMIN.
   */
  public static IoResult<Void> enterCurrentThread(String name) {
    if (name.isEmpty() || name.contains("/")) {
      return IoResult.failed(22, "setns " + name, "invalid namespace name");
    }
    String path = RUN_DIR + name;
    return Syscall.run("open " + path, () -> LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC))
        .flatMap(
            fd -> {
              IoResult<Void> r =
                  Syscall.exec("setns " + path, () -> LibC.setns(fd, LibC.CLONE_NEWNET));
              Syscall.exec("close", () -> LibC.close(fd));
              return r;
            });
  }

  /**
   * A single-thread executor whose thread lives in the namespace. Shut it down when done (the
   * thread keeps the namespace alive).
   */
  public static IoResult<ExecutorService> executor(String name) {
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "netns-" + name);
              t.setDaemon(true);
              return t;
            });
    try {
      IoResult<Void> entered = executor.submit(() -> enterCurrentThread(name)).get();
      if (entered instanceof IoResult.Failed<Void> f) {
        executor.shutdownNow();
        return f.cast();
      }
      return IoResult.ok(executor);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
      return IoResult.failed(4, "setns " + name, "interrupted");
    } catch (ExecutionException e) {
      executor.shutdownNow();
      return IoResult.failed(22, "setns " + name, e.getCause().toString());
    }
  }

  /** Runs {@code task} on a fresh thread inside the namespace and waits for its result. */
  public static <T> T call(String name, Callable<T> task) throws Exception {
    ExecutorService executor = executor(name).orElseThrow();
    try {
      return executor.submit(task).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      executor.shutdown();
    }
  }
}
