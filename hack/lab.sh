#!/usr/bin/env bash
# The local lab: three "nodes" and a client in network namespaces on one bridge, a floatip agent
# on each node, one VirtualIP with an IPv4 and an IPv6 address. Shows who holds the addresses and
# whether the client reaches them, kills the master, prints the outage the client saw, brings the
# node back, and cleans everything up on exit (Ctrl-C included).
#
# Usage: sudo hack/lab.sh            (root: it creates network namespaces)
#        sudo hack/lab.sh --cluster  (or CLUSTER=1) the same nodes in cluster mode: an API server
#          (the strict test API server: chart RBAC, CRD admission; not a kube-apiserver) in its own namespace
#          on a management network, the operator, agents driven by a VirtualIP applied through the
#          API, `floatip get` after election and failover, and the time from the failover on the
#          wire to status.master naming the new master. The failure is the master's data link going
#          down (its agent stays up and reports over the management network).
# Knobs: INTERVAL=100ms  MODE=Multicast|Unicast  VERSION=3|2  HOLD=4 (seconds between steps)
#        (cluster mode: MODE defaults to Unicast, the peers discovered from the Nodes)
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER=${CLUSTER:-}
for arg in "$@"; do
  case $arg in
    --cluster) CLUSTER=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
INTERVAL=${INTERVAL:-100ms}
if [ -n "$CLUSTER" ]; then MODE=${MODE:-Unicast}; else MODE=${MODE:-Multicast}; fi
VERSION=${VERSION:-3}
HOLD=${HOLD:-4}
P=fiplab                       # every namespace this script makes starts with this
NODES=(n1 n2 n3)
declare -A IP4=([n1]=192.0.2.11 [n2]=192.0.2.12 [n3]=192.0.2.13 [cl]=192.0.2.100)
declare -A IP6=([n1]=2001:db8::11 [n2]=2001:db8::12 [n3]=2001:db8::13 [cl]=2001:db8::100)
VIP4=192.0.2.200
VIP6=2001:db8::200
RUN=$(mktemp -d /tmp/fiplab.XXXXXX)
declare -A AGENT=()            # node -> PID of the agent we started
declare -A DEAD=()             # node -> marker while its agent is killed and its port is down
PINGS=()                       # PIDs of the client's probes
SERVERS=()                     # cluster mode: PIDs of the API server and the operator

bold=$'\e[1m'; dim=$'\e[2m'; green=$'\e[32m'; red=$'\e[31m'; yellow=$'\e[33m'; off=$'\e[0m'
[ -t 1 ] || { bold=; dim=; green=; red=; yellow=; off=; }
say() { printf '%s\n' "${bold}==>${off} $*"; }
die() { printf '%s\n' "${red}error:${off} $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "the lab needs root (network namespaces): sudo $0"
# packages, a JDK >= 21 and the Maven wrapper (hack/setup.sh installs what is missing)
. hack/setup.sh
floatip_setup || die "set-up failed (see above)"
floatip_packages ip:iproute2 ping:iputils-ping || die "set-up failed (see above)"

cleanup() {
  trap - EXIT INT TERM
  for pid in "${PINGS[@]}" "${AGENT[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PINGS[@]}" "${AGENT[@]}"; do wait "$pid" 2>/dev/null || true; done
  local pid i st
  for pid in "${SERVERS[@]}"; do   # one by one: the operator, then the API server; SIGKILL after 10 s
    kill "$pid" 2>/dev/null || continue
    for ((i = 0; i < 100; i++)); do
      st=$(ps -o stat= -p "$pid" 2>/dev/null || true)
      [ -n "$st" ] && [ "${st:0:1}" != Z ] || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  for ns in $(ip netns list | awk -v p="^$P-" '$1 ~ p {print $1}'); do ip netns del "$ns" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] && echo "logs kept in $RUN" || rm -rf "$RUN"
  echo "${dim}lab cleaned up${off}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

jar=target/quarkus-app/quarkus-run.jar
# cluster mode also runs the mock API server from the test classes (+ target/test-classpath.txt)
# (`package` writes all three, so a fresh jar means fresh test classes and classpath)
stale=
for f in "$jar" ${CLUSTER:+target/test-classpath.txt target/test-classes/dev/floatip/testing/MockApiServer.class}; do
  [ -f "$f" ] || stale=1
done
if [ -n "$stale" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  say "building floatip (./mvnw package -DskipTests)"
  "$MVN" -B -q -ntp package -DskipTests >"$RUN/build.log" 2>&1 || { tail -40 "$RUN/build.log"; die "build failed"; }
fi

say "creating the segment: bridge + ${NODES[*]} + client (192.0.2.0/24, 2001:db8::/64, no route out)"
ip netns add "$P-sw"
ip -n "$P-sw" link add br0 type bridge stp_state 0 mcast_snooping 0
ip -n "$P-sw" link set br0 up
for n in "${NODES[@]}" cl; do
  ip netns add "$P-$n"
  ip -n "$P-$n" link set lo up
  ip link add "$P-$n" netns "$P-sw" type veth peer name eth0 netns "$P-$n"
  ip -n "$P-sw" link set "$P-$n" master br0 up
  ip netns exec "$P-$n" sysctl -qw net.ipv6.conf.eth0.accept_dad=0 net.ipv4.conf.eth0.arp_accept=1
  ip -n "$P-$n" addr add "${IP4[$n]}/24" dev eth0
  ip -n "$P-$n" addr add "${IP6[$n]}/64" dev eth0 nodad
  ip -n "$P-$n" link set eth0 up
done

cat >"$RUN/vip.yaml" <<YAML
apiVersion: floatip.dev/v1alpha1
kind: VirtualIP
metadata:
  name: demo
spec:
  addresses: [$VIP4/24, $VIP6/64]
  interface: eth0
  virtualRouterId: 51
  version: $VERSION
  advertisementInterval: $INTERVAL
  transport:
    mode: $MODE
$( [ "$MODE" = Unicast ] && printf '    peers: [%s, %s, %s, %s, %s, %s]\n' "${IP4[n1]}" "${IP4[n2]}" "${IP4[n3]}" "${IP6[n1]}" "${IP6[n2]}" "${IP6[n3]}")
  priority:
    order: [n1, n2, n3]
YAML
[ "$VERSION" = 2 ] && sed -i "s|, $VIP6/64||" "$RUN/vip.yaml"

start_agent() {
  local n=$1
  ip netns exec "$P-$n" hack/floatip agent --config "$RUN/vip.yaml" --node-name "$n" >>"$RUN/$n.log" 2>&1 &
  AGENT[$n]=$!
}

holder() {  # which nodes have the address on eth0
  local addr=$1 found="" out
  for n in "${NODES[@]}"; do
    out=$(ip -n "$P-$n" -o addr show dev eth0 2>/dev/null || true)
    case "$out" in *" $addr/"*) found+="$n${DEAD[$n]:-} ";; esac
  done
  echo "${found% }"
}

success() {  # percentage of the pings sent in the last second that were answered
  awk -v a="$2" -F'[][ =]+' '/bytes from/ && $2 >= a {
      for (i = 1; i <= NF; i++) if ($i == "icmp_seq") s = $(i + 1)
      if (!first) first = s; last = s; n++ }
    END { printf "%d", (n ? 100 * n / (last - first + 1) : 0) }' "$1"
}

outage_ms() {  # longest gap between replies after epoch $2 in ping -D log $1
  awk -v from="$2" -F'[][]' '/bytes from/ { t=$2; if (t >= from) { if (prev && (t-prev) > gap) gap = t-prev; prev = t } else prev = t }
       END { printf "%d", gap*1000 }' "$1"
}

color() { if [ "$1" -ge 99 ]; then echo "$green"; elif [ "$1" -gt 0 ]; then echo "$yellow"; else echo "$red"; fi; }

row() {
  local since v4 v6 r4 r6
  since=$(awk -v n="$(date +%s.%N)" 'BEGIN { printf "%.6f", n - 1 }')
  v4=$(holder "$VIP4"); v6=$(holder "$VIP6")
  r4=$(success "$RUN/ping4.log" "$since"); r6=$(success "$RUN/ping6.log" "$since")
  printf '  %s  %-13s %-13s  %s%8s%%%s  %s%8s%%%s   %s\n' "$(date +%T)" "${v4:--}" "${v6:--}" \
    "$(color "$r4")" "$r4" "$off" "$(color "$r6")" "$r6" "$off" "$1"
}

watch_for() {  # print a row a second for $1 seconds
  local i
  for ((i = 0; i < $1; i++)); do sleep 1; row "$2"; done
}

wait_until() {  # print rows until "$1" succeeds, at most $2 seconds
  local i
  for ((i = 0; i < $2; i++)); do sleep 1; row "$3"; eval "$1" && return 0; done
  return 1
}

started() { local n; for n in "${NODES[@]}"; do grep -q "VRID" "$RUN/$n.log" 2>/dev/null || return 1; done; }

if [ -n "$CLUSTER" ]; then
  . hack/lab-cluster.sh   # the cluster-mode steps, with the helpers above
  exit 0
fi

say "starting 3 agents (VRRPv$VERSION, $MODE, advert every $INTERVAL; priority order n1 > n2 > n3)"
for n in "${NODES[@]}"; do start_agent "$n"; done
ip netns exec "$P-cl" ping -D -n -i 0.01 "$VIP4" >"$RUN/ping4.log" 2>&1 & PINGS+=($!)
ip netns exec "$P-cl" ping -6 -D -n -i 0.01 "$VIP6" >"$RUN/ping6.log" 2>&1 & PINGS+=($!)

printf '\n  %s%-8s  %-13s %-13s  %-9s  %-9s   %s%s\n' "$bold" time "$VIP4" "$VIP6" "client v4" "client v6" step "$off"
wait_until started 60 "JVMs starting" || die "agents did not start; logs: $RUN/*.log"
wait_until '[ "$(holder "$VIP4")" = n1 ]' 20 "election" || die "n1 did not become master; logs: $RUN/*.log"
master=n1
watch_for "$HOLD" "steady"

t0=$(date +%s.%N)
kill -9 "${AGENT[$master]}" 2>/dev/null; wait "${AGENT[$master]}" 2>/dev/null || true; ip -n "$P-sw" link set "$P-$master" down; DEAD[$master]="(dead)"
row "${red}killed $master (kill -9, its switch port down)${off}"
watch_for "$HOLD" "failover"
fail4=$(outage_ms "$RUN/ping4.log" "$t0"); fail6=$(outage_ms "$RUN/ping6.log" "$t0")
new=$(holder "$VIP4"); new=${new//"$master(dead)"/}; new=${new# }

t1=$(date +%s.%N)
ip -n "$P-sw" link set "$P-$master" up; start_agent "$master"; DEAD[$master]="(new)"
row "${green}restored $master (port up, agent restarted)${off}"
watch_for $((HOLD + 2)) "preempt back"
back4=$(outage_ms "$RUN/ping4.log" "$t1"); back6=$(outage_ms "$RUN/ping6.log" "$t1")

echo
say "results"
printf '  %-44s %s\n' "master after election:" "$master"
printf '  %-44s %s\n' "master after killing $master:" "${new:-none}"
printf '  %-44s %s ms (IPv4), %s ms (IPv6)\n' "client outage on hard failure:" "$fail4" "$fail6"
printf '  %-44s %s ms (IPv4), %s ms (IPv6)\n' "client outage when $master preempts back:" "$back4" "$back6"
printf '  %-44s %s\n' "holder now:" "$(holder "$VIP4")"
printf '  %s\n' "${dim}a killed agent leaves its addresses behind (as keepalived does); the restarted one removes them${off}"
printf '  %s\n' "${dim}(longest gap between replies to a ping every 10 ms; logs in $RUN until exit)${off}"
