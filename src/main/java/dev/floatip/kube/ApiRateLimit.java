package dev.floatip.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * A Fabric8 {@link Interceptor} that holds each request until the client's {@link TokenBucket} has
 * a token for it (Fabric8 has no client-side rate limit; client-go's default is 5 qps, burst 10). A
 * watch is one request when it is opened: its events cost nothing. The wait is bounded by {@link
 * #MAX_WAIT}: a request that would wait longer fails at once with a 429-like error, which the
 * callers already retry with backoff (the agent's status writer, the informers, the operator's
 * reconciler).
 *
 * <p>Fabric8 opens an informer's watch from the HTTP client's event loop (Vert.x) once its list
 * completed: that thread must never block, so such a request goes at once and only takes its token,
 * which the next request that may wait pays for. The rate holds on average.
 */
public final class ApiRateLimit implements Interceptor {

  private static final Logger LOG = Logger.getLogger(ApiRateLimit.class);

  /** The name under which the interceptor is added to the HTTP client. */
  public static final String NAME = "floatip-api-rate";

  /** The longest a request waits for its token. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(10);

  /** How the interceptor waits (injected so that tests run on a virtual clock). */
  public interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final TokenBucket bucket;
  private final Sleeper sleeper;
  private final BooleanSupplier mayWait;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong waited = new AtomicLong();

  /**
   * @param mayWait whether the calling thread may wait (not an event loop)
   */
  public ApiRateLimit(TokenBucket bucket, Sleeper sleeper, BooleanSupplier mayWait) {
    this.bucket = bucket;
    this.sleeper = sleeper;
    this.mayWait = mayWait;
  }

  public ApiRateLimit(TokenBucket bucket, Sleeper sleeper) {
    this(bucket, sleeper, () -> !Context.isOnEventLoopThread());
  }

  /** The limit of {@code rate} on the real clock. */
  public static ApiRateLimit of(ApiRate rate) {
    LongSupplier clock = System::nanoTime;
    return new ApiRateLimit(new TokenBucket(rate, clock), TimeUnit.NANOSECONDS::sleep);
  }

  /**
   * The same for a client whose I/O threads are not Vert.x's (the agent's JDK HttpClient): {@code
   * mayWait} says whether the calling thread may block.
   */
  public static ApiRateLimit of(ApiRate rate, BooleanSupplier mayWait) {
    LongSupplier clock = System::nanoTime;
    return new ApiRateLimit(new TokenBucket(rate, clock), TimeUnit.NANOSECONDS::sleep, mayWait);
  }

  /** Adds this limit to a Fabric8 HTTP client builder. */
  public void addTo(HttpClient.Builder builder) {
    builder.addOrReplaceInterceptor(NAME, this);
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    requests.incrementAndGet();
    if (!mayWait.getAsBoolean()) {
      bucket.reserve(Long.MAX_VALUE);
      return;
    }
    long wait = bucket.reserve(MAX_WAIT.toNanos());
    if (wait < 0) {
      throw new KubernetesClientException(
          "client-side API rate limit ("
              + bucket.rate().qps()
              + " requests/s, burst "
              + bucket.rate().burst()
              + ") would hold "
              + request.method()
              + " "
              + request.uri().getPath()
              + " longer than "
              + MAX_WAIT.toSeconds()
              + "s",
          429,
          null);
    }
    if (wait == 0) {
      return;
    }
    waited.addAndGet(wait);
    LOG.tracef(
        "%s %s waits %d ms for the API rate", request.method(), request.uri(), wait / 1_000_000);
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubernetesClientException("interrupted while waiting for the API rate limit", e);
    }
  }

  /** Requests seen so far. */
  public long requests() {
    return requests.get();
  }

  /** Nanoseconds requests waited in total. */
  public long waitedNanos() {
    return waited.get();
  }
}
