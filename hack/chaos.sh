#!/usr/bin/env bash
# hack/chaos.sh - real floatip agents on a real wire under a seeded fault schedule, checked.
#
# Three nodes n1/n2/n3 (192.0.2.11-13) and a bridge, each in a network namespace (fipchaos-<pid>-*), no
# route out; a standalone agent on each node (hack/floatip agent --config ... --node-name nX) with
# two VirtualIPs, VRRPv3 multicast, preempt on:
#   chaos-a 192.0.2.200/24    VRID 51, priorities n1 150, n2 100, n3 50
#   chaos-b 198.51.100.200/24 VRID 52, priorities n3 150, n2 100, n1 50
# Faults, drawn from SEED alone (same seed -> same schedule), applied one after the other with a
# random gap (0.2-1.5 s, often shorter than the settle margin, so effects overlap):
#   kill   kill -9, down 0.1-1.5 s, restart (its addresses stay: an orphan until the restart)
#   term   SIGTERM (priority-0 advert), down 0.1-1.5 s, restart
#   stop   SIGSTOP 0.1-3 s, SIGCONT
#   flap   the node's switch port (bridge side of its veth) down 0.1-2 s, up
#   loss   nftables in the node: drop 25/50/75/100 % of VRRP (ip protocol 112) in and out, 1-4 s
#   oneway nftables in the node: drop all VRRP on input only or output only, 1-3 s
# The invariants are checked from `ip -ts -o monitor address`, one monitor per node namespace,
# by hack/chaos/chaos.py (RFC 5798 timers; A = advert interval, D = DELIVERY, the delivery bound:
# an advert on the wire + the receiver's scheduling and processing + the netlink change):
#   Skew_Time = (256 - Priority) * A / 256; Master_Down_Interval (MDI) = 3 A + Skew_Time, taken
#   for the lowest priority (50): 3.80 A
#   - outside partition/loss/port-down windows + settle (A + D): never two LIVE (running, not
#     stopped) nodes holding an address for longer than A + D;
#   - never no live holder for longer than MDI + D while a live node exists;
#   - a restarted agent has removed its killed predecessor's addresses D after it is ready; an
#     agent stopped by SIGTERM leaves no address (checked D after it exited);
#   - after the last fault (all agents ready): the highest-priority node alone holds each address
#     within settle + MDI + 2 D, and until the end;
#   - no agent dies on its own.
#   With A = 100 ms, D = 250 ms: dual 350 ms, no holder 630 ms, settle 350 ms, convergence 1230 ms.
# It prints faults by kind, violations (time, node, address, duration), the longest dual-holder and
# no-holder windows and the orphans, and exits 1 on any violation (2 on a set-up failure).
#
# Usage: sudo hack/chaos.sh [--dry-run] [--help]
#   --dry-run   print the plan (topology, bounds, schedule for the seed); no root, starts nothing
# Knobs: SEED=1  FAULTS=30  INTERVAL=100ms (advert interval)  DELIVERY=0.25 (s, D above)
#        OUT=/tmp/fipchaos-<date> (events.tsv, monitors, agent logs, report.txt)
#        MAX_SECONDS=0 (> 0: no new fault after that many seconds; the rest of the run, convergence
#          and the checks, as usual: a long run on a busy machine ends in time with what it did)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

DRY=0
case "${1:-}" in
  -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  -n | --dry-run) DRY=1 ;;
  "") ;;
  *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
esac

SEED=${SEED:-1}
FAULTS=${FAULTS:-30}
INTERVAL=${INTERVAL:-100ms}
DELIVERY=${DELIVERY:-0.25}
MAX_SECONDS=${MAX_SECONDS:-0}
OUT=${OUT:-/tmp/fipchaos-$(date +%Y%m%d-%H%M%S)}
PY=${PYTHON:-python3}
CHAOS=$ROOT/hack/chaos/chaos.py
JAR=${FLOATIP_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}   # (hack/floatip runs it)
export FLOATIP_JAR=$JAR
TAG=$$                                         # one run's namespaces: fipchaos-<pid>-*, so runs never meet
P=fipchaos-$TAG
port() { echo "fc$TAG$1"; }                    # the bridge side of node $1's veth (<= 15 characters)
NODES=(n1 n2 n3)
declare -A IP=([n1]=192.0.2.11 [n2]=192.0.2.12 [n3]=192.0.2.13)
VIPS=(192.0.2.200 198.51.100.200)
TOPS=(n1 n3)                                   # the highest priority of each VIP
PRIOS=150,100,50

[[ $SEED =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "SEED must be letters, digits, _ . - (got '$SEED')" >&2; exit 2; }
[[ $FAULTS =~ ^[1-9][0-9]*$ ]] || { echo "FAULTS must be a positive integer (got '$FAULTS')" >&2; exit 2; }
[[ $INTERVAL =~ ^[0-9]+(ms|s)$ ]] || { echo "INTERVAL must look like 100ms or 1s (got '$INTERVAL')" >&2; exit 2; }
[[ $MAX_SECONDS =~ ^[0-9]+$ ]] || { echo "MAX_SECONDS must be whole seconds (got '$MAX_SECONDS')" >&2; exit 2; }
[[ $DELIVERY =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "DELIVERY must be seconds, e.g. 0.25 (got '$DELIVERY')" >&2; exit 2; }
ADV=$(awk -v a="$INTERVAL" 'BEGIN { if (a ~ /ms$/) { sub(/ms$/, "", a); print a / 1000 } else { sub(/s$/, "", a); print a + 0 } }')

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 2; }

config() {
  local i vrid name
  for i in 0 1; do
    vrid=$((51 + i)); name=chaos-$([ $i = 0 ] && echo a || echo b)
    [ $i = 1 ] && echo ---
    cat <<EOF
apiVersion: floatip.dev/v1alpha1
kind: VirtualIP
metadata:
  name: $name
spec:
  addresses: [${VIPS[$i]}/24]
  interface: eth0
  virtualRouterId: $vrid
  version: 3
  advertisementInterval: $INTERVAL
  preempt: true
  transport: {mode: Multicast}
EOF
    if [ $i = 0 ]; then echo "  priority: {nodes: {n1: 150, n2: 100, n3: 50}}"
    else echo "  priority: {nodes: {n1: 50, n2: 100, n3: 150}}"; fi
  done
}

bounds() { "$PY" "$CHAOS" bounds --advert "$ADV" --priorities "$PRIOS" --delivery "$DELIVERY"; }

if [ "$DRY" = 1 ]; then
  echo "hack/chaos.sh plan (dry run: nothing is started)"
  echo
  echo "topology: namespaces $P-sw (bridge br0, STP and snooping off), $P-n1 $P-n2 $P-n3;"
  echo "  n1/n2/n3 = ${IP[n1]}/${IP[n2]}/${IP[n3]} on eth0, a veth to $P-sw (its port there: fc<pid>nX); no route out"
  echo "agents: ip netns exec $P-nX hack/floatip agent --config \$OUT/agent.yaml --node-name nX"
  echo "monitors: ip netns exec $P-nX ip -ts -o monitor address"
  echo
  config
  echo
  echo "bounds (seconds; A = $ADV, D = $DELIVERY):"
  bounds | sed 's/^/  /'
  echo
  echo "schedule (SEED=$SEED FAULTS=$FAULTS): #  kind  node  gap-before  duration  param"
  "$PY" "$CHAOS" plan --seed "$SEED" --faults "$FAULTS" | sed 's/^/  /'
  exit 0
fi

[ "$(id -u)" = 0 ] || die "needs root (network namespaces): sudo $0 (or --dry-run)"
for t in ip nft "$PY"; do command -v "$t" >/dev/null || die "missing: $t (Debian: apt-get install iproute2 nftables python3)"; done
[ -f "$JAR" ] || die "$JAR is not built: ./mvnw -B package -DskipTests"

mkdir -p "$OUT" || die "cannot create $OUT"
EV=$OUT/events.tsv
: >"$EV"
declare -A AGENT=() LOGOFF=()
MONS=()
CREATED=0
ev() { printf '%s\t%s\t%s\t%s\t%s\n' "$EPOCHREALTIME" "$1" "$2" "$3" "${4:-}" >>"$EV"; }

# gone: no process, or a zombie. (Unreadable counts as gone: bash reaps a dead child whenever it waits for
# another one, e.g. awk here, so "/proc/PID exists" and then "its stat is Z" can race to "no stat at all".)
gone() { local s; s=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null); [ -z "$s" ] || [ "$s" = Z ]; }
wait_gone() { local n=$(($2 * 20)); while ! gone "$1" && ((n-- > 0)); do sleep 0.05; done; gone "$1"; }

cleanup() {
  local rc=$? n pid
  trap - EXIT INT TERM
  if [ "$CREATED" = 1 ]; then
    log "cleaning up"
    for n in "${!AGENT[@]}"; do   # only the agents we started, by PID
      pid=${AGENT[$n]}
      gone "$pid" && continue
      kill -CONT "$pid" 2>/dev/null; kill -TERM "$pid" 2>/dev/null
    done
    for n in "${!AGENT[@]}"; do
      pid=${AGENT[$n]}
      wait_gone "$pid" 10 || { kill -KILL "$pid" 2>/dev/null; wait_gone "$pid" 3; }
      wait "$pid" 2>/dev/null
    done
    for pid in "${MONS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    for n in sw "${NODES[@]}"; do ip netns del "$P-$n" 2>/dev/null; done
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for n in sw "${NODES[@]}"; do
  if [ -e "/run/netns/$P-$n" ]; then
    [ -z "$(ip netns pids "$P-$n" 2>/dev/null)" ] || die "namespace $P-$n exists and has processes: is another chaos run going?"
    log "removing stale namespace $P-$n (left by an earlier run)"
    ip netns del "$P-$n"
  fi
done
CREATED=1
ip netns add "$P-sw" || die "ip netns add $P-sw"
ip -n "$P-sw" link set lo up
ip -n "$P-sw" link add br0 type bridge stp_state 0 mcast_snooping 0 || die "bridge"
ip -n "$P-sw" link set br0 up
for n in "${NODES[@]}"; do
  ip netns add "$P-$n" || die "ip netns add $P-$n"
  ip -n "$P-$n" link set lo up
  ip link add "$(port "$n")" netns "$P-sw" type veth peer name eth0 netns "$P-$n" || die "veth $n"
  ip -n "$P-sw" link set "$(port "$n")" master br0 up
  ip -n "$P-$n" addr add "${IP[$n]}/24" dev eth0
  ip -n "$P-$n" link set eth0 up
done
config >"$OUT/agent.yaml"
"$PY" "$CHAOS" plan --seed "$SEED" --faults "$FAULTS" >"$OUT/plan.tsv" || die "plan"
{
  echo "date: $(date -Is)"
  echo "command: SEED=$SEED FAULTS=$FAULTS INTERVAL=$INTERVAL DELIVERY=$DELIVERY MAX_SECONDS=$MAX_SECONDS hack/chaos.sh"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (dirty)')"
  echo "kernel: $(uname -r); cpus: $(nproc); nice: $(nice)"
  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/env.txt"
for n in "${NODES[@]}"; do
  ip netns exec "$P-$n" ip -ts -o monitor address >"$OUT/mon-$n.log" 2>&1 &
  MONS+=($!)
done

start_agent() {
  local n=$1
  LOGOFF[$n]=$(stat -c %s "$OUT/$n.log" 2>/dev/null || echo 0)
  ip netns exec "$P-$n" "$ROOT/hack/floatip" agent --config "$OUT/agent.yaml" --node-name "$n" </dev/null >>"$OUT/$n.log" 2>&1 &
  AGENT[$n]=$!
}
wait_ready() {  # both routers logged "VRID nn on eth0" since the start; records "ready"
  local n=$1 k=3600 text   # 180 s: a JVM start on a 2-vCPU machine at load 40 took over 45 s
  while ((k-- > 0)); do
    text=$(tail -c +"$((LOGOFF[$n] + 1))" "$OUT/$n.log" 2>/dev/null)
    if [[ $text == *"VRID 51 on eth0"* && $text == *"VRID 52 on eth0"* ]]; then ev ready "$n" on; return 0; fi
    gone "${AGENT[$n]}" && { ev died "$n" on "exited during start-up"; log "agent on $n exited during start-up"; return 1; }
    sleep 0.05
  done
  ev died "$n" on "not ready after 180 s"; log "agent on $n not ready after 180 s"
  return 1
}
holders() {  # the nodes holding address $1
  local n out=""
  for n in "${NODES[@]}"; do [[ $(ip -n "$P-$n" -o addr show dev eth0) == *" $1/"* ]] && out+="$n "; done
  echo "${out% }"
}
check_alive() {  # an agent that died on its own is a violation; restart it to go on
  local n
  for n in "${NODES[@]}"; do
    gone "${AGENT[$n]}" || continue
    wait "${AGENT[$n]}" 2>/dev/null; ev died "$n" on "exit status $?"
    log "agent on $n died on its own; restarting it"
    start_agent "$n"; wait_ready "$n" || exit 1
  done
}
nft_on() {  # node, loss %, "in out" | "in" | "out"
  local n=$1 pct=$2 dirs=$3 d rules="" match=""
  [ "$pct" -lt 100 ] && match="numgen random mod 100 < $pct "   # (100 % is a plain drop: nft allows < 0..99)
  for d in $dirs; do
    rules+="chain $d { type filter hook $([ "$d" = in ] && echo input || echo output) priority 0; policy accept; ip protocol 112 ${match}drop; }"$'\n'
  done
  printf 'table inet fipchaos {\n%s}\n' "$rules" | ip netns exec "$P-$n" nft -f - || die "nft in $P-$n"
}
nft_off() { ip netns exec "$P-$1" nft delete table inet fipchaos || die "nft delete in $P-$1"; }

fault() {  # kind node duration param
  local kind=$1 n=$2 dur=$3 param=$4 pid=${AGENT[$2]}
  case $kind in
    kill)
      ev kill "$n" on; kill -KILL "$pid"; wait "$pid" 2>/dev/null
      sleep "$dur"; ev kill "$n" off; start_agent "$n"; wait_ready "$n" || exit 1 ;;
    term)
      ev term "$n" on; kill -TERM "$pid"
      if ! wait_gone "$pid" 10; then
        ev died "$n" on "still running 10 s after SIGTERM"; kill -KILL "$pid"; wait_gone "$pid" 3
      fi
      wait "$pid" 2>/dev/null; ev exited "$n" on "exit status $?"
      sleep "$dur"; ev term "$n" off; start_agent "$n"; wait_ready "$n" || exit 1 ;;
    stop)
      ev stop "$n" on; kill -STOP "$pid"; sleep "$dur"; kill -CONT "$pid"; ev stop "$n" off ;;
    flap)
      ev flap "$n" on; ip -n "$P-sw" link set "$(port "$n")" down; sleep "$dur"
      ip -n "$P-sw" link set "$(port "$n")" up; ev flap "$n" off ;;
    loss)
      ev loss "$n" on "$param%"; nft_on "$n" "$param" "in out"; sleep "$dur"; nft_off "$n"; ev loss "$n" off ;;
    oneway)
      ev oneway "$n" on "$param"; nft_on "$n" 100 "$([ "$param" = input ] && echo in || echo out)"; sleep "$dur"; nft_off "$n"; ev oneway "$n" off ;;
    *) die "unknown fault $kind" ;;
  esac
}

T0=$SECONDS
log "starting 3 agents (advert $INTERVAL, seed $SEED, $FAULTS faults); output in $OUT"
for n in "${NODES[@]}"; do start_agent "$n"; done
for n in "${NODES[@]}"; do wait_ready "$n" || exit 2; done
k=0
until [ "$(holders "${VIPS[0]}")" = "${TOPS[0]}" ] && [ "$(holders "${VIPS[1]}")" = "${TOPS[1]}" ]; do
  ((k++ < 300)) || die "no initial election in 30 s: ${VIPS[0]} on '$(holders "${VIPS[0]}")', ${VIPS[1]} on '$(holders "${VIPS[1]}")'"
  sleep 0.1
done
ev begin - on
i=0
while IFS=$'\t' read -r idx kind node gap dur param; do
  if [ "$MAX_SECONDS" -gt 0 ] && [ $((SECONDS - T0)) -ge "$MAX_SECONDS" ]; then
    log "MAX_SECONDS=$MAX_SECONDS reached: stopping the schedule after $i of $FAULTS faults"
    break
  fi
  sleep "$gap"
  check_alive
  fault "$kind" "$node" "$dur" "$param"
  i=$((i + 1))
  ((i % 25 == 0)) && log "$i/$FAULTS faults done (load $(cut -d' ' -f1 /proc/loadavg))"
done <"$OUT/plan.tsv"
check_alive
ev quiet - on
# observe: the convergence bound, then 3 s of the converged state
sleep "$(bounds | awk -F= '$1 == "CONVERGE" { print $2 + 3 }')"
check_alive
ev end - on
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/env.txt"
echo "duration: $((SECONDS - T0)) s; faults applied: $i of $FAULTS" >>"$OUT/env.txt"
"$PY" "$CHAOS" check --dir "$OUT" --advert "$ADV" --priorities "$PRIOS" --delivery "$DELIVERY" \
  --vips "$(IFS=,; echo "${VIPS[*]}")" --top "$(IFS=,; echo "${TOPS[*]}")" --names chaos-a,chaos-b >"$OUT/report.txt"
rc=$?
{ sed 's/^/  /' "$OUT/env.txt"; cat "$OUT/report.txt"; } | tee "$OUT/summary.txt"
log "done in $((SECONDS - T0)) s; logs in $OUT"
exit $rc
