package dev.floatip.notify;

/**
 * Tunables shared by every VirtualIP's notifications.
 *
 * @param queueCapacity transitions that may wait per VirtualIP and channel (script, mail, webhook)
 *     while one is being delivered; beyond it the oldest waiting one is dropped with a warning
 * @param webhookBackoff retries of a failed webhook POST
 */
public record NotifyOptions(int queueCapacity, Backoff webhookBackoff) {

  public static final int QUEUE_CAPACITY = 256;

  public static final NotifyOptions DEFAULT = new NotifyOptions(QUEUE_CAPACITY, Backoff.DEFAULT);

  public NotifyOptions {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be at least 1");
    }
    java.util.Objects.requireNonNull(webhookBackoff, "webhookBackoff");
  }

  public NotifyOptions withWebhookBackoff(Backoff backoff) {
    return new NotifyOptions(queueCapacity, backoff);
  }

  public NotifyOptions withQueueCapacity(int capacity) {
    return new NotifyOptions(capacity, webhookBackoff);
  }
}
