package dev.floatip.tracking;

import dev.floatip.dataplane.AddressManager;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.LinkEvent;
import dev.floatip.dataplane.LinkMonitor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One {@link LinkMonitor} subscription shared by every tracker with interface checks, opened on the
 * first registration and closed with {@link Tracking}.
 */
final class LinkWatch implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LinkWatch.class);

  private final LinkMonitor monitor;
  private final AddressManager addresses;
  private final List<Consumer<LinkEvent>> listeners = new CopyOnWriteArrayList<>();
  private LinkMonitor.Subscription subscription;
  private String failure;

  LinkWatch(LinkMonitor monitor, AddressManager addresses) {
    this.monitor = monitor;
    this.addresses = addresses;
  }

  AddressManager addresses() {
    return addresses;
  }

  /**
   * Adds a listener (called on the monitor's thread); returns the reason events cannot come, or
   * {@code null} when they will.
   */
  synchronized String register(Consumer<LinkEvent> listener) {
    listeners.add(listener);
    if (subscription == null && failure == null) {
      if (monitor == null) {
        failure = "no link monitor in this agent";
      } else {
        IoResult<LinkMonitor.Subscription> result = monitor.subscribe(this::dispatch);
        switch (result) {
          case IoResult.Ok<LinkMonitor.Subscription> ok -> subscription = ok.value();
          case IoResult.Failed<LinkMonitor.Subscription> failed -> {
            failure = "link monitor unavailable: " + failed.message();
            LOG.error(failure);
          }
        }
      }
    }
    return failure;
  }

  void unregister(Consumer<LinkEvent> listener) {
    listeners.remove(listener);
  }

  private void dispatch(LinkEvent event) {
    for (Consumer<LinkEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warnf(e, "interface check failed on %s", event);
      }
    }
  }

  @Override
  public synchronized void close() {
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
    listeners.clear();
  }
}
