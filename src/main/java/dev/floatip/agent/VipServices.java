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

    // Guarded by this Entry. Never call into a Tracker while holding it: a tracker delivers its
    // verdicts (effective) under its own lock.

    /** Bumped when the tracker is replaced; verdicts of older trackers are dropped. */
    private int generation;

    /**
     * The verdict of checks that a reload replaced, kept until the new checks have all had a result
     * ({@link Effective#settled()}); null when none is held. Without it, editing the checks of a
     * VIP whose check fails would take the node out of FAULT (or back to full priority) for the
     * moment before the new checks first run: a FAULT → BACKUP → FAULT flap with its notifications,
     * or a preemption if the new checks are slow.
     */
    private Effective held;

    /** The last verdict handed to the routers; null before the first. */
    private Effective applied;

    /** Every change of the checks' verdict goes straight to the routers of this VIP. */
    synchronized void effective(int from, Effective e) {
      if (from != generation) {
        return; // a replaced tracker's late verdict
      }
      if (held != null) {
        if (!e.settled()) {
          return; // the new checks are still pending: the replaced checks' verdict stands
        }
        held = null;
      }
      applied = e;
      send(e);
    }

    /**
     * Hands the last verdict's FAULT to the routers again: a router that a reload started (a new
     * address family, a changed VRID or interface) starts without the checks' FAULT, and the
     * tracker only reports changes.
     */
    synchronized void reassert() {
      if (applied != null) {
        // the priority is in the routers' specs already (update); only the FAULT is missing
        for (RouterId id : routers) {
          loop.fault(id, TRACKING, applied.fault());
        }
      }
    }

    /** Starts a new generation of checks; returns its number. */
    synchronized int replaced(Effective last) {
      if (last == null) {
        held = null; // first checks of this VIP (or re-added after removal)
        applied = null;
      } else if (last.settled()) {
        held = last;
      } // else: replaced again before settling; the verdict held before stands
      return ++generation;
    }

    /** The priority the VIP's routers run at now, with {@code basePriority} as the base. */
    int priority(int basePriority) {
      Effective h;
      synchronized (this) {
        h = held;
      }
      if (h != null) {
        return Math.clamp(basePriority + h.priority() - h.basePriority(), 1, 254);
      }
      return tracker.current().priority();
    }

    private void send(Effective e) {
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
      Effective last = null;
      if (e.tracker != null) {
        e.tracker.close();
        last = e.tracker.current();
      }
      e.trackSpec = track;
      int generation = e.replaced(last);
      e.tracker = tracking.tracker(vip, basePriority, track, v -> e.effective(generation, v));
      unstarted.add(e.tracker);
    } else {
      e.tracker.basePriority(basePriority);
    }
    if (e.notifications == null) {
      e.notifications = notify.notifications(vip, notifySpec);
    } else {
      e.notifications.update(notifySpec);
    }
    return e.priority(basePriority);
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
   * Gives every VIP's routers the checks' current FAULT again. Call it after the routers were
   * handed to the event loop: those the loop (re)started begin without it.
   */
  void reassert() {
    entries.values().forEach(Entry::reassert);
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
