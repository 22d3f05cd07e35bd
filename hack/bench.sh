#!/usr/bin/env bash
# hack/bench.sh - floatip against keepalived, in one run, on one machine.
#
# Failover: the client-observed outage (longest gap between ICMP echo replies, a probe every
# 10 ms) when the master dies (hard: kill -9 + its switch port down + stale VIP deleted) and when
# it resigns (graceful: SIGTERM -> priority-0 advert), for each timing (VRRPv2/1 s, v3/1 s,
# v3/100 ms), REPS runs each, for keepalived and for floatip, in the topology of the keepalived
# baseline: one bridge, routers r1/r2/r3 (priorities 150/100/50) and a client.
# Resources: RSS, threads and CPU of the VRRP process with 1 and 100 VIPs (multicast, master r1 +
# backup r2) for each RES_TIMINGS, for both daemons; for floatip also the GC pauses in the window
# (-Xlog:gc, p99 and max).
# Start-up: process start -> first advert on the wire of a lone router (r1), STARTUP_REPS cold
# starts per daemon, timed by a sniffer on the bridge (issue 15).
# Prints min/median/max per cell and the floatip/keepalived ratio of the medians.
#
# Usage: sudo hack/bench.sh [--dry-run] [--help]
#   --dry-run   print the plan (topology, configs, trials, estimated time); needs no root,
#               starts nothing. Cheap enough for CI.
# Knobs (environment):
#   REPS=5                         runs per cell
#   TIMINGS="v2/1s v3/1s v3/100ms" VRRP version / advert interval (floatip syntax: 1s, 100ms, ...);
#                                  TIMINGS="" skips the failover part
#   SCENARIOS="hard graceful"      failure kinds
#   DAEMONS="keepalived floatip"
#   MODE=Multicast                 or Unicast (every router lists the other two as peers)
#   RESOURCES=1                    0 = skip the RSS/CPU part; RES_VIPS="1 100"
#   RES_SECS=30 RES_WARMUP=20      CPU window, and the wait after all VIPs are up before it
#   RES_TIMINGS="v2/1s v3/100ms"   VRRP version / advert interval of the resource runs
#   JAVA_OPTS="-XX:+UseSerialGC"   JVM flags of the agent (besides --enable-native-access)
#   LAUNCH=aot                     how the agent starts: aot = dev.floatip.cli.AgentMain on the plain
#                                  class path with a JDK AOT cache trained here with JAVA_OPTS (as
#                                  hack/floatip and the image); plain = the same without the cache;
#                                  jar = java -jar quarkus-run.jar agent (the launcher before issue 15)
#   STARTUP=1 STARTUP_REPS=5       0 = skip the start-up part; STARTUP_TIMING=v3/100ms
#   FLOATIP_JAR=target/quarkus-app/quarkus-run.jar   the build to run (its directory's jars)
#   QUICK=1                        smoke run: REPS=1 TIMINGS=v3/100ms RES_SECS=5 RES_WARMUP=2
#   OUT=/tmp/fipbench-<date>       results: summary.md, trials.jsonl, resources.jsonl, configs, logs
# Everything lives in network namespaces fipbench-*, addresses from 192.0.2.0/24 and
# 198.51.100.0/24, no route out; all of it is removed on exit (Ctrl-C included).
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

if [ -n "${QUICK:-}" ] && [ "${QUICK:-0}" != 0 ]; then
  REPS=${REPS:-1}; TIMINGS=${TIMINGS:-v3/100ms}; RES_SECS=${RES_SECS:-5}; RES_WARMUP=${RES_WARMUP:-2}
fi
REPS=${REPS:-5}
TIMINGS=${TIMINGS-"v2/1s v3/1s v3/100ms"}
SCENARIOS=${SCENARIOS:-"hard graceful"}
DAEMONS=${DAEMONS:-"keepalived floatip"}
MODE=${MODE:-Multicast}
RESOURCES=${RESOURCES:-1}
RES_VIPS=${RES_VIPS:-"1 100"}
RES_SECS=${RES_SECS:-30}
RES_WARMUP=${RES_WARMUP:-20}
RES_TIMINGS=${RES_TIMINGS:-"v2/1s v3/100ms"}
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseSerialGC"}
LAUNCH=${LAUNCH:-aot}
STARTUP=${STARTUP:-1}
STARTUP_REPS=${STARTUP_REPS:-5}
STARTUP_TIMING=${STARTUP_TIMING:-v3/100ms}
AGENT_MAIN=dev.floatip.cli.AgentMain
AOT_OPT=""
# an agent out of heap must end at once, whatever JAVA_OPTS says (issue 12)
FATAL_OPTS="-XX:+ExitOnOutOfMemoryError"
OUT=${OUT:-/tmp/fipbench-$(date +%Y%m%d-%H%M%S)}
PY=${PYTHON:-python3}
PROBE=$ROOT/hack/bench_probe.py
JAR=${FLOATIP_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}   # another build's, e.g. for a before/after

P=fipbench                                   # prefix of every namespace we create
NSS=("$P-sw" "$P-r1" "$P-r2" "$P-r3" "$P-cl")
ROUTERS=(r1 r2 r3)
declare -A IP=([r1]=192.0.2.11 [r2]=192.0.2.12 [r3]=192.0.2.13 [cl]=192.0.2.100)
declare -A PRIO=([r1]=150 [r2]=100 [r3]=50)
VIP=192.0.2.200
VRID=51
RUN=""                                        # scratch dir (configs, pids, logs)

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ------------------------------------------------------------------ timings
ver_of() { echo "${1%%/*}" | tr -d v; }       # v3/100ms -> 3
adv_of() { echo "${1#*/}"; }                  # v3/100ms -> 100ms
adv_secs() {                                  # 100ms -> 0.1, 1s -> 1, 1.5s -> 1.5
  awk -v a="$1" 'BEGIN { if (a ~ /ms$/) { sub(/ms$/, "", a); print a / 1000 } else { sub(/s$/, "", a); print a + 0 } }'
}
calc() { awk "BEGIN { printf \"%.3f\", $* }"; }

# ------------------------------------------------------------------ configs
# gen_conf DAEMON ROUTER VERSION ADVERT NVIPS -> config on stdout.
# NVIPS=0: the failover setup (VRID 51, 192.0.2.200/24); N>0: VRIDs 1..N, 198.51.100.1..N/32.
gen_conf() {
  local dm=$1 r=$2 ver=$3 adv=$4 n=$5 i vrid vip peers=() p
  for p in "${ROUTERS[@]}"; do [ "$p" != "$r" ] && peers+=("${IP[$p]}"); done
  local count=$n; [ "$n" = 0 ] && count=1
  if [ "$dm" = keepalived ]; then
    printf '# hack/bench.sh: router=%s version=%s advert=%s vips=%s mode=%s\n' "$r" "$ver" "$adv" "$count" "$MODE"
    printf 'global_defs {\n    router_id %s-%s\n    vrrp_version %s\n}\n' "$P" "$r" "$ver"
    for ((i = 1; i <= count; i++)); do
      if [ "$n" = 0 ]; then vrid=$VRID; vip=$VIP/24; else vrid=$i; vip=198.51.100.$i/32; fi
      printf '\nvrrp_instance VI_%d {\n    state BACKUP\n    interface eth0\n' "$i"
      printf '    virtual_router_id %d\n    priority %d\n    advert_int %s\n' "$vrid" "${PRIO[$r]}" "$(adv_secs "$adv")"
      if [ "$MODE" = Unicast ]; then
        printf '    unicast_src_ip %s\n    unicast_peer {\n' "${IP[$r]}"
        printf '        %s\n' "${peers[@]}"
        printf '    }\n'
      fi
      printf '    virtual_ipaddress {\n        %s dev eth0\n    }\n}\n' "$vip"
    done
  else
    for ((i = 1; i <= count; i++)); do
      if [ "$n" = 0 ]; then vrid=$VRID; vip=$VIP/24; else vrid=$i; vip=198.51.100.$i/32; fi
      [ "$i" -gt 1 ] && echo ---
      cat <<EOF
# hack/bench.sh: router=$r version=$ver advert=$adv mode=$MODE
apiVersion: floatip.dev/v1alpha1
kind: VirtualIP
metadata:
  name: bench-$vrid
spec:
  addresses: [$vip]
  interface: eth0
  virtualRouterId: $vrid
  version: $ver
  advertisementInterval: $adv
  transport:
    mode: $MODE
EOF
      [ "$MODE" = Unicast ] && printf '    peers: [%s]\n' "$(IFS=,; echo "${peers[*]}" | sed 's/,/, /g')"
      printf '  priority:\n    nodes: {r1: %d, r2: %d, r3: %d}\n' "${PRIO[r1]}" "${PRIO[r2]}" "${PRIO[r3]}"
    done
  fi
}

daemon_cmd() { # DAEMON ROUTER -> the command run in the router's namespace
  local dm=$1 r=$2
  if [ "$dm" = keepalived ]; then
    echo "keepalived -n -l -D -G -P -f $RUN/$r.conf -p $RUN/$r.pid -r $RUN/$r.vrrp.pid"
  elif [ "$LAUNCH" = jar ]; then
    echo "$JAVA --enable-native-access=ALL-UNNAMED $FATAL_OPTS $JAVA_OPTS ${GC_LOG:+-Xlog:gc:file=$RUN/$r.gc.log} -jar $JAR agent --config $RUN/$r.conf --node-name $r"
  else
    echo "$JAVA --enable-native-access=ALL-UNNAMED $FATAL_OPTS $JAVA_OPTS ${GC_LOG:+-Xlog:gc:file=$RUN/$r.gc.log} $AOT_OPT @$RUN/agent.args $AGENT_MAIN agent --config $RUN/$r.conf --node-name $r"
  fi
}

# The agent's plain class path (every jar, in hack/floatip's order) and, for LAUNCH=aot, its AOT
# cache from a training run with the same flags and class path.
prepare_agent() {
  [ "$LAUNCH" = jar ] && return 0
  local app; app=$(dirname "$JAR")
  { printf '%s\n' -cp; { ls "$app"/app/*.jar | LC_ALL=C sort; ls "$app"/lib/boot/*.jar | LC_ALL=C sort
      ls "$app"/lib/main/*.jar | LC_ALL=C sort; } | paste -sd:; } >"$RUN/agent.args"
  [ "$LAUNCH" = aot ] || return 0
  log "training the agent's AOT cache"
  # shellcheck disable=SC2086
  "$JAVA" --enable-native-access=ALL-UNNAMED $FATAL_OPTS $JAVA_OPTS @"$RUN/agent.args" \
    -XX:AOTCacheOutput="$RUN/agent.aot" "$AGENT_MAIN" train >"$OUT/logs/aot-training.log" 2>&1 ||
    die "the AOT training run failed (see $OUT/logs/aot-training.log)"
  AOT_OPT="-XX:AOTCache=$RUN/agent.aot"
}

# ------------------------------------------------------------------ dry run
dry_run() {
  echo "hack/bench.sh plan (dry run: nothing is started)"
  echo
  echo "tools:"
  local t miss=0
  for t in ip ping "$PY" keepalived; do
    if command -v "$t" >/dev/null; then echo "  $t: $(command -v "$t")"; else echo "  $t: MISSING"; miss=1; fi
  done
  echo "  java: ${JAVA:-MISSING}"
  echo "  jar: $([ -f "$JAR" ] && echo "$JAR" || echo "missing, would build it with: ./mvnw ${MVN_FLAGS:--B -q -ntp} package -DskipTests")"
  echo
  echo "topology: namespaces ${NSS[*]}; bridge br0 in $P-sw (STP off, snooping off);"
  echo "  r1/r2/r3 = ${IP[r1]}/${IP[r2]}/${IP[r3]} (priorities ${PRIO[r1]}/${PRIO[r2]}/${PRIO[r3]}), client ${IP[cl]}; VIP $VIP/24, VRID $VRID; $MODE"
  echo
  echo "failover trials (REPS=$REPS):"
  local tm dm sc total=0 adv
  for tm in $TIMINGS; do
    adv=$(adv_secs "$(adv_of "$tm")")
    for dm in $DAEMONS; do
      for sc in $SCENARIOS; do
        echo "  $dm $tm $sc x$REPS, each followed by the old master's return (restart, preempts back)"
        # pre ~1.5 adv, failover <= 3.6 adv, settle, return: start + 3.4 adv + settle
        local start=0.2; [ "$dm" = floatip ] && start=6   # JVM start-up on a busy 2-vCPU VM
        total=$(calc "$total + $REPS * (1.5 * $adv + 3.6 * $adv + 0.5 + $start + 3.5 * $adv + 1.3)")
      done
      total=$(calc "$total + 3.5 * $adv + 3")
    done
  done
  if [ "$STARTUP" = 1 ]; then
    echo "start-up: $DAEMONS, $STARTUP_REPS cold starts each of a lone r1 at $STARTUP_TIMING (process start -> first advert; agent LAUNCH=$LAUNCH)"
    total=$(calc "$total + $STARTUP_REPS * 8")
  fi
  if [ "$RESOURCES" = 1 ]; then
    echo "resources: $DAEMONS x VIPs {$RES_VIPS} x {$RES_TIMINGS}: warm-up ${RES_WARMUP}s, CPU window ${RES_SECS}s, master r1 + backup r2"
    for dm in $DAEMONS; do for t in $RES_VIPS; do for tm in $RES_TIMINGS; do total=$(calc "$total + $RES_SECS + $RES_WARMUP + 8"); done; done; done
  fi
  echo "estimated time: $(calc "$total / 60") min"
  echo
  local first=${TIMINGS%% *}; first=${first:-v2/1s}
  for dm in $DAEMONS; do
    RUN=/tmp/fipbench-run
    echo "--- $dm, r1, $first: $(daemon_cmd "$dm" r1)"
    gen_conf "$dm" r1 "$(ver_of "$first")" "$(adv_of "$first")" 0
    echo
  done
  [ "$miss" = 0 ] || { echo "missing tools: install them before a real run"; return 1; }
}

# ------------------------------------------------------------------ process handling
# We only signal PIDs we started (recorded in $RUN/*.main, *.vrrp.pid) and only while they
# still live in one of our namespaces.
ours() { local ns; [ -n "${1:-}" ] && [ -d "/proc/$1" ] && ns=$(ip netns identify "$1" 2>/dev/null) && [[ " ${NSS[*]} " == *" $ns "* ]]; }
signal() { ours "$2" && kill "-$1" "$2" 2>/dev/null; return 0; }
gone() { [ ! -d "/proc/$1" ] || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
wait_gone() { local n=$(($2 * 20)); while ! gone "$1" && ((n-- > 0)); do sleep 0.05; done; gone "$1"; }
main_pid() { cat "$RUN/$1.main" 2>/dev/null; }
vrrp_pid() { # keepalived: the VRRP child; floatip: the JVM
  local p; p=$(cat "$RUN/$1.vrrp.pid" 2>/dev/null)
  if [ -n "$p" ] && [ -d "/proc/$p" ]; then echo "$p"; else main_pid "$1"; fi
}
start_snippet() { # ROUTER -> bash that starts the current daemon on ROUTER in the background
  printf 'rm -f %s/%s.pid %s/%s.vrrp.pid; ip netns exec %s-%s %s </dev/null >>%s/%s-%s.log 2>&1 & echo $! >%s/%s.main; ' \
    "$RUN" "$1" "$RUN" "$1" "$P" "$1" "$(daemon_cmd "$DAEMON" "$1")" "$RUN" "$DAEMON" "$1" "$RUN" "$1"
}
wait_vrrp_pid() { # keepalived writes its child's pid file a little after start
  local n=100
  [ "$DAEMON" = keepalived ] || return 0
  while ((n-- > 0)); do [ -s "$RUN/$1.vrrp.pid" ] && return 0; sleep 0.05; done
  log "no VRRP pid file for $1"
}
stop_router() {
  local r=$1 m c
  m=$(main_pid "$r"); c=$(cat "$RUN/$r.vrrp.pid" 2>/dev/null)
  [ -n "$m" ] || return 0
  signal TERM "$m"
  wait_gone "$m" 10 || { log "$DAEMON on $r ignored SIGTERM for 10 s, killing it"; signal KILL "$c"; signal KILL "$m"; wait_gone "$m" 3; }
  [ -n "$c" ] && { wait_gone "$c" 2 || signal KILL "$c"; }
  rm -f "$RUN/$r.main"
}
stop_all() {
  local r
  for r in r3 r2 r1; do stop_router "$r"; done  # lowest priority first: no chain of failovers
  for r in "${ROUTERS[@]}"; do
    ip -n "$P-$r" -4 addr flush dev eth0 to 198.51.100.0/24 2>/dev/null
    ip -n "$P-$r" addr del "$VIP/24" dev eth0 2>/dev/null
  done
  ip -n "$P-cl" neigh flush all 2>/dev/null
  return 0
}

# ------------------------------------------------------------------ topology
setup() {
  local ns n
  for ns in "${NSS[@]}"; do
    if [ -e "/run/netns/$ns" ]; then
      [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] || die "namespace $ns exists and has processes: is another bench running?"
      log "removing stale namespace $ns (left by an earlier run)"
      ip netns del "$ns"
    fi
  done
  CREATED=1
  for ns in "${NSS[@]}"; do
    ip netns add "$ns" || die "ip netns add $ns"
    ip -n "$ns" link set lo up
  done
  ip -n "$P-sw" link add br0 type bridge stp_state 0 mcast_snooping 0 || die "bridge"
  ip -n "$P-sw" link set br0 up
  for n in r1 r2 r3 cl; do
    ip link add "$P-$n" netns "$P-sw" type veth peer name eth0 netns "$P-$n" || die "veth $n"
    ip -n "$P-sw" link set "$P-$n" master br0 up
    ip -n "$P-$n" addr add "${IP[$n]}/24" dev eth0
    ip -n "$P-$n" link set eth0 up
  done
  sleep 0.3
  ip netns exec "$P-cl" ping -c1 -W2 "${IP[r1]}" >/dev/null || die "the segment does not work"
}

cleanup() {
  local rc=$? r
  trap - EXIT INT TERM
  if [ "${CREATED:-0}" = 1 ]; then
    log "cleaning up"
    for r in "${ROUTERS[@]}"; do DAEMON=${DAEMON:-keepalived} stop_router "$r" 2>/dev/null; done
    for r in "${NSS[@]}"; do ip netns del "$r" 2>/dev/null; done
  fi
  [ -n "$RUN" ] && [ -d "$RUN" ] && { cp "$RUN"/*.log "$OUT/logs/" 2>/dev/null; rm -rf "$RUN"; }
  exit $rc
}

# ------------------------------------------------------------------ trials
trial() { # LABEL SCENARIO EXPECT TIMEOUT PRE ACTION
  local p=()
  "$PY" "$PROBE" trial --out "$OUT/trials.jsonl" --label "$1" \
    --meta daemon="$DAEMON" --meta timing="$TIMING" --meta scenario="$2" --meta rep="$REP" --meta mode="$MODE" --meta load="$(cut -d' ' -f1 /proc/loadavg)" \
    --routers "r1=$P-r1,r2=$P-r2,r3=$P-r3" --vip "$VIP" --client-ns "$P-cl" --sniff-ns "$P-sw" --sniff-if br0 \
    --expect "$3" --timeout "$4" --pre "$5" --settle 0.5 --interval 0.01 --action "$6" ||
    log "trial '$1' did not settle (see trials.jsonl)"
}

# Readiness: keepalived logs "Entering BACKUP/MASTER STATE", floatip "VRID n on eth0" once a
# router runs; a floatip router that starts in FAULT logs "-> FAULT" and never leaves it.
mark_log() { stat -c %s "$RUN/$DAEMON-$1.log" 2>/dev/null >"$RUN/$1.off" || echo 0 >"$RUN/$1.off"; }
new_log() { tail -c +"$(($(cat "$RUN/$1.off" 2>/dev/null || echo 0) + 1))" "$RUN/$DAEMON-$1.log" 2>/dev/null; }
wait_ready() { # ROUTER TIMEOUT_S -> 0 ready, 1 not (dead, FAULT or timeout)
  local r=$1 n=$(($2 * 10)) ok="Entering (BACKUP|MASTER) STATE" text
  [ "$DAEMON" = floatip ] && ok="VRID $VRID on eth0"
  while ((n-- > 0)); do
    text=$(new_log "$r")   # (no "| grep -q": with pipefail, SIGPIPE of the writer fails the pipeline)
    if [[ $text == *"-> FAULT"* ]]; then log "$DAEMON on $r started in FAULT: $(grep -m1 'ERROR\|FAULT' <<<"$text")"; return 1; fi
    grep -Eq "$ok" <<<"$text" && { wait_vrrp_pid "$r"; return 0; }
    ours "$(main_pid "$r")" || { log "$DAEMON on $r exited during start-up"; return 1; }
    sleep 0.1
  done
  log "$DAEMON on $r not ready after $2 s"
  return 1
}
sole_master() { # r1 alone holds the VIP and all three daemons run
  local r
  for r in "${ROUTERS[@]}"; do ours "$(main_pid "$r")" || return 1; done
  [[ $(ip -n "$P-r1" -o addr show dev eth0) == *" $VIP/"* ]] || return 1
  [[ $(ip -n "$P-r2" -o addr show dev eth0) != *" $VIP/"* && $(ip -n "$P-r3" -o addr show dev eth0) != *" $VIP/"* ]]
}
recover() { # restart r1 (and whatever else died) until r1 is the sole master again
  local r k
  for k in 1 2 3; do
    log "setup: r1 is not the sole master or a daemon is down; restarting (attempt $k)"
    for r in r3 r2; do
      ours "$(main_pid "$r")" && continue
      mark_log "$r"; bash -c "$(start_snippet "$r")"; wait_ready "$r" 90
    done
    stop_router r1
    mark_log r1
    trial "$TAG recover" recover r1 "$(calc "$DOWN + 60")" 0.3 "$(start_snippet r1)"
    wait_ready r1 5 && sole_master && return 0
  done
  die "could not bring r1 back as the sole master (logs: $OUT/logs)"
}

run_timing() { # DAEMON TIMING
  DAEMON=$1 TIMING=$2 REP=0 TAG="$1 $2"
  local ver adv a r i sc m c all=""
  ver=$(ver_of "$TIMING"); adv=$(adv_of "$TIMING"); a=$(adv_secs "$adv")
  log "=== $TAG"
  stop_all
  for r in "${ROUTERS[@]}"; do
    gen_conf "$DAEMON" "$r" "$ver" "$adv" 0 >"$RUN/$r.conf"
    cp "$RUN/$r.conf" "$OUT/configs/$DAEMON-${TIMING//\//-}-$r.conf"
    mark_log "$r"
    all+=$(start_snippet "$r")
  done
  DOWN=$(calc "3 * $a + 1")                     # > Master_Down_Interval
  trial "$TAG elect" elect r1 "$(calc "$DOWN + 60")" 0.2 "$all"
  # the backups must run (a JVM can start seconds after another one) and have heard the master
  for r in "${ROUTERS[@]}"; do wait_ready "$r" 90; done
  sleep "$(calc "3 * $a + 0.5")"
  pre() { calc "$a + 0.05 + $a * $RANDOM / 32768"; }   # random phase of the master's advert timer
  for ((i = 1; i <= REPS; i++)); do
    REP=$i
    for sc in $SCENARIOS; do
      sole_master || recover
      m=$(main_pid r1); c=$(vrrp_pid r1)
      case $sc in
        hard)
          local kills="kill -KILL $c"
          [ "$DAEMON" = keepalived ] && kills="kill -STOP $m; kill -KILL $c; kill -KILL $m"  # no respawn, no clean exit
          trial "$TAG hard #$i" hard r2 "$(calc "$DOWN + 5")" "$(pre)" \
            "$kills; ip -n $P-sw link set $P-r1 down; ip -n $P-r1 addr del $VIP/24 dev eth0 2>/dev/null; true"
          wait_gone "$m" 3
          ip -n "$P-sw" link set "$P-r1" up; sleep 0.3 ;;
        graceful)
          trial "$TAG graceful #$i" graceful r2 "$(calc "$DOWN + 5")" "$(pre)" "kill -TERM $m"
          wait_gone "$m" 10 || { log "$DAEMON on r1 still running 10 s after SIGTERM"; stop_router r1; } ;;
        *) die "unknown scenario $sc" ;;
      esac
      mark_log r1
      trial "$TAG back after $sc #$i" "back-after-$sc" r1 "$(calc "$DOWN + 60")" 0.3 "$(start_snippet r1)"
      wait_ready r1 5
    done
  done
  stop_all
}

# ------------------------------------------------------------------ start-up
# Cold start of a lone r1 (the failover config at STARTUP_TIMING): the probe forks the start
# snippet and times the first advert from r1 on the bridge. A lone backup becomes master after
# Master_Down_Interval (RFC 5798 6.1: 3 x advert + Skew_Time), which the report subtracts.
run_startup() { # DAEMON
  DAEMON=$1
  local ver adv a i mdi
  ver=$(ver_of "$STARTUP_TIMING"); adv=$(adv_of "$STARTUP_TIMING"); a=$(adv_secs "$adv")
  mdi=$(calc "1000 * (3 * $a + (256 - ${PRIO[r1]}) * $a / 256)")
  [ "$ver" = 2 ] && mdi=$(calc "1000 * (3 * $a + (256 - ${PRIO[r1]}) / 256)")
  log "=== start-up $DAEMON ($STARTUP_TIMING, $STARTUP_REPS cold starts)"
  stop_all
  gen_conf "$DAEMON" r1 "$ver" "$adv" 0 >"$RUN/r1.conf"
  cp "$RUN/r1.conf" "$OUT/configs/$DAEMON-startup-r1.conf"
  for ((i = 1; i <= STARTUP_REPS; i++)); do
    mark_log r1
    "$PY" "$PROBE" first-advert --out "$OUT/startup.jsonl" --sniff-ns "$P-sw" --sniff-if br0 --src "${IP[r1]}" \
      --meta daemon="$DAEMON" --meta timing="$STARTUP_TIMING" --meta rep="$i" --meta master_down_ms="$mdi" \
      --meta launch="$([ "$DAEMON" = floatip ] && echo "$LAUNCH")" --meta load="$(cut -d' ' -f1 /proc/loadavg)" \
      --action "$(start_snippet r1)" --timeout 30 || log "start-up #$i of $DAEMON: no advert within 30 s"
    wait_ready r1 10 >/dev/null 2>&1
    stop_router r1
    ip -n "$P-r1" addr del "$VIP/24" dev eth0 2>/dev/null
  done
}

# ------------------------------------------------------------------ resources
vip_list() { ip -n "$P-$1" -4 -o addr show dev eth0 to 198.51.100.0/24 | awk '{ print $4 }' | sort; }
vip_count() { vip_list "$1" | wc -l; }
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
status() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }
# GC pauses logged (-Xlog:gc) after byte OFFSET of FILE: "count p99_ms max_ms" (0 0 0: none).
gc_pauses() {
  tail -c +"$(($2 + 1))" "$1" 2>/dev/null | grep -o 'Pause [^)]*) .* [0-9.]*ms$' | grep -o '[0-9.]*ms$' | tr -d ms | sort -n |
    awk '{ v[NR] = $1 } END { if (NR == 0) { print "0 0 0"; exit } i = int(NR * 0.99 + 0.999); if (i > NR) i = NR; print NR, v[i], v[NR] }'
}
run_resources() { # DAEMON NVIPS TIMING
  DAEMON=$1
  local n=$2 tm=$3 r t0 up k
  log "=== resources $DAEMON, $n VIPs, $tm"
  stop_all
  for r in r1 r2; do
    gen_conf "$DAEMON" "$r" "$(ver_of "$tm")" "$(adv_of "$tm")" "$n" >"$RUN/$r.conf"
    cp "$RUN/$r.conf" "$OUT/configs/$DAEMON-res-$n-${tm/\//-}-$r.conf"
    rm -f "$RUN/$r.gc.log"
  done
  t0=$EPOCHREALTIME
  bash -c "$(GC_LOG=1 start_snippet r1)$(GC_LOG=1 start_snippet r2)"
  k=0
  while [ "$(vip_count r1)" -lt "$n" ] && ((k++ < 600)); do sleep 0.05; done
  up=$(calc "$EPOCHREALTIME - $t0")
  local on1 on2 both; on1=$(vip_count r1); on2=$(vip_count r2)
  [ "$on1" -ge "$n" ] || { log "r1 holds only $on1 of $n VIPs after ${up}s"; up=-1; }
  [ "$on2" = 0 ] || log "r2 holds $on2 VIPs: $(vip_list r2 | tr '\n' ' ')"
  both=$(comm -12 <(vip_list r1) <(vip_list r2) | wc -l)
  [ "$both" = 0 ] || log "$both VIPs were on r1 and r2 at that moment (checked again after the warm-up)"
  wait_vrrp_pid r1; wait_vrrp_pid r2
  sleep "$RES_WARMUP"
  both=$(comm -12 <(vip_list r1) <(vip_list r2) | wc -l)
  [ "$both" = 0 ] || log "after the warm-up, $both VIPs are on r1 AND r2: $(comm -12 <(vip_list r1) <(vip_list r2) | tr '\n' ' ')"
  on1=$(vip_count r1); on2=$(vip_count r2)
  local p1 p2 a1 a2 w0 w1 b1 b2 g1 g2
  p1=$(vrrp_pid r1); p2=$(vrrp_pid r2)
  g1=$(stat -c %s "$RUN/r1.gc.log" 2>/dev/null || echo 0); g2=$(stat -c %s "$RUN/r2.gc.log" 2>/dev/null || echo 0)
  a1=$(cpu_ns "$p1"); a2=$(cpu_ns "$p2"); w0=$EPOCHREALTIME
  sleep "$RES_SECS"
  b1=$(cpu_ns "$p1"); b2=$(cpu_ns "$p2"); w1=$EPOCHREALTIME
  for r in r1 r2; do
    local p a b g role=master; [ $r = r2 ] && role=backup
    if [ $r = r1 ]; then p=$p1 a=$a1 b=$b1 g=$g1; else p=$p2 a=$a2 b=$b2 g=$g2; fi
    ours "$p" || { log "$DAEMON on $r died during the resource window"; continue; }
    [ -f "$RUN/$r.gc.log" ] && cp "$RUN/$r.gc.log" "$OUT/logs/$DAEMON-res-$n-${tm/\//-}-$r.gc.log"
    # shellcheck disable=SC2046
    set -- $(gc_pauses "$RUN/$r.gc.log" "$g")
    awk -v d="$DAEMON" -v n="$n" -v tm="$tm" -v role="$role" -v pid="$p" -v rss="$(status "$p" VmRSS)" -v anon="$(status "$p" RssAnon)" \
      -v hwm="$(status "$p" VmHWM)" -v thr="$(status "$p" Threads)" -v a="$a" -v b="$b" -v w0="$w0" -v w1="$w1" -v up="$up" \
      -v main_rss="$(status "$(main_pid $r)" VmRSS)" -v on1="$on1" -v on2="$on2" -v both="$both" \
      -v gcn="$1" -v gcp99="$2" -v gcmax="$3" -v gclog="$([ -f "$RUN/$r.gc.log" ] && echo 1 || echo 0)" \
      'BEGIN { w = w1 - w0; printf "{\"daemon\":\"%s\",\"vips\":%d,\"timing\":\"%s\",\"role\":\"%s\",\"pid\":%d,\"rss_kb\":%d,\"rss_anon_kb\":%d,\"hwm_kb\":%d,\"main_rss_kb\":%d,\"threads\":%d,\"cpu_ms\":%.3f,\"window_s\":%.3f,\"cpu_pct\":%.4f,\"up_s\":%.2f,\"vips_r1\":%d,\"vips_r2\":%d,\"vips_both\":%d", d, n, tm, role, pid, rss, anon, hwm, main_rss, thr, (b - a) / 1e6, w, 100 * (b - a) / 1e9 / w, up, on1, on2, both
               if (gclog) printf ",\"gc_pauses\":%d,\"gc_p99_ms\":%.3f,\"gc_max_ms\":%.3f", gcn, gcp99, gcmax
               print "}" }' \
      >>"$OUT/resources.jsonl"
  done
  stop_all
}

# ------------------------------------------------------------------ main
. "$ROOT/hack/setup.sh"
[ "$DRY" = 1 ] && export FLOATIP_NO_INSTALL=1
floatip_jdk 2>/dev/null || true   # reported below as "java: MISSING" when absent
MVN=$ROOT/mvnw
JAVA=$(command -v "${JAVA_HOME:+$JAVA_HOME/bin/}java" || true)

if [ "$DRY" = 1 ]; then dry_run; exit $?; fi

[ "$(id -u)" = 0 ] || die "needs root (network namespaces): sudo $0"
missing=()
for t in ip ping "$PY"; do command -v "$t" >/dev/null || missing+=("$t"); done
[[ " $DAEMONS " == *" keepalived "* ]] && ! command -v keepalived >/dev/null && missing+=(keepalived)
[[ " $DAEMONS " == *" floatip "* ]] && [ -z "$JAVA" ] && missing+=("java (JDK >= 21, set JAVA_HOME)")
[ ${#missing[@]} = 0 ] || die "missing: ${missing[*]} (Debian: apt-get install iproute2 iputils-ping python3 keepalived)"

if [[ " $DAEMONS " == *" floatip "* ]] && [ ! -f "$JAR" ]; then
  floatip_setup || die "the agent jar is missing and the build's set-up failed (see above)"
  log "building floatip (./mvnw ${MVN_FLAGS:--B -q -ntp} package -DskipTests)"
  mkdir -p "$ROOT/target"
  # shellcheck disable=SC2086
  "$MVN" ${MVN_FLAGS:--B -q -ntp} package -DskipTests >"$ROOT/target/bench-build.log" 2>&1 || { tail -30 "$ROOT/target/bench-build.log"; die "build failed"; }
fi

mkdir -p "$OUT/configs" "$OUT/logs" || die "cannot create $OUT"
RUN=$(mktemp -d /tmp/fipbench-run.XXXXXX)
trap cleanup EXIT
trap 'exit 130' INT TERM
{
  echo "date: $(date -Is)"
  echo "command: ${QUICK:+QUICK=$QUICK }LAUNCH=$LAUNCH STARTUP=$STARTUP STARTUP_REPS=$STARTUP_REPS STARTUP_TIMING=$STARTUP_TIMING REPS=$REPS TIMINGS=\"$TIMINGS\" SCENARIOS=\"$SCENARIOS\" DAEMONS=\"$DAEMONS\" MODE=$MODE RESOURCES=$RESOURCES RES_VIPS=\"$RES_VIPS\" RES_SECS=$RES_SECS RES_WARMUP=$RES_WARMUP RES_TIMINGS=\"$RES_TIMINGS\" JAVA_OPTS=\"$JAVA_OPTS\" hack/bench.sh"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (dirty)')"
  echo "kernel: $(uname -r)"
  echo "cpu: $(nproc) x $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "memory: $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
  echo "keepalived: $(keepalived --version 2>&1 | head -1)"
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
  echo "agent: $(RUN='$RUN' DAEMON=floatip daemon_cmd floatip r1) (LAUNCH=$LAUNCH)"
  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/env.txt"
[[ " $DAEMONS " == *" floatip "* ]] && prepare_agent
setup
log "topology up; results -> $OUT"
T0=$SECONDS
if [ "$STARTUP" = 1 ]; then
  for dm in $DAEMONS; do run_startup "$dm"; done
fi
for tm in $TIMINGS; do
  for dm in $DAEMONS; do run_timing "$dm" "$tm"; done
done
if [ "$RESOURCES" = 1 ]; then
  for tm in $RES_TIMINGS; do
    for n in $RES_VIPS; do
      for dm in $DAEMONS; do run_resources "$dm" "$n" "$tm"; done
    done
  done
fi
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/env.txt"
echo "duration: $((SECONDS - T0)) s" >>"$OUT/env.txt"
{ sed 's/^/    /' "$OUT/env.txt"; echo; "$PY" "$PROBE" report "$OUT"; } >"$OUT/summary.md"
echo
cat "$OUT/summary.md"
log "done in $((SECONDS - T0)) s; results in $OUT"
