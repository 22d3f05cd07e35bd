package dev.floatip.tracking;

import dev.floatip.api.v1alpha1.InterfaceCheck;
import dev.floatip.dataplane.Errno;
import dev.floatip.dataplane.IoResult;
import dev.floatip.dataplane.LinkEvent;
import dev.floatip.dataplane.LinkInfo;
import dev.floatip.dataplane.OperState;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The interface checks of one tracker, from netlink link events (no polling): subscribe first, then
 * read each link once, so no change falls in between. A link is healthy while {@link
 * LinkInfo#operational()}; a missing link is failing.
 */
final class InterfaceChecks implements Tracker.Part {

  private final Tracker tracker;
  private final int firstIndex;
  private final List<InterfaceCheck> checks;
  private final LinkWatch watch;
  private final ExecutorService blocking;
  private final Consumer<LinkEvent> listener = this::event;

  /** Interfaces that had an event: a slower initial read must not overwrite it. */
  private final Set<String> evented = new HashSet<>();

  private volatile boolean stopped;

  InterfaceChecks(
      Tracker tracker,
      int firstIndex,
      List<InterfaceCheck> checks,
      LinkWatch watch,
      ExecutorService blocking) {
    this.tracker = tracker;
    this.firstIndex = firstIndex;
    this.checks = List.copyOf(checks);
    this.watch = watch;
    this.blocking = blocking;
  }

  @Override
  public void start() {
    String failure = watch.register(listener);
    if (failure != null) {
      for (int i = 0; i < checks.size(); i++) {
        InterfaceCheck c = checks.get(i);
        tracker.update(
            firstIndex + i,
            CheckState.failing(CheckKind.INTERFACE, c.name(), c.weightOrDefault(), failure));
      }
      return;
    }
    blocking.execute(() -> readAll(false));
  }

  @Override
  public void stop() {
    stopped = true;
    watch.unregister(listener);
  }

  private void event(LinkEvent event) {
    switch (event) {
      case LinkEvent.LinkChanged changed -> {
        String name = changed.link().name();
        for (int i = 0; i < checks.size(); i++) {
          if (checks.get(i).name().equals(name)) {
            synchronized (this) {
              evented.add(name);
              publish(i, changed.removed() ? null : changed.link(), "interface removed");
            }
          }
        }
      }
      case LinkEvent.ResyncNeeded resync -> blocking.execute(() -> readAll(true));
      case LinkEvent.AddressAdded added -> {}
      case LinkEvent.AddressRemoved removed -> {}
    }
  }

  private void readAll(boolean resync) {
    for (int i = 0; i < checks.size(); i++) {
      InterfaceCheck c = checks.get(i);
      IoResult<LinkInfo> link = watch.addresses().link(c.name());
      synchronized (this) {
        if (!resync && evented.contains(c.name())) {
          continue; // an event was newer than this read
        }
        switch (link) {
          case IoResult.Ok<LinkInfo> ok -> publish(i, ok.value(), "");
          case IoResult.Failed<LinkInfo> failed ->
              publish(
                  i, null, failed.errno() == Errno.ENODEV ? "no such interface" : failed.message());
        }
      }
    }
  }

  private void publish(int i, LinkInfo link, String missing) {
    if (stopped) {
      return;
    }
    InterfaceCheck c = checks.get(i);
    int w = c.weightOrDefault();
    CheckState state;
    if (link == null) {
      state = CheckState.failing(CheckKind.INTERFACE, c.name(), w, missing);
    } else if (link.operational()) {
      state = CheckState.healthy(CheckKind.INTERFACE, c.name(), w, "up");
    } else {
      String why;
      if (!link.adminUp()) {
        why = "administratively down";
      } else if (link.operState() == OperState.UP || link.operState() == OperState.UNKNOWN) {
        why = "no carrier";
      } else {
        why = "down (" + link.operState() + ")";
      }
      state = CheckState.failing(CheckKind.INTERFACE, c.name(), w, why);
    }
    tracker.update(firstIndex + i, state);
  }
}
