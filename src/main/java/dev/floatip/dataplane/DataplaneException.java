package dev.floatip.dataplane;

/** Thrown only by {@link IoResult#orElseThrow()}, for callers that choose to fail hard. */
public final class DataplaneException extends RuntimeException {
  private final transient IoResult.Failed<?> failure;

  public DataplaneException(IoResult.Failed<?> failure) {
    super(failure.message());
    this.failure = failure;
  }

  public IoResult.Failed<?> failure() {
    return failure;
  }
}
