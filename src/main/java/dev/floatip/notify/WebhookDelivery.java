package dev.floatip.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * POSTs each transition as JSON to a URL. Retries connection failures and the statuses that say
 * "try again" (408, 429, 5xx) with exponential backoff; other statuses are final. Body:
 *
 * <pre>{@code
 * {"vip":"dns","family":"IPv4","node":"node-a","from":"BACKUP","to":"MASTER","state":"MASTER",
 *  "priority":100,"reason":"MASTER_DOWN","timestamp":"2025-01-01T12:00:00.123Z"}
 * }</pre>
 *
 * {@code from}/{@code to} are the VRRP states (INITIALIZE included); {@code state} is the
 * keepalived word the hooks get (STOP for a shutdown).
 */
final class WebhookDelivery implements Delivery {

  private static final Logger LOG = Logger.getLogger(WebhookDelivery.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final URI url;
  private final Duration timeout;
  private final Backoff backoff;

  WebhookDelivery(HttpClient client, URI url, Duration timeout, Backoff backoff) {
    this.client = client;
    this.url = url;
    this.timeout = timeout;
    this.backoff = backoff;
  }

  @Override
  public String kind() {
    return "webhook";
  }

  static String json(Transition t) {
    ObjectNode o = JSON.createObjectNode();
    o.put("vip", t.vip());
    o.put("family", t.familyName());
    o.put("node", t.node());
    o.put("from", t.from().name());
    o.put("to", t.to().name());
    o.put("state", t.stateWord());
    o.put("priority", t.priority());
    o.put("reason", t.reason().name());
    o.put("timestamp", t.at().toString());
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void deliver(Transition t) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "floatip")
            .POST(HttpRequest.BodyPublishers.ofString(json(t)))
            .build();
    for (int attempt = 1; ; attempt++) {
      String failure;
      try {
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          LOG.debugf(
              "notify %s %s: webhook answered %d (try %d)",
              t.vip(), t.stateWord(), status, attempt);
          return;
        }
        if (!retryable(status)) {
          LOG.warnf(
              "notify %s %s: webhook %s answered %d; not retried",
              t.vip(), t.stateWord(), url, status);
          return;
        }
        failure = "HTTP " + status;
      } catch (IOException e) {
        failure = describe(e);
      }
      if (attempt >= backoff.attempts()) {
        LOG.warnf(
            "notify %s %s: webhook %s failed %d times, giving up; last: %s",
            t.vip(), t.stateWord(), url, attempt, failure);
        return;
      }
      Duration wait = backoff.delayAfter(attempt);
      LOG.infof(
          "notify %s %s: webhook %s failed (%s), try %d of %d in %d ms",
          t.vip(), t.stateWord(), url, failure, attempt + 1, backoff.attempts(), wait.toMillis());
      Thread.sleep(wait);
    }
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null) {
        sb.append(": ").append(c.getMessage());
        break;
      }
    }
    return sb.toString();
  }

  static boolean retryable(int status) {
    return status == 408 || status == 429 || status >= 500;
  }
}
