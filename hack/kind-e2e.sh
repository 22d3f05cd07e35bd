#!/usr/bin/env bash
# End-to-end test on a throwaway Kind cluster (needs Docker, kind, Maven and a JDK >= 21; helm and
# kubectl come from hack/tools.sh unless on PATH):
#   1. create a 3-node cluster (control plane + 2 workers), label the workers
#   2. build the jar and the image, load it into the nodes, helm install helm/floatip
#   3. apply hack/e2e/virtualip.yaml, wait until `kubectl get vip` names a master that holds the address
#   4. stop the master node's container; assert the address moves to the other worker and status follows
#   5. start it again, delete the VirtualIP; assert it is gone and no node still holds the address
#   6. delete the cluster (KEEP=1 keeps it; diagnostics are printed on failure)
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
DRY=0

case "${1:-}" in
  --dry-run) DRY=1 ;;
  "") ;;
  -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
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

# --- preflight -------------------------------------------------------------------------------------
for f in "$VIP_FILE" src/main/docker/Dockerfile helm/floatip/Chart.yaml; do
  [ -f "$f" ] || die "$f is missing (run from a floatip checkout)"
done
grep -q "name: $VIP_NAME\$" "$VIP_FILE" || die "$VIP_FILE does not define VirtualIP $VIP_NAME"
grep -q "$VIP_ADDR/" "$VIP_FILE" || die "$VIP_FILE does not hold $VIP_ADDR"

HELM=helm KUBECTL=kubectl
if [ "$DRY" = 0 ]; then
  for tool in docker kind mvn; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (this test needs Docker, Kind and Maven)"
  done
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
master() { k get vip "$VIP_NAME" -o 'jsonpath={.status.master}' 2>/dev/null; }
master_is() { [ "$(master)" = "$1" ]; }
master_is_one_of_workers() { local m; m=$(master); [ "$m" = "${WORKERS[0]}" ] || [ "$m" = "${WORKERS[1]}" ]; }
holds() { docker exec "$1" ip -o addr show dev eth0 | grep -q " $VIP_ADDR/"; }
holders() {
  local n out=()
  for n in "$@"; do
    if [ "$(docker inspect -f '{{.State.Running}}' "$n" 2>/dev/null)" = true ] && holds "$n"; then out+=("$n"); fi
  done
  echo "${out[*]:-}"
}
only_holder_is() { [ "$(holders "${NODES[@]}")" = "$1" ]; }
nobody_holds() { [ -z "$(holders "${NODES[@]}")" ]; }
vip_gone() { ! k get vip "$VIP_NAME" >/dev/null 2>&1; }
agents_ready() {
  local want have
  want=$(k -n "$NS" get ds floatip-agent -o 'jsonpath={.status.desiredNumberScheduled}')
  have=$(k -n "$NS" get ds floatip-agent -o 'jsonpath={.status.numberReady}')
  [ -n "$want" ] && [ "$want" -ge 2 ] && [ "$want" = "$have" ]
}
node_ready() { [ "$(k get node "$1" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}')" = True ]; }

diagnostics() {
  echo "--- diagnostics" >&2
  k get nodes -o wide >&2 || true
  k get vip -o yaml >&2 || true
  k -n "$NS" get pods -o wide >&2 || true
  k -n "$NS" logs deploy/floatip-operator --tail=100 >&2 || true
  k -n "$NS" logs -l app.kubernetes.io/component=agent --prefix --tail=60 >&2 || true
  for n in "${NODES[@]}"; do docker exec "$n" ip -o addr show dev eth0 >&2 2>/dev/null || true; done
}
cleanup() {
  local rc=$?
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
step "2. build $IMAGE, load it into the nodes, helm install"
if [ "$SKIP_BUILD" = 1 ]; then
  echo "  SKIP_BUILD=1: using $IMAGE as built"
else
  run mvn -B -q package -DskipTests
  run docker build -f src/main/docker/Dockerfile -t "$IMAGE" .
fi
run kind load docker-image "$IMAGE" --name "$CLUSTER"
run "$HELM" --kube-context "$KCTX" install floatip helm/floatip --namespace "$NS" --create-namespace \
  --set image.repository="${IMAGE%:*}" --set image.tag="${IMAGE##*:}" --set image.pullPolicy=Never \
  --wait --timeout "${TIMEOUT}s"

# --- 3. VirtualIP -----------------------------------------------------------------------------------
step "3. apply $VIP_FILE; wait for a master that holds $VIP_ADDR"
[ "$DRY" = 0 ] || grep -v '^#' "$VIP_FILE" | sed 's/^/      /'
run "$KUBECTL" --context "$KCTX" apply -f "$VIP_FILE"
wait_for "the agent DaemonSet is ready on both workers" agents_ready
wait_for "kubectl get vip $VIP_NAME names a worker as master" master_is_one_of_workers
first=${WORKERS[0]} second=${WORKERS[1]}
if [ "$DRY" = 0 ]; then
  first=$(master)
  [ "$first" = "${WORKERS[0]}" ] && second=${WORKERS[1]} || second=${WORKERS[0]}
  k get vip "$VIP_NAME"
fi
wait_for "only the master ($first) holds $VIP_ADDR" only_holder_is "$first"

# --- 4. failover ------------------------------------------------------------------------------------
step "4. stop the master node's container; the address and status.master move to the other worker"
run docker stop "$first"
wait_for "$second holds $VIP_ADDR (VRRP failover)" holds "$second"
wait_for "status.master is $second" master_is "$second"
[ "$DRY" = 1 ] || k get vip "$VIP_NAME"

# --- 5. delete --------------------------------------------------------------------------------------
step "5. restart $first; delete the VirtualIP; no node may hold $VIP_ADDR"
run docker start "$first"
wait_for "$first is Ready again" node_ready "$first"
wait_for "the agent DaemonSet is ready on both workers" agents_ready
run "$KUBECTL" --context "$KCTX" delete -f "$VIP_FILE" --wait=false
wait_for "VirtualIP $VIP_NAME is gone (finalizer released)" vip_gone
wait_for "no node holds $VIP_ADDR" nobody_holds

# --- 6. cleanup -------------------------------------------------------------------------------------
step "6. delete the cluster (KEEP=1 keeps it)"
if [ "$DRY" = 1 ]; then
  echo "  + kind delete cluster --name $CLUSTER"
  printf '\ndry run: nothing was executed\n'
else
  echo "kind-e2e: PASS"
fi
