package dev.floatip.dataplane;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of one dataplane call. Adapters never let an exception escape to the caller's thread:
 * a failed system call or netlink request becomes {@link Failed} with the errno name.
 *
 * @param <T> the value of a successful call ({@code Void} when there is none)
 */
public sealed interface IoResult<T> {

  /** The call succeeded. {@code value} is {@code null} for {@code IoResult<Void>}. */
  record Ok<T>(T value) implements IoResult<T> {}

  /**
   * The call failed.
   *
   * @param errnoName symbolic errno, e.g. {@code EPERM}, {@code ENODEV}
   * @param errno the positive errno number (Linux generic numbering)
   * @param operation what was attempted, e.g. {@code "RTM_NEWADDR 192.0.2.10/24 dev eth0"}
   * @param detail extra text from the kernel (netlink extended ack) or the adapter; may be empty
   */
  record Failed<T>(String errnoName, int errno, String operation, String detail)
      implements IoResult<T> {
    public Failed {
      Objects.requireNonNull(errnoName, "errnoName");
      Objects.requireNonNull(operation, "operation");
      detail = detail == null ? "" : detail;
    }

    /** A one-line description for logs and status messages. */
    public String message() {
      return operation
          + ": "
          + errnoName
          + " ("
          + Errno.description(errno)
          + ")"
          + (detail.isEmpty() ? "" : ": " + detail);
    }

    /** The same failure typed for another result. */
    @SuppressWarnings("unchecked")
    public <U> Failed<U> cast() {
      return (Failed<U>) this;
    }
  }

  static <T> IoResult<T> ok(T value) {
    return new Ok<>(value);
  }

  /** The one {@code Ok(null)}: success of a call without a value allocates nothing. */
  IoResult<Void> OK = new Ok<>(null);

  static IoResult<Void> ok() {
    return OK;
  }

  static <T> IoResult<T> failed(int errno, String operation) {
    return new Failed<>(Errno.name(errno), errno, operation, "");
  }

  static <T> IoResult<T> failed(int errno, String operation, String detail) {
    return new Failed<>(Errno.name(errno), errno, operation, detail);
  }

  default boolean isOk() {
    return this instanceof Ok<T>;
  }

  default <U> IoResult<U> map(Function<? super T, ? extends U> f) {
    return switch (this) {
      case Ok<T> ok -> new Ok<>(f.apply(ok.value()));
      case Failed<T> failed -> failed.cast();
    };
  }

  default <U> IoResult<U> flatMap(Function<? super T, IoResult<U>> f) {
    return switch (this) {
      case Ok<T> ok -> f.apply(ok.value());
      case Failed<T> failed -> failed.cast();
    };
  }

  /** Runs {@code action} with the failure, if this is one; returns this for chaining. */
  default IoResult<T> ifFailed(java.util.function.Consumer<Failed<T>> action) {
    if (this instanceof Failed<T> failed) {
      action.accept(failed);
    }
    return this;
  }

  /** The value, or {@link DataplaneException} for callers that cannot go on without it. */
  default T orElseThrow() {
    return switch (this) {
      case Ok<T> ok -> ok.value();
      case Failed<T> failed -> throw new DataplaneException(failed);
    };
  }
}
