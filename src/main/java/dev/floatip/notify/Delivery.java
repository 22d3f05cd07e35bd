package dev.floatip.notify;

/** One channel's blocking delivery of a transition; runs on a notify thread, never the loop. */
interface Delivery {

  /** Short name for logs: script, mail, webhook. */
  String kind();

  /**
   * Delivers or gives up; reports failures itself (by logging) and throws only when interrupted.
   */
  void deliver(Transition transition) throws InterruptedException;
}
