package dev.floatip.dataplane.linux;

import com.sun.jna.LastErrorException;
import dev.floatip.dataplane.Errno;
import dev.floatip.dataplane.IoResult;

/** Runs native calls and turns every failure into {@link IoResult.Failed}. */
final class Syscall {
  private Syscall() {}

  @FunctionalInterface
  interface NativeCall<T> {
    T call() throws LastErrorException;
  }

  static <T> IoResult<T> run(String operation, NativeCall<T> call) {
    try {
      return IoResult.ok(call.call());
    } catch (LastErrorException e) {
      return IoResult.failed(e.getErrorCode(), operation);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
      return IoResult.failed(38, operation, "native library unavailable: " + e.getMessage());
    } catch (RuntimeException e) {
      return IoResult.failed(Errno.EINVAL, operation, e.toString());
    }
  }

  /** As {@link #run} for calls whose return value does not matter. */
  static IoResult<Void> exec(String operation, NativeCall<?> call) {
    return run(operation, call).map(ignored -> null);
  }
}
