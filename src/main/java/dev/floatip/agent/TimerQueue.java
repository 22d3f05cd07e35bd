package dev.floatip.agent;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * One deadline per key, earliest first: an indexed binary heap, so that the event loop finds its
 * next timer in O(1) and re-arms one in O(log n) instead of scanning every router on each wake-up.
 * Equal deadlines come out in the order their keys were first armed. Re-arming an armed key moves
 * its entry and allocates nothing. Not thread-safe: the loop thread owns it.
 */
final class TimerQueue<K> {

  private static final class Entry<K> {
    final K key;
    final long order;
    Instant deadline;
    int index;

    Entry(K key, long order) {
      this.key = key;
      this.order = order;
    }
  }

  private final Map<K, Entry<K>> entries = new HashMap<>();
  private Entry<K>[] heap = newArray(16);
  private int size;
  private long armed;

  @SuppressWarnings("unchecked")
  private static <K> Entry<K>[] newArray(int length) {
    return (Entry<K>[]) new Entry<?>[length];
  }

  /** Sets {@code key}'s deadline, replacing the one it had; {@code null} cancels it. */
  void arm(K key, Instant deadline) {
    if (deadline == null) {
      cancel(key);
      return;
    }
    Entry<K> e = entries.get(key);
    if (e == null) {
      e = new Entry<>(key, armed++);
      entries.put(key, e);
      e.deadline = deadline;
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      e.index = size;
      heap[size++] = e;
      up(e.index);
      return;
    }
    int cmp = deadline.compareTo(e.deadline);
    e.deadline = deadline;
    if (cmp < 0) {
      up(e.index);
    } else if (cmp > 0) {
      down(e.index);
    }
  }

  /** Removes {@code key}'s deadline, if it has one. */
  void cancel(K key) {
    Entry<K> e = entries.remove(key);
    if (e != null) {
      removeAt(e.index);
    }
  }

  /** The earliest deadline, or {@code null} when nothing is armed. */
  Instant next() {
    return size == 0 ? null : heap[0].deadline;
  }

  /** The deadline of {@code key}, or {@code null}. */
  Instant deadline(K key) {
    Entry<K> e = entries.get(key);
    return e == null ? null : e.deadline;
  }

  int size() {
    return size;
  }

  /**
   * Removes every key whose deadline is at or before {@code now} and adds them to {@code out},
   * earliest first. The caller re-arms those that still need a timer.
   */
  void drainDue(Instant now, Collection<? super K> out) {
    while (size > 0 && !heap[0].deadline.isAfter(now)) {
      Entry<K> e = heap[0];
      entries.remove(e.key);
      removeAt(0);
      out.add(e.key);
    }
  }

  private void removeAt(int index) {
    Entry<K> last = heap[--size];
    heap[size] = null;
    if (index == size) {
      return;
    }
    heap[index] = last;
    last.index = index;
    up(index);
    down(last.index);
  }

  private static boolean before(Entry<?> a, Entry<?> b) {
    int cmp = a.deadline.compareTo(b.deadline);
    return cmp < 0 || (cmp == 0 && a.order < b.order);
  }

  private void up(int index) {
    Entry<K> e = heap[index];
    while (index > 0) {
      int parent = (index - 1) >>> 1;
      Entry<K> p = heap[parent];
      if (!before(e, p)) {
        break;
      }
      heap[index] = p;
      p.index = index;
      index = parent;
    }
    heap[index] = e;
    e.index = index;
  }

  private void down(int index) {
    Entry<K> e = heap[index];
    while (true) {
      int child = 2 * index + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && before(heap[child + 1], heap[child])) {
        child++;
      }
      if (!before(heap[child], e)) {
        break;
      }
      heap[index] = heap[child];
      heap[index].index = index;
      index = child;
    }
    heap[index] = e;
    e.index = index;
  }
}
