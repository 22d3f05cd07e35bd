package dev.floatip.dataplane;

import java.util.function.Consumer;

/**
 * Link and address changes as the kernel announces them (rtnetlink multicast groups RTMGRP_LINK,
 * RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR). Subscribe first, then read the current state with {@link
 * AddressManager}, so nothing falls between the two.
 */
public interface LinkMonitor {

  /** A running subscription; {@link #close()} stops its thread. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Starts a thread that calls {@code listener} for every event, in kernel order. The listener
   * should only enqueue; an exception from it is logged and the subscription goes on.
   */
  IoResult<Subscription> subscribe(Consumer<LinkEvent> listener);
}
