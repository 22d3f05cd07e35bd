/**
 * Health checks that change a router's priority or put it in FAULT, with keepalived's semantics
 * (DESIGN §5, anchors §1.7–1.8, §1.15).
 *
 * <h2>Use from the agent</h2>
 *
 * <pre>{@code
 * Tracking tracking = Tracking.create(TrackingSettings.defaults(),
 *     dataplane.linkMonitor(), dataplane.addresses(), pods);    // once per node; pods:
 *                                                               // PodWatch.NONE standalone
 * Tracker t = tracking.tracker(vip.name(), basePriority, spec.track(),
 *     effective -> loop.execute(() -> apply(vip, effective))); // per VirtualIP
 * t.start();                 // delivers the first Effective at once, then every change
 * t.basePriority(110);       // base priority edited
 * t.close();                 // VIP gone or its track spec changed (then make a new tracker)
 * tracking.close();          // shutdown
 * }</pre>
 *
 * <h2>Weights ({@link dev.floatip.tracking.PriorityCalculator})</h2>
 *
 * Weight 0: failing means FAULT. w &gt; 0: +w while healthy. w &lt; 0: −|w| while failing. Files:
 * weight 0 → a non-zero value means FAULT; otherwise value × weight is added (capped at +253), and
 * a product below −253 means FAULT; a missing or unparsable file counts as a failing check of its
 * weight, with the reason as message. The sum is clamped to 1..254.
 *
 * <h2>Initial state</h2>
 *
 * A check is unknown until its first result. Unknown adds nothing and never means FAULT: until its
 * checks have spoken the router runs at its base priority, never above it (no unearned bonus that
 * could preempt a healthy master) and not in FAULT (no outage from a check that has not run yet).
 * {@link dev.floatip.tracking.Effective#settled()} tells when every check has had a result. The
 * first result decides at once whatever rise and fall say; after that, {@code rise} consecutive
 * successes turn a failing check healthy and {@code fall} consecutive failures turn a healthy one
 * failing. Every check starts at once (tick 0), so the unknown window is at most one timeout.
 *
 * <h2>Kinds</h2>
 *
 * <ul>
 *   <li>Scripts: argv without a shell (write {@code [sh, -c, "..."]} for one), environment {@code
 *       PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C} only, working directory {@code /}, stdin at end
 *       of file, started through {@code setsid} so each run leads its own process group. A run past
 *       its timeout (default: the interval) is killed with SIGKILL to the whole group (and every
 *       descendant) and counts as a failure. A tick that finds the previous run still going is
 *       skipped and counts nothing. Exit 0 is success.
 *   <li>Script user: {@code user: name[:group]} or numeric {@code uid:gid}. Without it, scripts run
 *       as {@code nobody} (65534:65534 if the image has no such user; {@link
 *       dev.floatip.tracking.TrackingSettings#defaultScriptUser()} changes it) when the agent is
 *       root, and as the agent's own user when it is not. Root must be chosen explicitly with
 *       {@code user: root}. Switching user runs the script through {@code setpriv --reuid --regid
 *       --clear-groups} (util-linux) and needs CAP_SETUID and CAP_SETGID: in a container add {@code
 *       SETUID} and {@code SETGID} to {@code securityContext.capabilities.add}. Without them the
 *       check fails with a message saying so; the agent goes on. Names come from {@code
 *       /etc/passwd} and {@code /etc/group} only (no NSS).
 *   <li>Processes: {@code /proc/*}{@code /stat} scanned every second (one scan serves all process
 *       checks of a VIP), exact comm name or, with {@code commandLine}, the exact command line
 *       (arguments joined by single spaces). Zombies do not count. Healthy while running ≥ quorum.
 *       keepalived uses the proc connector; a 1 s scan needs no capability.
 *   <li>Files: read every second (not inotify), one integer with white space around it.
 *   <li>Interfaces: netlink link events through the {@link dev.floatip.dataplane.LinkMonitor} port
 *       (one subscription for all trackers), one initial read per interface; healthy while {@link
 *       dev.floatip.dataplane.LinkInfo#operational()}. The router's own interface is the agent's
 *       business (it already faults on link down), not a tracked check.
 *   <li>TCP: connect to an IP literal within the timeout. HTTP: GET, no redirects followed, the
 *       expected status (default 200) within the timeout; the body is discarded.
 *   <li>Pods: counted from the {@link dev.floatip.tracking.PodWatch} port (in cluster mode one pod
 *       informer restricted to this node, shared by every check), no polling: healthy while at
 *       least {@code minReady} (default 1) pods on this node in the namespace that match the
 *       selector are Ready (phase Running, condition {@code Ready=True}, not terminating). Unknown
 *       until the watch has its initial list; while the API server is unreachable the last count
 *       stands. Weights as for any check. In standalone mode ({@link
 *       dev.floatip.tracking.PodWatch#NONE}) pod checks are shown with {@code healthy} absent and
 *       never counted.
 * </ul>
 */
package dev.floatip.tracking;
