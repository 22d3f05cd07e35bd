package dev.floatip.notify;

/** Takes state changes and delivers them later, elsewhere: {@link #notify} never blocks. */
public interface Notifier extends AutoCloseable {

  /** Queues a transition for delivery and returns at once; safe on the event-loop thread. */
  void notify(Transition transition);

  /** Stops delivering: drops what is queued and ends what runs (killing a running hook). */
  @Override
  void close();
}
