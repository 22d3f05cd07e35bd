package dev.floatip.tracking;

import dev.floatip.api.v1alpha1.PodCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod checks of one tracker, from the {@link PodWatch} (no polling): one subscription per
 * check. Healthy while at least {@code minReady} matching pods on this node are Ready. Unknown
 * until the watch delivers its first count.
 */
final class PodChecks implements Tracker.Part {

  private final Tracker tracker;
  private final int firstIndex;
  private final List<PodCheck> checks;
  private final PodWatch watch;
  private final List<PodWatch.Subscription> subscriptions = new ArrayList<>();
  private boolean stopped;

  PodChecks(Tracker tracker, int firstIndex, List<PodCheck> checks, PodWatch watch) {
    this.tracker = tracker;
    this.firstIndex = firstIndex;
    this.checks = List.copyOf(checks);
    this.watch = watch;
  }

  /** The state of a check for a count. */
  static CheckState state(PodCheck check, PodCount count) {
    String name = Tracking.podName(check);
    int minReady = check.minReadyOrDefault();
    String message = count.ready() + "/" + count.total() + " ready (minReady " + minReady + ")";
    return count.ready() >= minReady
        ? CheckState.healthy(CheckKind.POD, name, check.weightOrDefault(), message)
        : CheckState.failing(CheckKind.POD, name, check.weightOrDefault(), message);
  }

  @Override
  public synchronized void start() {
    for (int i = 0; i < checks.size(); i++) {
      if (stopped) {
        return;
      }
      PodCheck check = checks.get(i);
      int index = firstIndex + i;
      try {
        subscriptions.add(
            watch.subscribe(
                check.namespace(),
                check.selector(),
                count -> tracker.update(index, state(check, count))));
      } catch (RuntimeException e) {
        tracker.update(
            index,
            CheckState.failing(
                CheckKind.POD,
                Tracking.podName(check),
                check.weightOrDefault(),
                "pod watch unavailable: " + e.getMessage()));
      }
    }
  }

  @Override
  public synchronized void stop() {
    stopped = true;
    subscriptions.forEach(PodWatch.Subscription::close);
    subscriptions.clear();
  }
}
