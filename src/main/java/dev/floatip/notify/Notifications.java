package dev.floatip.notify;

import dev.floatip.api.v1alpha1.NotifySpec;
import dev.floatip.config.Durations;
import java.net.URI;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The notifications of one VirtualIP: hooks, mail and webhook, each channel with its own queue so
 * that a slow mail server does not hold up the hooks. Per channel, transitions are delivered in the
 * order {@link #notify} received them, one at a time; different VirtualIPs never wait for each
 * other. {@link #notify} only queues, so the event loop can call it.
 *
 * <p>Made by {@link NotifyRuntime#notifications}; {@link #update} applies a changed spec to the
 * transitions notified after it, without losing or reordering queued ones.
 */
public final class Notifications implements Notifier {

  private static final Logger LOG = Logger.getLogger(Notifications.class);

  private final String vip;
  private final NotifyRuntime runtime;
  private final SerialQueue scriptQueue;
  private final SerialQueue mailQueue;
  private final SerialQueue webhookQueue;
  private volatile Channels channels = Channels.NONE;

  /** The deliveries configured now; null for a channel that is off. */
  private record Channels(ScriptDelivery script, MailDelivery mail, WebhookDelivery webhook) {
    static final Channels NONE = new Channels(null, null, null);
  }

  Notifications(String vip, NotifyRuntime runtime) {
    this.vip = vip;
    this.runtime = runtime;
    int capacity = runtime.options().queueCapacity();
    this.scriptQueue = new SerialQueue(vip + "/script", capacity, runtime.pool());
    this.mailQueue = new SerialQueue(vip + "/mail", capacity, runtime.pool());
    this.webhookQueue = new SerialQueue(vip + "/webhook", capacity, runtime.pool());
  }

  /**
   * Configures the channels for transitions notified from now on. A part of the spec that cannot be
   * used (the validator normally refuses it first) is logged and left off.
   */
  public void update(NotifySpec spec) {
    if (spec == null) {
      channels = Channels.NONE;
      return;
    }
    Duration timeout;
    try {
      timeout = Durations.parse(spec.timeoutOrDefault());
    } catch (IllegalArgumentException e) {
      LOG.errorf("notify %s: spec.notify.timeout: %s; notifications off", vip, e.getMessage());
      channels = Channels.NONE;
      return;
    }
    ScriptDelivery script = null;
    try {
      script =
          new ScriptDelivery(
              runtime.scripts(),
              runtime.accounts(),
              spec.user(),
              spec.command(),
              spec.master(),
              spec.backup(),
              spec.fault(),
              spec.stop(),
              timeout);
      if (script.isEmpty()) {
        script = null;
      }
    } catch (RuntimeException e) {
      LOG.errorf("notify %s: unusable hook command (%s); hooks off", vip, e);
    }
    MailDelivery mail = null;
    if (spec.mail() != null) {
      try {
        mail = new MailDelivery(spec.mail(), timeout, runtime.secrets());
      } catch (RuntimeException e) {
        LOG.errorf("notify %s: spec.notify.mail unusable (%s); mail off", vip, e.getMessage());
      }
    }
    WebhookDelivery webhook = null;
    if (spec.webhook() != null) {
      try {
        URI url = URI.create(spec.webhook().url());
        webhook =
            new WebhookDelivery(runtime.http(), url, timeout, runtime.options().webhookBackoff());
      } catch (RuntimeException e) {
        LOG.errorf(
            "notify %s: spec.notify.webhook unusable (%s); webhook off", vip, e.getMessage());
      }
    }
    channels = new Channels(script, mail, webhook);
  }

  /** Queues the transition on every configured channel; returns at once. */
  @Override
  public void notify(Transition t) {
    Channels c = channels;
    if (c.script() != null) {
      scriptQueue.submit(t, c.script());
    }
    if (c.mail() != null) {
      mailQueue.submit(t, c.mail());
    }
    if (c.webhook() != null) {
      webhookQueue.submit(t, c.webhook());
    }
  }

  /**
   * Waits until every queued transition has been delivered (or given up on), at most {@code
   * timeout} in all: on shutdown, lets the STOP hooks run before the agent exits.
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (SerialQueue q : new SerialQueue[] {scriptQueue, mailQueue, webhookQueue}) {
      if (!q.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        return false;
      }
    }
    return true;
  }

  /** Transitions dropped on any channel because its queue was full. */
  public long dropped() {
    return scriptQueue.dropped() + mailQueue.dropped() + webhookQueue.dropped();
  }

  /** Drops queued transitions and kills a running hook; later {@link #notify} calls do nothing. */
  @Override
  public void close() {
    channels = Channels.NONE;
    runtime.closed(this);
    scriptQueue.close();
    mailQueue.close();
    webhookQueue.close();
  }
}
