package dev.floatip.agent;

import dev.floatip.api.v1alpha1.NotifySpec;
import dev.floatip.api.v1alpha1.TrackSpec;
import dev.floatip.notify.Notifications;
import dev.floatip.notify.NotifyRuntime;
import dev.floatip.notify.Transition;
import dev.floatip.tracking.Effective;
import dev.floatip.tracking.Tracker;
import dev.floatip.tracking.Tracking;
import dev.floatip.vrrp.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What runs beside each VirtualIP's routers: its health checks (which set the routers' effective
 * priority and FAULT) and its notifications. Config sources call {@link #update} on every apply;
 * the event loop calls {@link #stateChanged}.
 */
final class VipServices implements AutoCloseable {

  /** The fault source key the checks use on the routers (the cause text goes to logs/status). */
  static final String TRACKING = "tracking";

  private final String nodeName;
  private final EventLoop loop;
  private final Tracking tracking;
  private final NotifyRuntime notify;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final List<Tracker> unstarted = new ArrayList<>();

  private final class Entry {
    final String vip;
    volatile List<RouterId> routers = List.of();
    TrackSpec trackSpec;
    Tracker tracker;
    Notifications notifications;

    Entry(String vip) {
      this.vip = vip;
    }

    /** Every change of the checks' verdict goes straight to the routers of this VIP. */
    void effective(Effective e) {
      for (RouterId id : routers) {
        loop.priority(id, e.priority());
        loop.fault(id, TRACKING, e.fault());
      }
    }
  }

  VipServices(String nodeName, EventLoop loop, Tracking tracking, NotifyRuntime notify) {
    this.nodeName = nodeName;
    this.loop = loop;
    this.tracking = tracking;
    this.notify = notify;
  }

  /**
   * Brings a VirtualIP's checks and notifications up to date and returns the effective priority its
   * routers should run at now (base ± the checks' current weights).
   *
   * @param routers this node's routers of the VIP (one per address family)
   */
  synchronized int update(
      String vip,
      int basePriority,
      TrackSpec track,
      NotifySpec notifySpec,
      List<RouterId> routers) {
    Entry e = entries.computeIfAbsent(vip, Entry::new);
    e.routers = List.copyOf(routers);
    if (e.tracker == null || !Objects.equals(e.trackSpec, track)) {
      if (e.tracker != null) {
        e.tracker.close();
      }
      e.trackSpec = track;
      e.tracker = tracking.tracker(vip, basePriority, track, e::effective);
      unstarted.add(e.tracker);
    } else {
      e.tracker.basePriority(basePriority);
    }
    if (e.notifications == null) {
      e.notifications = notify.notifications(vip, notifySpec);
    } else {
      e.notifications.update(notifySpec);
    }
    return e.tracker.current().priority();
  }

  /** A VIP no longer configured: stop its checks (notifications stay for its STOP). */
  synchronized void retainOnly(Set<String> vips) {
    entries.forEach(
        (name, e) -> {
          if (!vips.contains(name) && e.tracker != null) {
            e.tracker.close();
            e.tracker = null;
            e.trackSpec = null;
            e.routers = List.of();
          }
        });
  }

  /**
   * Starts the checks {@link #update} created. Call it after the routers were handed to the event
   * loop, so that the checks' first verdicts reach routers that exist.
   */
  synchronized void startChecks() {
    unstarted.forEach(Tracker::start);
    unstarted.clear();
  }

  /** The checks' current verdict for status and metrics. */
  Optional<Effective> effective(String vip) {
    Entry e = entries.get(vip);
    return e == null || e.tracker == null ? Optional.empty() : Optional.of(e.tracker.current());
  }

  void stateChanged(RouterSpec spec, Action.StateChanged change) {
    Entry e = entries.get(spec.id().vip());
    if (e != null && e.notifications != null) {
      e.notifications.notify(Transition.of(spec.id().vip(), spec.id().family(), nodeName, change));
    }
  }

  /** Lets queued notifications (the STOPs of a shutdown) run for at most {@code timeout}. */
  void drain(Duration timeout) {
    try {
      notify.awaitIdle(timeout);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    tracking.close();
    notify.close();
  }
}
