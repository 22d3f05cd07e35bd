package dev.floatip.tracking;

import dev.floatip.api.v1alpha1.HttpCheck;
import dev.floatip.api.v1alpha1.TcpCheck;
import dev.floatip.config.Durations;
import dev.floatip.config.IpLiteral;
import dev.floatip.tracking.Attempt.Outcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/** The built-in TCP connect and HTTP GET checks, as attempts for {@link PeriodicCheck}. */
final class NetworkChecks {

  private NetworkChecks() {}

  /** Connects to {@code address} (an IP literal: no DNS) within {@code timeout}, then closes. */
  static Supplier<Attempt> tcp(TcpCheck check, Duration timeout, ExecutorService blocking) {
    InetSocketAddress address;
    try {
      address = IpLiteral.socketAddress(check.address());
    } catch (IllegalArgumentException e) {
      Outcome invalid =
          new Outcome(false, "invalid address " + check.address() + ": " + e.getMessage());
      return () -> Attempt.done(invalid);
    }
    int millis = (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
    return () -> {
      CompletableFuture<Outcome> result =
          CompletableFuture.supplyAsync(() -> connect(address, millis, timeout), blocking);
      return Attempt.of(result, () -> result.cancel(true));
    };
  }

  private static Outcome connect(InetSocketAddress address, int millis, Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(address, millis);
      return new Outcome(true, "connected");
    } catch (SocketTimeoutException e) {
      return new Outcome(false, "no answer within " + Durations.format(timeout));
    } catch (ConnectException e) {
      return new Outcome(false, "connection refused");
    } catch (IOException e) {
      return new Outcome(false, PeriodicCheck.describe(e));
    }
  }

  /** GETs {@code url} and compares the status; the body is discarded, redirects not followed. */
  static Supplier<Attempt> http(HttpCheck check, Duration timeout, HttpClient client) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(check.url()))
              .timeout(timeout)
              .header("User-Agent", "floatip-check")
              .GET()
              .build();
    } catch (IllegalArgumentException e) {
      Outcome invalid = new Outcome(false, "invalid url " + check.url() + ": " + e.getMessage());
      return () -> Attempt.done(invalid);
    }
    int expected = check.expectedStatusOrDefault();
    // Backstop: the request timeout covers the time until the response headers.
    Duration limit = timeout.plus(timeout).plusSeconds(1);
    return () -> {
      CompletableFuture<HttpResponse<Void>> sent =
          client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
      CompletableFuture<Outcome> result =
          sent.orTimeout(limit.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)
              .handle(
                  (response, error) -> {
                    if (error != null) {
                      return new Outcome(false, httpFailure(error, timeout));
                    }
                    int status = response.statusCode();
                    return status == expected
                        ? new Outcome(true, "status " + status)
                        : new Outcome(false, "status " + status + ", expected " + expected);
                  });
      return Attempt.of(result, () -> sent.cancel(true));
    };
  }

  private static String httpFailure(Throwable error, Duration timeout) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof HttpTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
      return "no answer within " + Durations.format(timeout);
    }
    if (t instanceof ConnectException) {
      return "connection refused";
    }
    return PeriodicCheck.describe(t);
  }
}
