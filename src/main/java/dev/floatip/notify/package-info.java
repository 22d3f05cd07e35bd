/**
 * Notifications on VRRP state changes (DESIGN §5, anchors §1.9): keepalived-style hooks, mail and
 * an HTTP webhook, configured by a VirtualIP's {@code spec.notify}.
 *
 * <p>Wiring, for the agent: one {@link dev.floatip.notify.NotifyRuntime} per process; per VirtualIP
 * a {@link dev.floatip.notify.Notifications} from {@link
 * dev.floatip.notify.NotifyRuntime#notifications}, given the new spec with {@link
 * dev.floatip.notify.Notifications#update} on a config change and closed when the VirtualIP goes;
 * from the event loop's state-change listener, {@code notifications.notify(Transition.of(vip,
 * family, node, change))}, which only queues. On shutdown, after the routers stopped: {@link
 * dev.floatip.notify.NotifyRuntime#awaitIdle} (the STOP hooks run), then {@code close()}.
 *
 * <p>Guarantees: per VirtualIP and channel (hooks, mail, webhook) transitions are delivered in
 * order, one at a time, on virtual threads; VirtualIPs and channels never wait for each other; at
 * most {@link dev.floatip.notify.NotifyOptions#queueCapacity} transitions wait per channel, beyond
 * which the oldest waiting one is dropped with a warning. A failing or hanging hook is logged and
 * killed with its process group at {@code spec.notify.timeout}; it never delays a state change.
 *
 * <p>Hooks run as {@code spec.notify.user} (user[:group], as script checks; CAP_SETUID and
 * CAP_SETGID needed to switch) or the agent's user, with only {@code PATH} and {@code LANG} (and
 * the {@code FLOATIP_*} variables) in the environment, stdin from /dev/null, working directory /,
 * in a session of their own ({@code setsid}).
 */
package dev.floatip.notify;
