package dev.floatip.tracking;

import java.util.concurrent.CompletableFuture;

/** One run of a periodic check (a script, a TCP connect, an HTTP request). */
interface Attempt {

  /** The result of one attempt: success, and a short message for status. */
  record Outcome(boolean ok, String message) {}

  /** Completes when the attempt is over; never exceptionally. */
  CompletableFuture<Outcome> result();

  /** Stops the attempt (the check is closing); its result may then never complete. */
  void cancel();

  static Attempt done(Outcome outcome) {
    CompletableFuture<Outcome> result = CompletableFuture.completedFuture(outcome);
    return of(result, () -> {});
  }

  static Attempt of(CompletableFuture<Outcome> result, Runnable cancel) {
    return new Attempt() {
      @Override
      public CompletableFuture<Outcome> result() {
        return result;
      }

      @Override
      public void cancel() {
        cancel.run();
      }
    };
  }
}
