# Sourced by hack/lab.sh --cluster after it built the data segment (bridge br0, the nodes' eth0,
# the client) and defined its helpers. Adds a management network with the API server, runs the
# operator and the agents in cluster mode, and drives everything through the API.
#
# The API server is the strict test API server (dev.floatip.testing.MockApiServer via
# hack/mock-apiserver): the chart's RBAC (manifests/install.yaml), the CRD's admission and the
# built-in validation in front of Fabric8's mock store; not a kube-apiserver: no scheduler, kubelet
# or controllers. The operator runs as the chart's operator ServiceAccount in namespace floatip, each
# agent as the agents' ServiceAccount, kubectl and floatip get as admin. The operator creates the
# agent DaemonSet in it, but nothing runs that: this script starts one agent per node namespace
# itself, which is what the DaemonSet's hostNetwork pods would be.

API=198.51.100.250:6443
KC=$RUN/kubeconfig            # admin
KC_OPERATOR=$RUN/kubeconfig-operator
KC_AGENT=$RUN/kubeconfig-agent
NS=floatip                    # the chart's release namespace
VIPS_PATH=/apis/floatip.dev/v1alpha1/virtualips
declare -A MGMT=([n1]=198.51.100.11 [n2]=198.51.100.12 [n3]=198.51.100.13 [api]=198.51.100.250)

in_api() { ip netns exec "$P-api" env KUBECONFIG="$KC" "$@"; }
admin_token() { awk '$1 == "token:" { print $2; exit }' "$KC"; }
api_get() { in_api curl -s -m 2 -H "Authorization: Bearer $(admin_token)" "http://$API$1"; }
status_master() { api_get "$VIPS_PATH/demo" | grep -o '"master":"[^"]*"' | head -1 | cut -d'"' -f4; }
vip_code() { in_api curl -s -m 2 -H "Authorization: Bearer $(admin_token)" -o /dev/null -w '%{http_code}' "http://$API$VIPS_PATH/demo"; }
fget() { in_api hack/floatip get 2>&1 | sed 's/^/    /'; }
now_ns() { date +%s%N; }
ms_between() { echo $((($2 - $1) / 1000000)); }

wait_for() {  # $1 seconds for "$2" to succeed, polling every 50 ms; no output
  local end=$((SECONDS + $1))
  until eval "$2"; do [ "$SECONDS" -lt "$end" ] || return 1; sleep 0.05; done
}

say "adding the management network: bridge br1 (198.51.100.0/24), mgmt0 on ${NODES[*]}, the API server's namespace"
ip -n "$P-sw" link add br1 type bridge stp_state 0
ip -n "$P-sw" link set br1 up
ip netns add "$P-api"
ip -n "$P-api" link set lo up
for n in "${NODES[@]}" api; do
  ifn=mgmt0; [ "$n" = api ] && ifn=eth0
  ip link add "$P-m$n" netns "$P-sw" type veth peer name "$ifn" netns "$P-$n"
  ip -n "$P-sw" link set "$P-m$n" master br1 up
  ip -n "$P-$n" addr add "${MGMT[$n]}/24" dev "$ifn"
  ip -n "$P-$n" link set "$ifn" up
done

say "starting the API server: the strict test API server (chart RBAC, CRD admission; not a kube-apiserver) on $API"
node_args=()
for n in "${NODES[@]}"; do node_args+=(--node "$n=${IP4[$n]},${IP6[$n]}"); done
ip netns exec "$P-api" env FLOATIP_NO_BUILD=1 hack/mock-apiserver --listen "$API" "${node_args[@]}" \
  --kubeconfig-out "admin=$KC" --kubeconfig-out "operator=$KC_OPERATOR" --kubeconfig-out "agent=$KC_AGENT" \
  >"$RUN/apiserver.log" 2>&1 &
SERVERS+=($!)
wait_for 60 'grep -qx ready "$RUN/apiserver.log"' || { tail -20 "$RUN/apiserver.log"; die "the API server did not start"; }
printf '  %s\n' "${dim}nodes ${NODES[*]} registered with InternalIPs on eth0 (the agents' unicast peers); kubeconfigs $KC (admin), $KC_OPERATOR, $KC_AGENT${off}"

say "starting the operator (floatip operator: leader election, VRID allocation, agent DaemonSet, status)"
# (started directly, not through a function: $! must be the JVM, which cleanup stops by PID)
ip netns exec "$P-api" env KUBECONFIG="$KC_OPERATOR" FLOATIP_OPERATOR_NAMESPACE="$NS" FLOATIP_JAVA_OPTS=-Xmx128m \
  hack/floatip operator --metrics-address 127.0.0.1:8080 >"$RUN/operator.log" 2>&1 &
SERVERS=($! "${SERVERS[@]}")   # stopped before the API server
wait_for 90 'grep -q "Started event processing" "$RUN/operator.log"' || { tail -20 "$RUN/operator.log"; die "the operator did not start"; }

addresses="\"$VIP4/24\", \"$VIP6/64\""
[ "$VERSION" = 2 ] && addresses="\"$VIP4/24\""
cat >"$RUN/vip.json" <<JSON
{
  "apiVersion": "floatip.dev/v1alpha1",
  "kind": "VirtualIP",
  "metadata": {"name": "demo"},
  "spec": {
    "addresses": [$addresses],
    "version": $VERSION,
    "advertisementInterval": "$INTERVAL",
    "transport": {"mode": "$MODE"},
    "priority": {"order": ["n1", "n2", "n3"]}
  }
}
JSON
# (with curl and the admin token, not kubectl: client-go sends no bearer token over plain HTTP,
# and the test API server serves no TLS)
say "creating the VirtualIP with curl as admin"
in_api curl -s -f -o /dev/null -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $(admin_token)" \
  --data-binary @"$RUN/vip.json" "http://$API$VIPS_PATH" || die "creating the VirtualIP failed"
wait_for 30 '[ -n "$(api_get "$VIPS_PATH/demo" | grep -o "\"virtualRouterId\":[0-9]*")" ]' ||
  die "the operator allocated no VRID; $RUN/operator.log"

say "starting 3 agents in cluster mode (floatip agent --node-name N, KUBECONFIG; VRRPv$VERSION, $MODE, every $INTERVAL)"
for n in "${NODES[@]}"; do
  ip netns exec "$P-$n" env KUBECONFIG="$KC_AGENT" POD_NAMESPACE="$NS" hack/floatip agent --node-name "$n" >>"$RUN/$n.log" 2>&1 &
  AGENT[$n]=$!
done
ip netns exec "$P-cl" ping -D -n -i 0.01 "$VIP4" >"$RUN/ping4.log" 2>&1 & PINGS+=($!)
ip netns exec "$P-cl" ping -6 -D -n -i 0.01 "$VIP6" >"$RUN/ping6.log" 2>&1 & PINGS+=($!)

agents_alive() {  # (an exited agent is a zombie until reaped: kill -0 would still succeed)
  local n st
  for n in "${NODES[@]}"; do
    st=$(ps -o stat= -p "${AGENT[$n]}" 2>/dev/null || true)
    [ -n "$st" ] && [ "${st:0:1}" != Z ] || { tail -5 "$RUN/$n.log"; die "the agent on $n exited; $RUN/$n.log"; }
  done
}
printf '\n  %s%-8s  %-13s %-13s  %-9s  %-9s   %s%s\n' "$bold" time "$VIP4" "$VIP6" "client v4" "client v6" step "$off"
wait_until 'agents_alive; [ "$(holder "$VIP4")" = n1 ]' 90 "election" || die "n1 did not become master; logs: $RUN/*.log"
wait_for 30 '[ "$(status_master)" = n1 ]' || die "status.master is '$(status_master)', not n1; $RUN/operator.log"
watch_for "$HOLD" "steady"
echo; say "floatip get (status from the API after the election)"; fget; echo

# failover: n1's data link goes down, its agent stays up and reports Fault over mgmt0. Two
# recorders started beforehand time it: `ip -ts monitor address` on n2 (when the address arrives
# there: the failover on the wire) and a loop next to the API server that polls status.master every
# 20 ms and stamps each change.
master=n1
ip netns exec "$P-n2" ip -ts monitor address >"$RUN/addr-n2.log" 2>&1 & recorders=($!)
ip netns exec "$P-api" bash -c 'last=
  while :; do
    m=$(curl -s -m 1 -H "Authorization: Bearer $2" "$1" | grep -o "\"master\":\"[^\"]*\"" | head -1 | cut -d\" -f4)
    [ "$m" != "$last" ] && { echo "$(date +%s%N) ${m:-none}"; last=$m; }
    sleep 0.02
  done' _ "http://$API$VIPS_PATH/demo" "$(admin_token)" >"$RUN/master.log" 2>&1 & recorders+=($!)
PINGS+=("${recorders[@]}")   # (cleanup stops them too)
wait_for 10 'grep -q " n1$" "$RUN/master.log"' || die "status.master poller did not start"
t0=$(date +%s.%N); t0n=$(now_ns)
ip -n "$P-sw" link set "$P-$master" down; DEAD[$master]="(link down)"
wait_for 15 'grep -q " n2$" "$RUN/master.log"' || true
t_status=$(awk '$2 == "n2" { print $1; exit }' "$RUN/master.log")
line=$(grep " $VIP4/" "$RUN/addr-n2.log" | grep -v Deleted | head -1 || true)
t_wire=
if [ -n "$line" ]; then ts=${line#\[}; t_wire=$(date -d "${ts%%]*}" +%s%N); fi
kill "${recorders[@]}" 2>/dev/null || true
row "${red}$master's data link down (agent up, reports over mgmt0)${off}"
watch_for "$HOLD" "failover"
fail4=$(outage_ms "$RUN/ping4.log" "$t0"); fail6=$(outage_ms "$RUN/ping6.log" "$t0")
echo; say "floatip get (after the failover)"; fget; echo

t1=$(date +%s.%N)
ip -n "$P-sw" link set "$P-$master" up; DEAD[$master]=""
row "${green}restored $master's data link${off}"
wait_until '[ "$(holder "$VIP4")" = n1 ]' 20 "preempt back" || true
wait_for 10 '[ "$(status_master)" = n1 ]' || true
back4=$(outage_ms "$RUN/ping4.log" "$t1"); back6=$(outage_ms "$RUN/ping6.log" "$t1")

echo; say "deleting the VirtualIP (the agents release it, then the operator its finalizer)"
td=$(now_ns)
in_api curl -s -f -o /dev/null -X DELETE -H "Authorization: Bearer $(admin_token)" "http://$API$VIPS_PATH/demo" || die "delete failed"
gone=; wait_for 30 '[ "$(vip_code)" = 404 ] && [ -z "$(holder "$VIP4")" ] && [ -z "$(holder "$VIP6")" ]' && gone=$(now_ns)
fget

echo
say "results"
printf '  %-52s %s\n' "status.master after election:" n1
printf '  %-52s %s\n' "status.master after $master's link went down:" "$( [ -n "$t_status" ] && echo n2 || echo "not n2 within 15 s")"
printf '  %-52s %s\n' "link down -> address on n2:" "$([ -n "$t_wire" ] && echo "$(ms_between "$t0n" "$t_wire") ms" || echo -)"
printf '  %-52s %s\n' "failover on the wire -> status.master = n2:" \
  "$([ -n "$t_wire" ] && [ -n "$t_status" ] && echo "$(ms_between "$t_wire" "$t_status") ms" || echo -)"
printf '  %-52s %s ms (IPv4), %s ms (IPv6)\n' "client outage on the link failure:" "$fail4" "$fail6"
printf '  %-52s %s ms (IPv4), %s ms (IPv6)\n' "client outage when $master preempts back:" "$back4" "$back6"
printf '  %-52s %s\n' "delete -> CR gone, no node holds the addresses:" "$([ -n "$gone" ] && echo "$(ms_between "$td" "$gone") ms" || echo "not within 30 s")"
printf '  %s\n' "${dim}(address: ip -ts monitor on n2; status.master: polled every 20 ms next to the API; logs in $RUN until exit)${off}"
printf '  %s\n' "${dim}(the API server is the strict test double: real VRRP and addresses, the chart's RBAC and the CRD's admission, no kube-apiserver)${off}"
if grep -q "test-apiserver refused" "$RUN/apiserver.log"; then
  say "requests the API server refused (from $RUN/apiserver.log)"
  grep "test-apiserver refused" "$RUN/apiserver.log" | sed -E 's/^test-apiserver refused //; s/(Event|Lease) "[^"]*"/\1 "…"/' | sort | uniq -c | sort -rn | head -20 | cut -c1-300 | sed 's/^/    /'
fi
