package dev.floatip.notify;

import dev.floatip.api.v1alpha1.NotifySpec;
import dev.floatip.process.Accounts;
import dev.floatip.process.ProcessRunner;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What every VirtualIP's {@link Notifications} share: the threads deliveries run on (virtual
 * threads; a hanging hook holds only its own), the hook runner and the accounts its users resolve
 * in, the Secret reader of mail passwords and the HTTP client. One per agent.
 */
public final class NotifyRuntime implements AutoCloseable {

  private final NotifyOptions options;
  private final ExecutorService pool;
  private final ProcessRunner scripts;
  private final Accounts accounts;
  private final SecretReader secrets;
  private final Set<Notifications> open = ConcurrentHashMap.newKeySet();
  private HttpClient http;

  public NotifyRuntime() {
    this(NotifyOptions.DEFAULT);
  }

  public NotifyRuntime(NotifyOptions options) {
    this(options, SecretReader.NONE);
  }

  /**
   * @param secrets reads {@code mail.auth.passwordSecretRef} (cluster mode)
   */
  public NotifyRuntime(NotifyOptions options, SecretReader secrets) {
    this(
        options,
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("notify-", 0).factory()),
        ProcessRunner.create(ScriptDelivery.PATH),
        new Accounts(Path.of("/etc/passwd"), Path.of("/etc/group")),
        secrets);
  }

  NotifyRuntime(
      NotifyOptions options,
      ExecutorService pool,
      ProcessRunner scripts,
      Accounts accounts,
      SecretReader secrets) {
    this.options = options;
    this.pool = pool;
    this.scripts = scripts;
    this.accounts = accounts;
    this.secrets = secrets;
  }

  /**
   * The notifications of one VirtualIP, configured by its {@code spec.notify} (null: none yet).
   *
   * @param vip the VirtualIP's name, for logs
   */
  public Notifications notifications(String vip, NotifySpec spec) {
    Notifications n = new Notifications(vip, this);
    n.update(spec);
    open.add(n);
    return n;
  }

  /**
   * Waits until every open {@link Notifications} has delivered what it queued, at most {@code
   * timeout} in all: on shutdown, after the routers stopped, so that the STOP hooks run.
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Notifications n : List.copyOf(open)) {
      if (!n.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        return false;
      }
    }
    return true;
  }

  void closed(Notifications n) {
    open.remove(n);
  }

  NotifyOptions options() {
    return options;
  }

  ExecutorService pool() {
    return pool;
  }

  ProcessRunner scripts() {
    return scripts;
  }

  Accounts accounts() {
    return accounts;
  }

  SecretReader secrets() {
    return secrets;
  }

  /** Created on first use: an agent without webhooks runs no HTTP client thread. */
  synchronized HttpClient http() {
    if (http == null) {
      http =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NEVER)
              .version(HttpClient.Version.HTTP_1_1)
              .build();
    }
    return http;
  }

  /** Closes every open {@link Notifications} (running hooks are killed) and the shared threads. */
  @Override
  public void close() {
    List.copyOf(open).forEach(Notifications::close);
    pool.shutdownNow();
    synchronized (this) {
      if (http != null) {
        http.shutdownNow();
      }
    }
  }
}
