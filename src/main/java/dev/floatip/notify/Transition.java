package dev.floatip.notify;

import dev.floatip.vrrp.Action;
import dev.floatip.vrrp.IpFamily;
import dev.floatip.vrrp.Reason;
import dev.floatip.vrrp.State;
import java.time.Instant;
import java.util.Objects;

/**
 * One state change of one VRRP router, as the notify hooks, mail and webhook report it.
 *
 * @param vip the VirtualIP's name: keepalived's instance name in hook arguments and mail subjects
 * @param family the router's address family (a dual-stack VirtualIP runs one router per family)
 * @param node this node's name
 * @param priority the effective priority at the time of the change
 * @param at when the router changed state
 */
public record Transition(
    String vip,
    IpFamily family,
    String node,
    State from,
    State to,
    Reason reason,
    int priority,
    Instant at) {

  public Transition {
    Objects.requireNonNull(vip, "vip");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }

  /** The transition a router reported with {@link Action.StateChanged}. */
  public static Transition of(String vip, IpFamily family, String node, Action.StateChanged c) {
    return new Transition(vip, family, node, c.from(), c.to(), c.reason(), c.priority(), c.at());
  }

  /**
   * The state word of keepalived's hooks, always upper case: {@code MASTER}, {@code BACKUP}, {@code
   * FAULT}, or {@code STOP} for the return to INITIALIZE when the router is shut down.
   */
  public String stateWord() {
    return to == State.INITIALIZE ? "STOP" : to.name();
  }

  /** {@code IPv4} or {@code IPv6}. */
  public String familyName() {
    return family == IpFamily.IPV4 ? "IPv4" : "IPv6";
  }
}
