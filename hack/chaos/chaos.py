#!/usr/bin/env python3
"""chaos.py - the planning and checking half of hack/chaos.sh (Python 3 standard library only).

  chaos.py plan   --seed S --faults N [--nodes n1,n2,n3]          the fault schedule (TSV) on stdout
  chaos.py bounds --advert A --priorities 150,100,50 [--delivery D]  the bounds, shell assignments
  chaos.py check  --dir RUN --advert A --priorities ... --vips ... [--delivery D]
                  reads RUN/events.tsv (what the script did, epoch seconds) and RUN/mon-<node>.log
                  (`ip -ts -o monitor address` in each node's namespace), prints the report,
                  exits 1 on any violation

The same seed gives the same schedule: it is drawn from random.Random(seed) alone, never from
what happens during the run (faults are applied one after the other; a restart waits for the
agent to be ready before the next gap starts).

Bounds (RFC 5798 section 6.1 timers; A = Advertisement_Interval, D = the delivery bound: one
advert on the wire plus the receiver's scheduling, processing and the netlink address change,
on a shared, loaded 2-core machine):
  Skew_Time(P)          = ((256 - P) * A) / 256
  Master_Down_Interval  = 3 * A + Skew_Time(P); MDI = the largest one among the candidates
                          (the lowest priority)
  dual-holder bound     = A + D     two live nodes hold an address only until the next advert of
                                    the higher-priority one has reached the other (6.4.3: a master
                                    hearing a higher priority becomes backup and drops the address)
  no-holder bound       = MDI + D   the next candidate's Master_Down_Timer was last reset by the
                                    master's last advert, before the fault (6.4.2)
  settle                = A + D     after a partition / loss / port-down window ends: the first
                                    advert across the healed link (the dual bound applies after it)
  orphan bound          = D         a restarted agent removes its predecessor's addresses before
                                    its routers start; checked D after it reports ready
  convergence bound     = settle + MDI + 2 * D after the last fault ended (all agents ready):
                                    the top candidate's Master_Down_Timer, then the old master
                                    hears its advert
"""
import argparse
import os
import random
import re
import sys
from datetime import datetime

KINDS = [  # kind, weight
    ("kill", 20),     # kill -9, down for `dur`, restart; its addresses stay (orphan) until the restart
    ("term", 10),     # SIGTERM (priority-0 advert, addresses removed), down for `dur`, restart
    ("stop", 20),     # SIGSTOP for `dur` (<= 3 s), SIGCONT
    ("flap", 15),     # the node's switch port (bridge side of its veth) down for `dur`, up
    ("loss", 15),     # nftables: drop `param`% of VRRP (ip protocol 112) in and out for `dur`
    ("oneway", 20),   # nftables: drop all VRRP in one direction (`param` = input|output) for `dur`
]
PARTITIONS = ("flap", "loss", "oneway")


def plan(seed, faults, nodes):
    rnd = random.Random(seed)
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    out = []
    for i in range(1, faults + 1):
        kind = rnd.choices(kinds, weights)[0]
        node = rnd.choice(nodes)
        gap = round(rnd.uniform(0.2, 1.5), 2)   # before the fault; often shorter than a settle
        param = "-"
        if kind in ("kill", "term"):
            dur = rnd.uniform(0.1, 1.5)
        elif kind == "stop":
            dur = rnd.uniform(0.1, 3.0)
        elif kind == "flap":
            dur = rnd.uniform(0.1, 2.0)
        elif kind == "loss":
            dur = rnd.uniform(1.0, 4.0)
            param = str(rnd.choice([25, 50, 75, 100]))
        else:
            dur = rnd.uniform(1.0, 3.0)
            param = rnd.choice(["input", "output"])
        out.append((i, kind, node, gap, round(dur, 2), param))
    return out


def bounds(advert, priorities, delivery):
    skew = lambda p: (256 - p) * advert / 256
    mdi = 3 * advert + skew(min(priorities))
    settle = advert + delivery
    return {
        "ADVERT": advert,
        "DELIVERY": delivery,
        "MDI": mdi,
        "DUAL": advert + delivery,
        "NOHOLDER": mdi + delivery,
        "SETTLE": settle,
        "ORPHAN": delivery,
        "CONVERGE": settle + mdi + 2 * delivery,
    }


MON = re.compile(r"^\[([0-9T:.\-]+)\]\s+(Deleted\s+)?\d+:\s+(\S+)\s+inet6?\s+([0-9a-fA-F:.]+)/")


def ts(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f").timestamp()


def read_monitor(path, node, vips):
    """(t, node, address, held) for every change of a VIP on the node."""
    changes = []
    with open(path, errors="replace") as f:
        for line in f:
            m = MON.match(line)
            if m and m.group(4) in vips:
                changes.append((ts(m.group(1)), node, m.group(4), m.group(2) is None))
    return changes


LOG_BACKUP = re.compile(r"^(\d\d):(\d\d):(\d\d\.\d+) .*?(\S+)/v[46]: MASTER -> (BACKUP|FAULT)")


def removal_lags(run_dir, nodes, names, changes, day_start):
    """Seconds from each MASTER -> BACKUP/FAULT an agent logged to its address's Deleted event: the
    state machine decided, the dataplane worker acted. Large values mean a starved JVM, not a
    protocol error."""
    lags = []
    for n in nodes:
        path = os.path.join(run_dir, f"{n}.log")
        if not os.path.exists(path):
            continue
        deleted = sorted((t, a) for t, m, a, h in changes if m == n and not h)
        with open(path, errors="replace") as f:
            for line in f:
                m = LOG_BACKUP.match(line)
                if not m or m.group(4) not in names:
                    continue
                t = day_start + int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
                addr = names[m.group(4)]
                later = [d for d, a in deleted if a == addr and d >= t - 0.05]
                if later and later[0] - t < 30:
                    lags.append(max(0.0, later[0] - t))
    return lags


def read_events(path):
    """(t, kind, node, phase, extra) from the script's log."""
    events = []
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 4:
                events.append((float(p[0]), p[1], p[2], p[3], p[4] if len(p) > 4 else ""))
    return events


class Runs:
    """Longest stretches of a condition per key, counted only in active (checked) time."""

    def __init__(self, bound, label):
        self.bound, self.label = bound, label
        self.since = {}      # key -> (start, nodes)
        self.longest = (0.0, None)
        self.violations = []

    def update(self, t, key, on, nodes=""):
        """nodes: "+"-joined; a run reports every node that took part in it."""
        if on and key not in self.since:
            self.since[key] = (t, nodes)
        elif on and nodes:
            start, who = self.since[key]
            self.since[key] = (start, "+".join(sorted(set(who.split("+")) | set(nodes.split("+")))))
        elif not on and key in self.since:
            start, who = self.since.pop(key)
            self.close(start, t, key, who)

    def close(self, start, end, key, who):
        d = end - start
        if d > self.longest[0]:
            self.longest = (d, (start, key, who))
        if d > self.bound:
            self.violations.append((start, self.label, who, key, d))

    def finish(self, t):
        for key in list(self.since):
            self.update(t, key, False)


def check(args):
    b = bounds(args.advert, args.priorities, args.delivery)
    nodes = args.nodes.split(",")
    vips = args.vips.split(",")
    events = read_events(os.path.join(args.dir, "events.tsv"))
    changes = []
    for n in nodes:
        path = os.path.join(args.dir, f"mon-{n}.log")
        if os.path.exists(path):
            changes += read_monitor(path, n, vips)
    begin = next((e[0] for e in events if e[1] == "begin"), None)
    end = next((e[0] for e in events if e[1] == "end"), None)
    quiet = next((e[0] for e in events if e[1] == "quiet"), None)   # last fault ended, all ready
    violations = []
    if begin is None or end is None:
        print("chaos check: the run has no begin or no end mark (it did not finish)")
        violations.append((begin or 0, "incomplete run", "-", "-", 0))
        begin = begin or 0
        end = end or max([e[0] for e in events] + [c[0] for c in changes] + [begin])

    # windows in which dual/no-holder are not checked: partitions + settle
    windows = []
    open_w = {}
    for t, kind, node, phase, _ in events:
        if kind in PARTITIONS and phase == "on":
            open_w[(kind, node)] = t
        elif kind in PARTITIONS and phase == "off":
            windows.append((open_w.pop((kind, node), t), t + b["SETTLE"]))
    windows += [(s, end) for s in open_w.values()]

    faults = {}
    for t, kind, node, phase, _ in events:
        if phase == "on" and kind in dict(KINDS):
            faults[kind] = faults.get(kind, 0) + 1

    # one time line: (t, order, what, ...)
    timeline = [(t, 0, "addr", n, a, held) for t, n, a, held in changes]
    timeline += [(t, 1, "ev", kind, node, phase, extra) for t, kind, node, phase, extra in events]
    for s, e in windows:
        timeline += [(s, 2, "win", +1), (e, 2, "win", -1)]
    timeline.append((begin, 3, "check"))
    timeline.sort(key=lambda x: (x[0], x[1]))

    held = {n: set() for n in nodes}
    live = {n: False for n in nodes}
    in_window = 0
    checking = False
    dual = Runs(b["DUAL"], "dual holder")
    none = Runs(b["NOHOLDER"], "no holder")
    killed_with = {}        # node -> addresses it held when killed (orphans until removed)
    orphan_checks = []      # (t, node, addresses, why)
    orphans_left = 0
    unexpected_deaths = []
    for item in timeline:
        t = item[0]
        if item[2] == "addr":
            _, _, _, n, a, h = item
            (held[n].add if h else held[n].discard)(a)
            if not h and n in killed_with:
                killed_with[n].discard(a)
        elif item[2] == "ev":
            _, _, _, kind, n, phase, extra = item
            if kind in ("kill", "term", "stop") and phase == "on":
                live[n] = False
                if kind == "kill" and held[n]:
                    killed_with[n] = set(held[n])
                    orphans_left += len(held[n])
            elif kind == "stop" and phase == "off":
                live[n] = True
            elif kind == "ready":
                live[n] = True
                if n in killed_with:
                    orphan_checks.append((t + b["ORPHAN"], n, "kill"))
            elif kind == "exited":
                orphan_checks.append((t + b["ORPHAN"], n, "term"))
            elif kind == "died":
                live[n] = False
                unexpected_deaths.append((t, n, extra))
        elif item[2] == "win":
            in_window += item[3]
        elif item[2] == "check":
            checking = True
        # orphan checks due by now
        for oc in [o for o in orphan_checks if o[0] <= t]:
            orphan_checks.remove(oc)
            at, n, why = oc
            left = killed_with.pop(n, set()) if why == "kill" else set(held[n])
            left &= held[n]
            for a in sorted(left):
                violations.append((at, f"orphan after {why} + restart" if why == "kill" else "address left after SIGTERM", n, a, t - at + b["ORPHAN"]))
        if not checking:
            continue
        active = in_window == 0 and t < end
        for a in vips:
            holders = sorted(n for n in nodes if live[n] and a in held[n])
            dual.update(t, a, active and len(holders) >= 2, "+".join(holders))
            none.update(t, a, active and not holders and any(live.values()), "-")
    dual.finish(end)
    none.finish(end)
    violations += dual.violations + none.violations
    for t, n, extra in unexpected_deaths:
        violations.append((t, "agent died unexpectedly", n, extra or "-", 0))

    # convergence after the last fault: the top candidate alone, from some time <= quiet + CONVERGE to end
    conv = None
    if quiet is not None:
        tops = {a: args.top[i] for i, a in enumerate(vips)}
        state = {n: set() for n in nodes}
        good_since = {a: None for a in vips}
        for t, n, a, h in sorted(changes):
            if t > end:
                break
            (state[n].add if h else state[n].discard)(a)
            for v in vips:
                ok = [m for m in nodes if v in state[m]] == [tops[v]]
                if ok and good_since[v] is None:
                    good_since[v] = t
                elif not ok:
                    good_since[v] = None
        conv = 0.0
        for v in vips:
            if good_since[v] is None:
                violations.append((quiet, "not converged at the end", "-", v, end - quiet))
                conv = None
                break
            conv = max(conv, good_since[v] - quiet)
        if conv is not None and conv > b["CONVERGE"]:
            violations.append((quiet, "slow convergence", tops[v], "-", conv))

    lags = []
    if args.names:
        day = datetime.fromtimestamp(begin).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
        lags = removal_lags(args.dir, nodes, dict(zip(args.names.split(","), vips)), changes, day)

    print(f"chaos report ({args.dir})")
    print("  bounds (s): " + ", ".join(f"{k.lower()} {v:.3f}" for k, v in b.items()))
    print(f"  checked span: {end - begin:.1f} s, {len(windows)} partition/loss/port windows excluded (+ settle)")
    print("  faults by kind: " + ", ".join(f"{k} {faults.get(k, 0)}" for k, _ in KINDS) + f"; total {sum(faults.values())}")
    for label, r in (("dual-holder", dual), ("no-holder", none)):
        d, at = r.longest
        where = f" (at +{at[0] - begin:.3f} s, {at[1]}, {at[2]})" if at else ""
        print(f"  longest {label} window outside partitions: {d * 1000:.0f} ms{where}")
    print(f"  orphans left by kill -9: {orphans_left} address(es); not removed after restart: "
          f"{sum(1 for v in violations if v[1].startswith('orphan'))}")
    print(f"  convergence after the last fault: {'-' if conv is None else f'{conv * 1000:.0f} ms'}")
    if lags:
        lags.sort()
        print(f"  agent log MASTER -> BACKUP to the address's removal: {len(lags)} transitions, median"
              f" {lags[len(lags) // 2] * 1000:.0f} ms, max {lags[-1] * 1000:.0f} ms (large: a starved JVM)")
    print(f"  violations: {len(violations)}")
    for t, what, node, addr, d in sorted(violations):
        clock = datetime.fromtimestamp(t).strftime("%H:%M:%S.%f")[:-3]
        print(f"    +{t - begin:9.3f} s ({clock})  {what:28s} node {node:8s} address {addr:16s} {d * 1000:7.0f} ms")
    return 1 if violations else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("plan")
    p.add_argument("--seed", required=True)
    p.add_argument("--faults", type=int, required=True)
    p.add_argument("--nodes", default="n1,n2,n3")
    for name in ("bounds", "check"):
        q = sub.add_parser(name)
        q.add_argument("--advert", type=float, required=True)
        q.add_argument("--priorities", type=lambda s: [int(x) for x in s.split(",")], required=True)
        q.add_argument("--delivery", type=float, default=0.25)
        if name == "check":
            q.add_argument("--dir", required=True)
            q.add_argument("--nodes", default="n1,n2,n3")
            q.add_argument("--vips", required=True)
            q.add_argument("--top", type=lambda s: s.split(","), required=True,
                           help="the highest-priority node of each VIP, in --vips order")
            q.add_argument("--names", default="",
                           help="the VirtualIP name of each VIP, in --vips order (agent log diagnostics)")
    a = ap.parse_args()
    if a.cmd == "plan":
        if a.faults < 1:
            ap.error("--faults must be >= 1")
        for row in plan(a.seed, a.faults, a.nodes.split(",")):
            print("\t".join(str(x) for x in row))
    elif a.cmd == "bounds":
        for k, v in bounds(a.advert, a.priorities, a.delivery).items():
            print(f"{k}={v:.3f}")
    else:
        sys.exit(check(a))


if __name__ == "__main__":
    main()
