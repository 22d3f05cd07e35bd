#!/usr/bin/env bash
# hack/scale-bench.sh - floatip's cost at cluster scale ("Kubernetes at scale"): N cloud-shaped
# Nodes and N VirtualIPs created at once on the strict test API server, the operator as its own
# process, an agent per node (simulated: the agent's own VRRP loop, placement and status reporter
# on an in-memory segment) and, as root, REAL_AGENTS real agents in network namespaces.
#
# Measures: time until every VirtualIP has its VRID, phase Active and a master; the operator's RSS
# and peak; the real agents' heap (jcmd GC.heap_info) against -Xmx and their RSS; API requests by
# caller (admin/operator/agent), verb and resource, counted by the test API server; writes per minute
# at steady state; the writes of one failover (a master node's link goes down); the largest
# VirtualIP object; how often the agent DaemonSet's pod template changed while EXTRA VirtualIPs
# were added and deleted. Prints a table; writes result.json. Method: docs/benchmarks.md,
# "Kubernetes at scale". The CI-sized run is ScaleIT (200 / 200).
#
# Usage: [sudo] hack/scale-bench.sh [--dry-run] [--help]
#   --dry-run   print the plan; starts nothing, needs no root and no build. Cheap enough for CI.
# Knobs (environment):
#   NODES=1000          Nodes (and agents)
#   VIPS=$NODES         VirtualIPs created at once
#   GROUP=4             nodes a VirtualIP's nodeSelector selects (2 VirtualIPs select every node)
#   CONVERGE=120        seconds to wait for every VRID and status (and for each later phase)
#   STEADY=60           steady-state window, seconds
#   EXTRA=100           VirtualIPs added then deleted (pod template count)
#   REAL_AGENTS=3       real agents (root only; 0 = none), `hack/floatip agent` in namespaces
#   OPERATOR_JAVA_OPTS=-Xmx96m   the chart's operator.javaOpts
#   HEAP=3g             the benchmark JVM's heap (API server, simulated agents)
#   OUT=/tmp/fipscale-<date>     logs, kubeconfigs, result.json
# Real agents live in namespaces fipscale-* (a bridge, 198.51.100.0/24 to reach the API server,
# 192.0.2.0/24 for their VRRP); everything is removed on exit.
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

NODES=${NODES:-1000}
VIPS=${VIPS:-$NODES}
GROUP=${GROUP:-4}
CONVERGE=${CONVERGE:-120}
STEADY=${STEADY:-60}
EXTRA=${EXTRA:-100}
REAL_AGENTS=${REAL_AGENTS:-3}
OPERATOR_JAVA_OPTS=${OPERATOR_JAVA_OPTS:--Xmx96m}
HEAP=${HEAP:-3g}
OUT=${OUT:-/tmp/fipscale-$(date +%Y%m%d-%H%M%S)}
P=fipscale
API=198.51.100.250

for v in NODES VIPS GROUP CONVERGE STEADY EXTRA REAL_AGENTS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "scale-bench: $v must be a number, got '${!v}'" >&2; exit 2; }
done
[ "$NODES" -gt "$REAL_AGENTS" ] || { echo "scale-bench: NODES must exceed REAL_AGENTS" >&2; exit 2; }
[ "$REAL_AGENTS" -le 50 ] || { echo "scale-bench: REAL_AGENTS is at most 50" >&2; exit 2; }

real=$REAL_AGENTS
why_no_real=""
if [ "$real" -gt 0 ] && [ "$(id -u)" != 0 ]; then
  real=0; why_no_real="not root: the $REAL_AGENTS real agents need network namespaces (run with sudo); skipped"
fi
if [ "$real" -gt 0 ] && ! command -v ip >/dev/null; then
  real=0; why_no_real="no iproute2 (ip): the real agents are skipped"
fi

args=(--nodes "$NODES" --vips "$VIPS" --group-size "$GROUP" --converge-seconds "$CONVERGE"
  --steady-seconds "$STEADY" --extra "$EXTRA" --work "$OUT" --out "$OUT/result.json"
  --operator-java-opts "$OPERATOR_JAVA_OPTS")
if [ "$real" -gt 0 ]; then
  args+=(--listen "$API" --real-agents "$real" --netns-prefix "$P")
fi

if [ "$DRY" = 1 ]; then
  cat <<EOF
scale-bench plan (dry run: nothing started)
  API server      strict test API server (dev.floatip.testing.MockApiServer) in the benchmark JVM
                  (-Xmx$HEAP), counting requests by caller/verb/resource$([ "$real" -gt 0 ] && echo ", on $API in namespace $P-api")
  Nodes           $NODES cloud-shaped (~20 KB JSON: 26 labels, taints on every 3rd group, 5 conditions,
                  4 addresses, 50 images, managedFields), groups of $GROUP
  operator        hack/floatip operator, own process, FLOATIP_JAVA_OPTS=$OPERATOR_JAVA_OPTS, its ServiceAccount
  agents          $((NODES - real)) simulated (ClusterAgent's parts per node, in-memory segment)
                  + $real real (hack/floatip agent in namespaces $P-r1..)${why_no_real:+
                  ($why_no_real)}
  VirtualIPs      $VIPS created at once (2 without nodeSelector), then $EXTRA added and deleted
  windows         converge <= ${CONVERGE}s, steady ${STEADY}s, one failover (link down)
  output          $OUT/result.json, $OUT/*.log
  command         java -Xmx$HEAP dev.floatip.testing.scale.ScaleBenchMain ${args[*]}
EOF
  exit 0
fi

[ -f target/quarkus-app/quarkus-run.jar ] || { echo "scale-bench: build first: mvn -B package -DskipTests" >&2; exit 1; }
if [ ! -f target/test-classpath.txt ] || [ ! -f target/test-classes/dev/floatip/testing/scale/ScaleBench.class ]; then
  echo "scale-bench: building test classes (mvn process-test-classes)" >&2
  mvn -B -q -ntp -o process-test-classes >/dev/null 2>&1 || mvn -B -q -ntp process-test-classes || exit 1
fi
if [ -z "${JAVA_HOME:-}" ]; then
  for jdk in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    [ -x "$jdk/bin/java" ] && { export JAVA_HOME=$jdk; break; }
  done
fi
export PATH=${JAVA_HOME:+$JAVA_HOME/bin:}$PATH
mkdir -p "$OUT"
[ -n "$why_no_real" ] && echo "scale-bench: $why_no_real" >&2

NSS=()
cleanup() {
  local ns
  for ns in "${NSS[@]}"; do ip netns del "$ns" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns=()
if [ "$real" -gt 0 ]; then
  for ns in "$P-sw" "$P-api"; do ip netns add "$ns" && NSS+=("$ns") || exit 1; done
  ip -n "$P-sw" link add br0 type bridge stp_state 0
  ip -n "$P-sw" link set br0 up
  attach() {  # $1 namespace, $2.. addresses (CIDR) on its eth0
    local ns=$1 port=$P-p$2; shift 2
    ip link add "$port" netns "$P-sw" type veth peer name eth0 netns "$ns"
    ip -n "$P-sw" link set "$port" master br0 up
    for a in "$@"; do ip -n "$ns" addr add "$a" dev eth0; done
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
  }
  attach "$P-api" api "$API/24"
  for k in $(seq 1 "$real"); do
    ip netns add "$P-r$k" && NSS+=("$P-r$k") || exit 1
    attach "$P-r$k" "r$k" "192.0.2.$((10 + k))/24" "198.51.100.$((10 + k))/24"
  done
  in_ns=(ip netns exec "$P-api")
fi

CLASSPATH="$ROOT/target/test-classes:$ROOT/target/classes:$(cat target/test-classpath.txt)" \
  "${in_ns[@]}" "${JAVA_HOME:+$JAVA_HOME/bin/}java" "-Xmx$HEAP" -XX:+UseParallelGC \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  dev.floatip.testing.scale.ScaleBenchMain "${args[@]}" 2> >(grep --line-buffered -v '^WARNING' >"$OUT/bench.log")
rc=$?
echo "log: $OUT/bench.log; operator: $OUT/operator.log"
exit $rc
