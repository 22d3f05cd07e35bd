#!/usr/bin/env bash
# End-to-end test on a throwaway Kind cluster (needs Docker and kind; Maven is ./mvnw, hack/setup.sh
# finds a JDK >= 21; helm and kubectl come from hack/tools.sh unless on PATH). It proves what only a real cluster can prove:
#   1. create a 3-node cluster (control plane + 2 workers), label the workers
#   2. build the jar and the image, load it into the nodes, helm install helm/floatip (2 operator replicas)
#   3. apply hack/e2e/virtualip.yaml, wait until `kubectl get vip` names a master that holds the address
#   4. VRRPv2 with passwordSecretRef: apply hack/e2e/virtualip-v2.yaml (Secret in the release namespace)
#   5. `kubectl events` shows the operator's Events (namespace default)
#   6. a disk-pressure taint on the master node changes nothing (no release, no second master)
#   7. kill the leading operator replica: the other takes the Lease and reconciles a change, a second
#      VirtualIP with another nodeSelector (hack/e2e/virtualip-other.yaml), added then removed, without
#      touching the agent DaemonSet (its generation stays: the pod template follows the chart's values)
#   8. helm upgrade to a chart whose CRD changed (one more printer column): the cluster's CRD has it
#   9. stop the master node's container; assert the address moves to the other worker and status follows
#  10. start the node again, delete the VirtualIPs: no node still holds an address; helm uninstall keeps the CRD
#  11. delete the cluster (KEEP=1 keeps it; diagnostics are printed on failure)
#
# Usage: hack/kind-e2e.sh [--dry-run]     --dry-run prints this plan with the exact commands, runs nothing
# Env:   CLUSTER (floatip-e2e)  IMAGE (ghcr.io/floatip/floatip:e2e)  TIMEOUT seconds per wait (180)
#        KEEP=1  SKIP_BUILD=1 (reuse an IMAGE already built)
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER=${CLUSTER:-floatip-e2e}
IMAGE=${IMAGE:-ghcr.io/floatip/floatip:e2e}
TIMEOUT=${TIMEOUT:-180}
KEEP=${KEEP:-0}
SKIP_BUILD=${SKIP_BUILD:-0}
NS=floatip
VIP_FILE=hack/e2e/virtualip.yaml
VIP_NAME=e2e
VIP_ADDR=192.0.2.240
V2_FILE=hack/e2e/virtualip-v2.yaml
V2_NAME=e2e-v2
V2_ADDR=192.0.2.241
OTHER_FILE=hack/e2e/virtualip-other.yaml
OTHER_NAME=e2e-other
OTHER_ADDR=192.0.2.242
LEASE=floatip-operator
# how long a check must hold without a single miss (disk-pressure step)
HOLD=${HOLD:-20}
DRY=0

case "${1:-}" in
  --dry-run) DRY=1 ;;
  "") ;;
  -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
  *) echo "usage: $0 [--dry-run]" >&2; exit 2 ;;
esac

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'kind-e2e: FAIL: %s\n' "$*" >&2; exit 1; }
# run CMD...: print it; execute it unless --dry-run
run() {
  printf '  + %s\n' "$*"
  [ "$DRY" = 1 ] || "$@"
}
# wait_for DESCRIPTION CMD...: retry CMD every 2 s until it succeeds, at most TIMEOUT seconds
wait_for() {
  local what=$1; shift
  printf '  … wait ≤%ss until %s: %s\n' "$TIMEOUT" "$what" "$*"
  [ "$DRY" = 1 ] && return 0
  local deadline=$((SECONDS + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "timed out after ${TIMEOUT}s waiting until $what"
    sleep 2
  done
  printf '    ok after %ss\n' "$((TIMEOUT - (deadline - SECONDS)))"
}
# hold_for DESCRIPTION CMD...: CMD must succeed every 2 s for HOLD seconds, not a single miss
hold_for() {
  local what=$1; shift
  printf '  … for %ss, every 2 s: %s: %s\n' "$HOLD" "$what" "$*"
  [ "$DRY" = 1 ] && return 0
  local until=$((SECONDS + HOLD))
  while [ "$SECONDS" -lt "$until" ]; do
    "$@" >/dev/null 2>&1 || die "not so: $what"
    sleep 2
  done
  printf '    held for %ss\n' "$HOLD"
}

# --- preflight -------------------------------------------------------------------------------------
for f in "$VIP_FILE" "$V2_FILE" "$OTHER_FILE" src/main/docker/Dockerfile helm/floatip/Chart.yaml \
  helm/floatip/files/crds/virtualips.floatip.dev.yaml; do
  [ -f "$f" ] || die "$f is missing (run from a floatip checkout)"
done
grep -q "name: $VIP_NAME\$" "$VIP_FILE" || die "$VIP_FILE does not define VirtualIP $VIP_NAME"
grep -q "$VIP_ADDR/" "$VIP_FILE" || die "$VIP_FILE does not hold $VIP_ADDR"
grep -q "name: $V2_NAME\$" "$V2_FILE" || die "$V2_FILE does not define VirtualIP $V2_NAME"
grep -q "$V2_ADDR/" "$V2_FILE" || die "$V2_FILE does not hold $V2_ADDR"
grep -q "name: $OTHER_NAME\$" "$OTHER_FILE" || die "$OTHER_FILE does not define VirtualIP $OTHER_NAME"
grep -q "$OTHER_ADDR/" "$OTHER_FILE" || die "$OTHER_FILE does not hold $OTHER_ADDR"

HELM=helm KUBECTL=kubectl
if [ "$DRY" = 0 ]; then
  for tool in docker kind; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (this test needs Docker and Kind)"
  done
  . hack/setup.sh
  floatip_setup || die "set-up failed (see above)"
  docker info >/dev/null 2>&1 || die "the Docker daemon is not reachable (docker info failed)"
  if ! command -v helm >/dev/null 2>&1 || ! command -v kubectl >/dev/null 2>&1; then
    tools=$(hack/tools.sh) || die "cannot fetch helm/kubectl (hack/tools.sh)"
    HELM=$tools/helm KUBECTL=$tools/kubectl
  fi
fi
KCTX=kind-$CLUSTER
k() { "$KUBECTL" --context "$KCTX" "$@"; }
WORKERS=("$CLUSTER-worker" "$CLUSTER-worker2")
NODES=("$CLUSTER-control-plane" "${WORKERS[@]}")

# --- helpers that read the cluster ----------------------------------------------------------------
# master [VIP]: status.master of a VirtualIP (default: $VIP_NAME)
master() { k get vip "${1:-$VIP_NAME}" -o 'jsonpath={.status.master}' 2>/dev/null; }
master_is() { [ "$(master "${2:-$VIP_NAME}")" = "$1" ]; }
master_is_one_of_workers() {
  local m; m=$(master "${1:-$VIP_NAME}"); [ "$m" = "${WORKERS[0]}" ] || [ "$m" = "${WORKERS[1]}" ]
}
# holds NODE [ADDR]: the node's eth0 carries the address (default: $VIP_ADDR)
holds() { docker exec "$1" ip -o addr show dev eth0 | grep -q " ${2:-$VIP_ADDR}/"; }
# holders ADDR NODE...: the running nodes that hold ADDR
holders() {
  local addr=$1 n out=(); shift
  for n in "$@"; do
    if [ "$(docker inspect -f '{{.State.Running}}' "$n" 2>/dev/null)" = true ] && holds "$n" "$addr"; then
      out+=("$n")
    fi
  done
  echo "${out[*]:-}"
}
only_holder_is() { [ "$(holders "${2:-$VIP_ADDR}" "${NODES[@]}")" = "$1" ]; }
nobody_holds() { [ -z "$(holders "${1:-$VIP_ADDR}" "${NODES[@]}")" ]; }
vip_gone() { ! k get vip "${1:-$VIP_NAME}" >/dev/null 2>&1; }
# agents_ready [N]: the agent DaemonSet wants N pods (default: at least 2) and all are ready
agents_ready() {
  local want have
  want=$(k -n "$NS" get ds floatip-agent -o 'jsonpath={.status.desiredNumberScheduled}')
  have=$(k -n "$NS" get ds floatip-agent -o 'jsonpath={.status.numberReady}')
  [ -n "$want" ] && [ "$want" = "$have" ] || return 1
  if [ -n "${1:-}" ]; then [ "$want" = "$1" ]; else [ "$want" -ge 2 ]; fi
}
vip_active() { [ "$(k get vip "$1" -o 'jsonpath={.status.phase}')" = Active ]; }
# the operator replica holding the Lease: its identity is <pod name>-<8 random characters>
leader_pod() { local id; id=$(k -n "$NS" get lease "$LEASE" -o 'jsonpath={.spec.holderIdentity}'); echo "${id%-*}"; }
leader_is_not() { local l; l=$(leader_pod); [ -n "$l" ] && [ "$l" != "$1" ]; }
operator_events() { k -n default events 2>/dev/null | grep MasterChanged | grep -qi "virtualip/$VIP_NAME"; }
# the master keeps the address alone while its node carries the disk-pressure taint (set again each
# time: the node lifecycle controller removes condition taints whose condition is not True)
taint_changes_nothing() {
  k taint node "$1" node.kubernetes.io/disk-pressure:NoSchedule --overwrite >/dev/null 2>&1 || true
  master_is "$1" && only_holder_is "$1"
}
crd_has_upgrade_column() {
  k get crd virtualips.floatip.dev -o 'jsonpath={.spec.versions[0].additionalPrinterColumns[*].name}' \
    | grep -qw UpgradeCheck
}
crd_kept() { k get crd virtualips.floatip.dev >/dev/null 2>&1; }
node_ready() { [ "$(k get node "$1" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" = True ]; }

diagnostics() {
  echo "--- diagnostics" >&2
  k get nodes -o wide >&2 || true
  k get vip -o yaml >&2 || true
  k -n "$NS" get pods,lease -o wide >&2 || true
  k -n default events >&2 || true
  k -n "$NS" logs deploy/floatip-operator --tail=100 >&2 || true
  k -n "$NS" logs -l app.kubernetes.io/component=agent --prefix --tail=60 >&2 || true
  for n in "${NODES[@]}"; do docker exec "$n" ip -o addr show dev eth0 >&2 2>/dev/null || true; done
}
upgrade_chart=""
cleanup() {
  local rc=$?
  [ -z "$upgrade_chart" ] || rm -rf "$upgrade_chart"
  [ "$DRY" = 1 ] && return
  [ "$rc" = 0 ] || diagnostics
  if [ "$KEEP" = 1 ]; then
    echo "KEEP=1: cluster $CLUSTER kept (kind delete cluster --name $CLUSTER)"
  else
    kind delete cluster --name "$CLUSTER" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

# --- 1. cluster -------------------------------------------------------------------------------------
step "1. create Kind cluster $CLUSTER (control plane + 2 workers)"
if [ "$DRY" = 0 ] && kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
  die "a Kind cluster named $CLUSTER exists already; delete it or set CLUSTER=<other name>"
fi
kind_config=$(mktemp)
printf 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n' >"$kind_config"
[ "$DRY" = 0 ] || sed 's/^/      /' "$kind_config"
run kind create cluster --name "$CLUSTER" --config "$kind_config" --wait "${TIMEOUT}s"
rm -f "$kind_config"
run "$KUBECTL" --context "$KCTX" label node "${WORKERS[@]}" floatip.dev/e2e=true

# --- 2. image + chart -------------------------------------------------------------------------------
step "2. build $IMAGE, load it into the nodes, helm install (2 operator replicas)"
if [ "$SKIP_BUILD" = 1 ]; then
  echo "  SKIP_BUILD=1: using $IMAGE as built"
else
  run ./mvnw -B -q package -DskipTests
  run docker build -f src/main/docker/Dockerfile -t "$IMAGE" .
fi
run kind load docker-image "$IMAGE" --name "$CLUSTER"
run "$HELM" --kube-context "$KCTX" install floatip helm/floatip --namespace "$NS" --create-namespace \
  --set image.repository="${IMAGE%:*}" --set image.tag="${IMAGE##*:}" --set image.pullPolicy=Never \
  --set operator.replicas=2 --set agent.tolerations[0].key=node-role.kubernetes.io/control-plane \
  --set agent.tolerations[0].operator=Exists --set agent.tolerations[0].effect=NoSchedule \
  --wait --timeout "${TIMEOUT}s"
run "$KUBECTL" --context "$KCTX" label ns "$NS" pod-security.kubernetes.io/enforce=privileged --overwrite
run "$KUBECTL" --context "$KCTX" -n "$NS" rollout status deploy/floatip-operator --timeout "${TIMEOUT}s"

# --- 3. VirtualIP -----------------------------------------------------------------------------------
step "3. apply $VIP_FILE; wait for a master that holds $VIP_ADDR"
[ "$DRY" = 0 ] || grep -v '^#' "$VIP_FILE" | sed 's/^/      /'
run "$KUBECTL" --context "$KCTX" apply -f "$VIP_FILE"
wait_for "the agent DaemonSet is ready on both workers" agents_ready 2
wait_for "kubectl get vip $VIP_NAME names a worker as master" master_is_one_of_workers
first=${WORKERS[0]} second=${WORKERS[1]}
if [ "$DRY" = 0 ]; then
  first=$(master)
  [ "$first" = "${WORKERS[0]}" ] && second=${WORKERS[1]} || second=${WORKERS[0]}
  k get vip "$VIP_NAME"
fi
wait_for "only the master ($first) holds $VIP_ADDR" only_holder_is "$first"

# --- 4. VRRPv2 + passwordSecretRef ------------------------------------------------------------------
step "4. VRRPv2 with passwordSecretRef: apply $V2_FILE (Secret in namespace $NS); one master holds $V2_ADDR"
[ "$DRY" = 0 ] || grep -v '^#' "$V2_FILE" | sed 's/^/      /'
run "$KUBECTL" --context "$KCTX" apply -f "$V2_FILE"
wait_for "VirtualIP $V2_NAME is Active (the agents read the Secret)" vip_active "$V2_NAME"
wait_for "kubectl get vip $V2_NAME names a worker as master" master_is_one_of_workers "$V2_NAME"
v2_master=${WORKERS[0]}
[ "$DRY" = 1 ] || v2_master=$(master "$V2_NAME")
wait_for "only $v2_master holds $V2_ADDR" only_holder_is "$v2_master" "$V2_ADDR"

# --- 5. Events --------------------------------------------------------------------------------------
step "5. the operator's Events are accepted: kubectl events shows them (namespace default)"
wait_for "kubectl events shows MasterChanged for virtualip/$VIP_NAME" operator_events
run "$KUBECTL" --context "$KCTX" -n default events

# --- 6. disk pressure -------------------------------------------------------------------------------
step "6. a disk-pressure taint on the master ($first) changes nothing"
run "$KUBECTL" --context "$KCTX" taint node "$first" node.kubernetes.io/disk-pressure:NoSchedule --overwrite
hold_for "$first stays master of $VIP_NAME and the only holder of $VIP_ADDR" taint_changes_nothing "$first"
run "$KUBECTL" --context "$KCTX" taint node "$first" node.kubernetes.io/disk-pressure:NoSchedule-

# --- 7. leader kill; a second VirtualIP with another nodeSelector ---------------------------------------
step "7. kill the leading operator replica; the other leads and reconciles $OTHER_FILE (added, then removed)"
leader=floatip-operator-LEADER
[ "$DRY" = 1 ] || leader=$(leader_pod)
[ "$DRY" = 1 ] || [ -n "$leader" ] || die "no operator replica holds Lease $NS/$LEASE"
run "$KUBECTL" --context "$KCTX" -n "$NS" delete pod "$leader" --grace-period=0 --force --wait=false
wait_for "another replica than $leader holds Lease $LEASE" leader_is_not "$leader"
run "$KUBECTL" --context "$KCTX" label node "${NODES[0]}" floatip.dev/e2e-other=true
gen=GENERATION
[ "$DRY" = 1 ] || gen=$(k -n "$NS" get ds floatip-agent -o 'jsonpath={.metadata.generation}')
ds_generation_is() { [ "$(k -n "$NS" get ds floatip-agent -o 'jsonpath={.metadata.generation}')" = "$1" ]; }
[ "$DRY" = 0 ] || grep -v '^#' "$OTHER_FILE" | sed 's/^/      /'
run "$KUBECTL" --context "$KCTX" apply -f "$OTHER_FILE"
wait_for "the agents on all 3 nodes stay ready" agents_ready 3
wait_for "the agent DaemonSet is unchanged (generation $gen)" ds_generation_is "$gen"
wait_for "${NODES[0]} holds $OTHER_ADDR" only_holder_is "${NODES[0]}" "$OTHER_ADDR"
wait_for "$first is still the only holder of $VIP_ADDR" only_holder_is "$first"
run "$KUBECTL" --context "$KCTX" delete -f "$OTHER_FILE" --wait=false
wait_for "VirtualIP $OTHER_NAME is gone" vip_gone "$OTHER_NAME"
wait_for "no node holds $OTHER_ADDR" nobody_holds "$OTHER_ADDR"
wait_for "the agent DaemonSet is still unchanged (generation $gen)" ds_generation_is "$gen"
wait_for "the agents on all 3 nodes stay ready" agents_ready 3
wait_for "$first is still the only holder of $VIP_ADDR" only_holder_is "$first"

# --- 8. helm upgrade applies a changed CRD ----------------------------------------------------------
step "8. helm upgrade to a chart whose CRD has one more printer column; the cluster's CRD has it"
upgrade_chart=$(mktemp -d)
run cp -R helm/floatip "$upgrade_chart/floatip"
crd_copy=$upgrade_chart/floatip/files/crds/virtualips.floatip.dev.yaml
printf '  + (add printer column UpgradeCheck to %s)\n' "$crd_copy"
if [ "$DRY" = 0 ]; then
  sed -i 's/^  - additionalPrinterColumns:$/  - additionalPrinterColumns:\n    - jsonPath: .metadata.annotations.upgrade-check\n      name: UpgradeCheck\n      type: string/' "$crd_copy"
  grep -q 'name: UpgradeCheck' "$crd_copy" || die "could not add a printer column to $crd_copy"
fi
run "$HELM" --kube-context "$KCTX" upgrade floatip "$upgrade_chart/floatip" --namespace "$NS" --reuse-values \
  --wait --timeout "${TIMEOUT}s"
wait_for "CRD virtualips.floatip.dev has the UpgradeCheck column" crd_has_upgrade_column
[ "$DRY" = 1 ] || k get vip

# --- 9. failover ------------------------------------------------------------------------------------
step "9. stop the master node's container; the address and status.master move to the other worker"
run docker stop "$first"
wait_for "$second holds $VIP_ADDR (VRRP failover)" holds "$second"
wait_for "status.master is $second" master_is "$second"
[ "$DRY" = 1 ] || k get vip "$VIP_NAME"

# --- 10. delete -------------------------------------------------------------------------------------
step "10. restart $first; delete the VirtualIPs; no node may hold an address; helm uninstall keeps the CRD"
run docker start "$first"
wait_for "$first is Ready again" node_ready "$first"
wait_for "the agent DaemonSet is ready on both workers" agents_ready 2
run "$KUBECTL" --context "$KCTX" delete -f "$VIP_FILE" -f "$V2_FILE" --wait=false
wait_for "VirtualIP $VIP_NAME is gone (finalizer released)" vip_gone "$VIP_NAME"
wait_for "VirtualIP $V2_NAME is gone (finalizer released)" vip_gone "$V2_NAME"
wait_for "no node holds $VIP_ADDR" nobody_holds "$VIP_ADDR"
wait_for "no node holds $V2_ADDR" nobody_holds "$V2_ADDR"
run "$HELM" --kube-context "$KCTX" uninstall floatip --namespace "$NS" --wait --timeout "${TIMEOUT}s"
wait_for "CRD virtualips.floatip.dev is still there (helm.sh/resource-policy: keep)" crd_kept

# --- 11. cleanup ------------------------------------------------------------------------------------
step "11. delete the cluster (KEEP=1 keeps it)"
if [ "$DRY" = 1 ]; then
  echo "  + kind delete cluster --name $CLUSTER"
  printf '\ndry run: nothing was executed\n'
else
  echo "kind-e2e: PASS"
fi
