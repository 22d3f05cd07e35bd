#!/usr/bin/env python3
"""bench_probe.py - measuring half of hack/bench.sh (floatip vs keepalived).

  bench_probe.py trial  ...   one failover trial; appends one JSON line to --out
  bench_probe.py first-advert ...  process start -> first advert on the wire (one JSON line)
  bench_probe.py report DIR   tables (markdown) from DIR/trials.jsonl and DIR/resources.jsonl

A trial is timed by this one process with one monotonic clock. It enters the
network namespaces with setns() and opens its sockets there:

  * client probe: an ICMP echo request to the VIP every --interval (10 ms) from
    --client-ns, through the client kernel's ARP cache (so recovery depends on the
    daemon's gratuitous ARP). outage = longest gap between consecutive echo
    replies, counted from the last reply before t0; lost = requests sent after
    t0 that were never answered;
  * VIP holders: a netlink address-event subscription in every router namespace
    (an RTM_GETADDR dump at the start and every 100 ms as a cross-check).
    moved = t0 -> the holder set became exactly --expect (and stayed so);
  * VRRP sniffer on the bridge (--sniff-ns/--sniff-if, promiscuous): the first
    priority-0 advert after t0 and the first advert of the new master, for the
    protocol-level view (Skew_Time, Master_Down_Interval);
  * the fault (--action, a bash snippet) runs in a thread at t0, after --pre
    seconds of baseline.

The trial ends when the holder set equals --expect, echo replies have resumed and
both have been stable for --settle seconds (or at --timeout after t0).
Python 3 standard library only; Linux, root.
"""
import argparse
import ctypes
import json
import os
import select
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time

now = time.monotonic
CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)

RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR = 20, 21, 22
NLMSG_ERROR, NLMSG_DONE = 2, 3
IFA_ADDRESS, IFA_LOCAL = 1, 2
RTMGRP_IPV4_IFADDR = 0x10
PACKET_OUTGOING = 4


def in_netns(ns, fn):
    """fn() with this thread in network namespace ns; its sockets stay there."""
    me = os.open("/proc/self/ns/net", os.O_RDONLY)
    fd = os.open(f"/run/netns/{ns}", os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f"setns {ns}")
        try:
            return fn()
        finally:
            if _libc.setns(me, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(fd)
        os.close(me)


def nl_msgs(data):
    off = 0
    while off + 16 <= len(data):
        ln, typ = struct.unpack_from("=IH", data, off)
        if ln < 16:
            return
        yield typ, data[off + 16: off + ln]
        off += (ln + 3) & ~3


def ifa_addr(payload):
    """IPv4 address (IFA_LOCAL, else IFA_ADDRESS) of an ifaddrmsg."""
    off, local, addr = 8, None, None
    while off + 4 <= len(payload):
        rlen, rtype = struct.unpack_from("=HH", payload, off)
        if rlen < 4:
            break
        if rtype == IFA_LOCAL:
            local = payload[off + 4: off + rlen]
        elif rtype == IFA_ADDRESS:
            addr = payload[off + 4: off + rlen]
        off += (rlen + 3) & ~3
    return local or addr


class Router:
    """VIP presence in one router namespace: netlink events + occasional dumps."""

    def __init__(self, name, ns, vip):
        self.name, self.vip, self.seq = name, vip, 0

        def mk():
            d = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
            d.bind((0, 0))
            e = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
            e.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
            e.bind((0, RTMGRP_IPV4_IFADDR))
            e.setblocking(False)
            return d, e

        self.dump_sock, self.ev = in_netns(ns, mk)

    def dump(self):
        self.seq += 1
        req = struct.pack("=IHHII", 24, RTM_GETADDR, 0x301, self.seq, 0) + struct.pack("=BBBBI", socket.AF_INET, 0, 0, 0, 0)
        self.dump_sock.send(req)
        found = False
        while True:
            for typ, pl in nl_msgs(self.dump_sock.recv(1 << 16)):
                if typ in (NLMSG_DONE, NLMSG_ERROR):
                    return found
                if typ == RTM_NEWADDR and ifa_addr(pl) == self.vip:
                    found = True

    def events(self):
        """-> [True (added) | False (deleted)] for the VIP; None on overflow."""
        out = []
        while True:
            try:
                data = self.ev.recv(1 << 16)
            except BlockingIOError:
                return out
            except OSError:  # ENOBUFS: events lost, caller re-dumps
                return None
            for typ, pl in nl_msgs(data):
                if typ in (RTM_NEWADDR, RTM_DELADDR) and ifa_addr(pl) == self.vip:
                    out.append(typ == RTM_NEWADDR)


def csum(b):
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    s = (s >> 16) + (s & 0xFFFF)
    return ~(s + (s >> 16)) & 0xFFFF


def trial(a):
    vip = socket.inet_aton(a.vip)
    routers = [Router(n, ns, vip) for n, ns in (x.split("=") for x in a.routers.split(","))]
    expect = sorted(x for x in a.expect.split(",") if x)
    icmp = in_netns(a.client_ns, lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
    icmp.setblocking(False)
    ident = os.getpid() & 0xFFFF

    def mk_sniff():
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
        s.bind((a.sniff_if, 0x0800))
        mreq = struct.pack("iHH8s", socket.if_nametoindex(a.sniff_if), 1, 0, b"")  # PACKET_MR_PROMISC
        s.setsockopt(263, 1, mreq)  # SOL_PACKET, PACKET_ADD_MEMBERSHIP
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
        s.setblocking(False)
        return s

    sniff = in_netns(a.sniff_ns, mk_sniff) if a.sniff_ns else None

    held = {r.name: r.dump() for r in routers}
    timeline = []                      # (t, holders) after every change
    tx, rx, adverts = {}, [], []       # seq -> t ; (seq, t) ; (t, src, prio)
    act = {}
    resyncs = 0

    def holders():
        return sorted(n for n, h in held.items() if h)

    def run_action():
        p = subprocess.run(["bash", "-c", a.action], stdin=subprocess.DEVNULL)
        act["done"], act["rc"] = now(), p.returncode

    t_start = now()
    t0 = t_start + a.pre
    timeline.append((t_start, holders()))
    started = False
    next_tick, seq, tick = t_start, 0, 0
    ok_since, run_start, end = None, None, "timeout"
    fds = {r.ev.fileno(): r for r in routers}
    socks = [r.ev for r in routers] + [icmp] + ([sniff] if sniff else [])
    while True:
        t = now()
        if not started and t >= t0:
            t0, started = t, True
            threading.Thread(target=run_action, daemon=True).start()
        if t >= next_tick:
            seq = (seq + 1) & 0xFFFF
            pkt = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + b"fipbench"
            pkt = pkt[:2] + struct.pack("!H", csum(pkt)) + pkt[4:]
            try:
                icmp.sendto(pkt, (a.vip, 0))
            except OSError:
                pass
            tx[seq] = t
            tick += 1
            if tick % 10 == 0:         # cross-check the event view with a dump
                for r in routers:
                    h = r.dump()
                    if h != held[r.name]:
                        held[r.name] = h
                        resyncs += 1
                        timeline.append((now(), holders()))
            next_tick = max(next_tick + a.interval, t)
            if started:
                if holders() == expect:
                    ok_since = ok_since or t
                else:
                    ok_since = None
                fresh = rx and rx[-1][1] >= (ok_since or t) and t - rx[-1][1] < 5 * a.interval
                if not expect:
                    fresh = True
                if ok_since and fresh and "done" in act and t - max(ok_since, run_start or 0) >= a.settle:
                    end = "ok"
                    break
                if t > t0 + a.timeout:
                    break
        ready, _, _ = select.select(socks, [], [], max(0.0, next_tick - now()))
        for s in ready:
            tr = now()
            if s is icmp:
                while True:
                    try:
                        data = icmp.recv(2048)
                    except BlockingIOError:
                        break
                    ihl = (data[0] & 0x0F) * 4
                    if len(data) >= ihl + 8 and data[ihl] == 0 and data[12:16] == vip:
                        _t, _c, _k, rid, rseq = struct.unpack_from("!BBHHH", data, ihl)
                        if rid == ident:
                            if not rx or tr - rx[-1][1] > 3 * a.interval:
                                run_start = tr
                            rx.append((rseq, tr))
            elif s is sniff:
                while True:
                    try:
                        data, addr = sniff.recvfrom(4096)
                    except BlockingIOError:
                        break
                    if addr[2] == PACKET_OUTGOING or len(data) < 14 + 20 + 8 or data[23] != 112:
                        continue
                    v = data[14 + (data[14] & 0x0F) * 4:]
                    adverts.append((tr, socket.inet_ntoa(data[26:30]), v[2]))
            else:
                r = fds[s.fileno()]
                evs = r.events()
                if evs is None:
                    resyncs += 1
                    evs = [r.dump()]
                for added in evs:
                    held[r.name] = added
                    timeline.append((tr, holders()))
    t_end = now()

    def ms(x):
        return None if x is None else round((x - t0) * 1000, 1)

    res = {"label": a.label, "end": end, "expect": expect, "action_rc": act.get("rc"), "resyncs": resyncs}
    for kv in a.meta:
        k, _, v = kv.partition("=")
        res[k] = v
    # client view
    times = [t for _s, t in rx]
    before = [t for t in times if t < t0]
    after = [t for t in times if t >= t0]
    pts = [before[-1] if before else t0] + after
    gap, gap_at = None, None
    for i in range(1, len(pts)):
        if gap is None or pts[i] - pts[i - 1] > gap:
            gap, gap_at = pts[i] - pts[i - 1], pts[i - 1]
    if not after:
        gap = None  # never recovered
    res["baseline_ok"] = bool(before) and t0 - before[-1] < 0.1
    res["outage_ms"] = None if gap is None else round(gap * 1000, 1)
    res["outage_from_ms"] = ms(gap_at) if gap is not None else None
    # echo requests sent during the longest gap: ~gap/interval = the network lost them; ~0 = the probe was not running
    res["sent_in_gap"] = sum(1 for t in tx.values() if gap is not None and gap_at < t < gap_at + gap)
    res["first_reply_ms"] = ms(after[0]) if after else None
    answered = {s for s, _t in rx}
    res["lost"] = sum(1 for s, t in tx.items() if t0 <= t < t_end - 0.1 and s not in answered)
    # holders
    moved = None
    if timeline[-1][1] == expect:
        for t, h in reversed(timeline):
            if h != expect:
                break
            moved = t
    res["moved_ms"] = ms(max(moved, t0)) if moved is not None else None
    res["max_holders"] = max([len(h) for t, h in timeline if t >= t0] + [len(timeline[-1][1]) if timeline else 0])
    none, prev = 0.0, None                 # time after t0 with no holder at all
    for t, h in timeline + [(t_end, None)]:
        if prev is not None and not prev[1] and t > t0:
            none += t - max(prev[0], t0)
        prev = (t, h)
    res["none_ms"] = round(none * 1000, 1)
    res["timeline"] = [(ms(t), h) for t, h in timeline if t >= t0 - 0.05]
    # protocol view
    if sniff:
        old = [src for t, src, p in adverts if t < t0 and p > 0]
        old = old[-1] if old else None
        p0 = next((t for t, src, p in adverts if t >= t0 and p == 0), None)
        last_old = max((t for t, src, p in adverts if src == old and p > 0), default=None)
        new = next(((t, src) for t, src, p in adverts if t >= t0 and p > 0 and src != old), None)
        res["old_master"], res["new_master"] = old, new[1] if new else None
        res["prio0_ms"] = ms(p0)
        res["new_advert_ms"] = ms(new[0]) if new else None
        res["prio0_to_new_ms"] = round((new[0] - p0) * 1000, 1) if new and p0 else None
        res["last_old_to_new_ms"] = round((new[0] - last_old) * 1000, 1) if new and last_old and last_old < new[0] else None
        res["prio0_count"] = sum(1 for t, src, p in adverts if t >= t0 and p == 0)
    with open(a.out, "a") as f:
        f.write(json.dumps(res) + "\n")
    print(f"  {a.label:<40} {end:<7} outage={res['outage_ms']}ms moved={res['moved_ms']}ms lost={res['lost']}"
          f" maxholders={res['max_holders']} p0->new={res.get('prio0_to_new_ms')}ms", flush=True)
    return 0 if end == "ok" else 2


# ---------------------------------------------------------------- report

def first_advert(a):
    """Starts a daemon (--action, a bash snippet that forks it) and times its first VRRP advert.

    t0 is taken just before the snippet is forked (so bash and `ip netns exec` are included, the
    same for both daemons); the advert's time is when the sniffer on the bridge reads it.
    """
    def mk_sniff():
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
        s.bind((a.sniff_if, 0x0800))
        mreq = struct.pack("iHH8s", socket.if_nametoindex(a.sniff_if), 1, 0, b"")  # PACKET_MR_PROMISC
        s.setsockopt(263, 1, mreq)  # SOL_PACKET, PACKET_ADD_MEMBERSHIP
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
        return s

    sniff = in_netns(a.sniff_ns, mk_sniff)
    src = socket.inet_aton(a.src)
    t0 = now()
    subprocess.Popen(["bash", "-c", a.action], stdin=subprocess.DEVNULL)
    first = None
    while first is None and now() - t0 < a.timeout:
        r, _, _ = select.select([sniff], [], [], 0.2)
        if not r:
            continue
        pkt = sniff.recv(2048)
        t = now()
        # after the 14-byte Ethernet header: IPv4, protocol 112 (VRRP), from the router under test
        ip = pkt[14:]
        if len(ip) >= 20 and ip[9] == 112 and ip[12:16] == src:
            first = t
    rec = dict(kv.split("=", 1) for kv in a.meta)
    rec.update(first_advert_ms=round((first - t0) * 1000, 1) if first else None)
    with open(a.out, "a") as f:
        f.write(json.dumps(rec) + "\n")
    return 0 if first else 1


SCEN = {"hard": "hard failure", "graceful": "graceful (SIGTERM)"}


def mmm(xs, fmt="{:.0f}"):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "–"
    return " / ".join(fmt.format(v) for v in (min(xs), statistics.median(xs), max(xs)))


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def up(r):
    if r.get("up_s", 0) >= 0:
        return f"{r['up_s']:.1f}"
    both = f", {r['vips_both']} on both" if r.get("vips_both") else ""
    return f"never: master {r['vips_r1']}/{r['vips']}, backup {r['vips_r2']}{both}"


def report(d):
    trials = [json.loads(l) for l in open(os.path.join(d, "trials.jsonl"))] if os.path.exists(os.path.join(d, "trials.jsonl")) else []
    out = []
    timings = list(dict.fromkeys(t["timing"] for t in trials))
    daemons = ["keepalived", "floatip"]
    if trials:
        out.append("### Client-observed outage (longest gap between ICMP echo replies, probe every 10 ms)\n")
        out.append("min / median / max in ms over n runs; ratio = floatip median / keepalived median.\n")
        out.append("| timing | scenario | keepalived | n | floatip | n | ratio |")
        out.append("|---|---|---|---|---|---|---|")
        for tm in timings:
            for sc in SCEN:
                cell = {dm: [t for t in trials if t["timing"] == tm and t["scenario"] == sc and t["daemon"] == dm] for dm in daemons}
                if not any(cell.values()):
                    continue
                o = {dm: [t["outage_ms"] for t in cell[dm]] for dm in daemons}
                mk, mf = med(o["keepalived"]), med(o["floatip"])
                ratio = f"{mf / mk:.2f}" if mk and mf is not None else "–"
                out.append(f"| {tm} | {SCEN[sc]} | {mmm(o['keepalived'])} | {len(cell['keepalived'])} | {mmm(o['floatip'])} | {len(cell['floatip'])} | {ratio} |")
        out.append("")
        out.append("### Details (min / median / max)\n")
        out.append("*moved* = t0 → the backup alone holds the VIP (netlink events); *lost* = echo requests never answered; "
                   "*p0→new* = priority-0 advert → first advert of the new master (graceful: Skew_Time); "
                   "*old→new* = last advert of the dead master → first advert of the new one (hard: Master_Down_Interval); "
                   "*back* = the old master returns and preempts (daemon start at t0): client outage, echo requests lost, "
                   "*no holder* = time in which no router held the VIP during the hand-over, and *moved*; "
                   "*2 holders* = trials in which two routers held the VIP at once; *failed* = trials that did not settle.\n")
        out.append("| timing | scenario | daemon | moved ms | lost | p0→new ms | old→new ms | back: outage ms | back: lost | back: no holder ms | back: moved ms | 2 holders | failed |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for tm in timings:
            for sc in SCEN:
                for dm in daemons:
                    c = [t for t in trials if t["timing"] == tm and t["scenario"] == sc and t["daemon"] == dm]
                    if not c:
                        continue
                    b = [t for t in trials if t["timing"] == tm and t["scenario"] == "back-after-" + sc and t["daemon"] == dm]
                    two = sum(1 for t in c + b if t["max_holders"] > 1)
                    bad = sum(1 for t in c + b if t["end"] != "ok" or not t.get("baseline_ok", True))
                    out.append(f"| {tm} | {SCEN[sc]} | {dm} | {mmm([t['moved_ms'] for t in c])} | {mmm([t['lost'] for t in c])} | "
                               f"{mmm([t.get('prio0_to_new_ms') for t in c]) if sc == 'graceful' else '–'} | "
                               f"{mmm([t.get('last_old_to_new_ms') for t in c]) if sc == 'hard' else '–'} | "
                               f"{mmm([t['outage_ms'] for t in b])} | {mmm([t['lost'] for t in b])} | {mmm([t.get('none_ms') for t in b], '{:.1f}')} | "
                               f"{mmm([t['moved_ms'] for t in b])} | {two}/{len(c) + len(b)} | {bad} |")
        out.append("")
    if trials:
        out.append("### Start-up and set-up\n")
        out.append("*election* = all three daemons started at t0 → r1 alone holds the VIP (includes process start-up; one run per "
                   "timing); *recoveries* = times r1 was not the sole master (or a daemon had died) before a trial and had to be "
                   "restarted; such trials are not in the tables above.\n")
        out.append("| timing | daemon | election ms | recoveries |")
        out.append("|---|---|---|---|")
        for tm in timings:
            for dm in daemons:
                e = [t for t in trials if t["timing"] == tm and t["daemon"] == dm and t["scenario"] == "elect"]
                if e:
                    rec = sum(1 for t in trials if t["timing"] == tm and t["daemon"] == dm and t["scenario"] == "recover")
                    out.append(f"| {tm} | {dm} | {mmm([t['moved_ms'] for t in e])} | {rec} |")
        out.append("")
    sp = os.path.join(d, "startup.jsonl")
    st = [json.loads(l) for l in open(sp)] if os.path.exists(sp) else []
    if st:
        out.append("### Cold start: process start → first advert on the wire\n")
        out.append("One router alone (r1, priority 150, the failover config), started n times; t0 = just before its start "
                   "command is forked, end = the sniffer on the bridge reads its first advert. A lone backup becomes master "
                   "after Master_Down_Interval (3 × advert + skew), so *start-up* = first advert − Master_Down_Interval is "
                   "the daemon's own cost. min / median / max in ms.\n")
        out.append("| timing | daemon | launch | first advert ms | Master_Down ms | start-up ms | n | failed |")
        out.append("|---|---|---|---|---|---|---|---|")
        for key in dict.fromkeys((r["timing"], r["daemon"], r.get("launch", "")) for r in st):
            c = [r for r in st if (r["timing"], r["daemon"], r.get("launch", "")) == key]
            ok = [r for r in c if r["first_advert_ms"] is not None]
            mdi = float(c[0]["master_down_ms"])
            out.append(f"| {key[0]} | {key[1]} | {key[2] or '–'} | {mmm([r['first_advert_ms'] for r in ok])} | {mdi:.0f} | "
                       f"{mmm([r['first_advert_ms'] - mdi for r in ok])} | {len(ok)} | {len(c) - len(ok)} |")
        out.append("")
    rp = os.path.join(d, "resources.jsonl")
    res = [json.loads(l) for l in open(rp)] if os.path.exists(rp) else []
    if res:
        out.append("### Resources (multicast, two routers; VRIDs 1..N, 198.51.100.1..N/32)\n")
        out.append("RSS = VmRSS of the VRRP process (keepalived: the VRRP child; floatip: the JVM) after the window; "
                   "CPU = sum of /proc/PID/task/*/schedstat over the window, % of one core; "
                   "GC = floatip's stop-the-world pauses logged by -Xlog:gc in the window (count, p99, max).\n")
        out.append("| daemon | timing | VIPs | role | RSS MB | RSS anon MB | threads | CPU ms / window s | CPU % of a core | GC pauses (p99 / max ms) | all VIPs up after s |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for r in res:
            gc = f"{r['gc_pauses']} ({r['gc_p99_ms']:.1f} / {r['gc_max_ms']:.1f})" if "gc_pauses" in r else "–"
            out.append(f"| {r['daemon']} | {r.get('timing', 'v2/1s')} | {r['vips']} | {r['role']} | {r['rss_kb'] / 1024:.1f} | {r['rss_anon_kb'] / 1024:.1f} | {r['threads']} | "
                       f"{r['cpu_ms']:.1f} / {r['window_s']:.0f} | {r['cpu_pct']:.3f} | {gc} | {up(r)} |")
        out.append("")
        ratio = []
        for tm in sorted({r.get("timing", "v2/1s") for r in res}):
            for n in sorted({r["vips"] for r in res}):
                for role in ("master", "backup"):
                    cell = [r for r in res if r.get("timing", "v2/1s") == tm and r["vips"] == n and r["role"] == role]
                    k = [r for r in cell if r["daemon"] == "keepalived"]
                    f = [r for r in cell if r["daemon"] == "floatip"]
                    if k and f:
                        cpu = f"{f[0]['cpu_pct'] / k[0]['cpu_pct']:.1f}×" if k[0]["cpu_pct"] > 0 else "–"
                        ratio.append(f"| {tm} | {n} | {role} | {f[0]['rss_kb'] / k[0]['rss_kb']:.0f}× | {cpu} |")
        if ratio:
            out.append("| timing | VIPs | role | RSS floatip/keepalived | CPU floatip/keepalived |")
            out.append("|---|---|---|---|---|")
            out += ratio
            out.append("")
    print("\n".join(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("trial", help="one failover trial")
    t.add_argument("--out", required=True)
    t.add_argument("--label", default="")
    t.add_argument("--meta", action="append", default=[], help="k=v copied into the record")
    t.add_argument("--routers", required=True, help="r1=ns1,r2=ns2,...")
    t.add_argument("--vip", required=True, help="IPv4 VIP")
    t.add_argument("--client-ns", required=True)
    t.add_argument("--sniff-ns")
    t.add_argument("--sniff-if")
    t.add_argument("--expect", required=True, help="routers that must hold the VIP at the end, comma list")
    t.add_argument("--action", default="true", help="bash snippet run at t0")
    t.add_argument("--pre", type=float, default=0.3)
    t.add_argument("--settle", type=float, default=0.5)
    t.add_argument("--timeout", type=float, default=10)
    t.add_argument("--interval", type=float, default=0.01)
    f = sub.add_parser("first-advert", help="process start -> first advert on the wire")
    f.add_argument("--out", required=True)
    f.add_argument("--meta", action="append", default=[], help="k=v copied into the record")
    f.add_argument("--sniff-ns", required=True)
    f.add_argument("--sniff-if", required=True)
    f.add_argument("--src", required=True, help="the router's IPv4 address")
    f.add_argument("--action", required=True, help="bash snippet that starts the daemon")
    f.add_argument("--timeout", type=float, default=30)
    r = sub.add_parser("report", help="tables from a results directory")
    r.add_argument("dir")
    a = ap.parse_args()
    if a.cmd == "trial":
        return trial(a)
    if a.cmd == "first-advert":
        return first_advert(a)
    report(a.dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
