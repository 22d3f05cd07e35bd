#!/usr/bin/env bash
# The test command: format check, unit + scenario tests, layering, CRD / README drift checks,
# (as root) the Linux tests, a short fuzzing run of each fuzz target; plus the scripts' dry runs,
# so they cannot rot unnoticed.
# It sets itself up (hack/setup.sh): as root it installs the tools the Linux tests use, finds or installs a
# JDK >= 21, and builds with ./mvnw (Maven from Maven Central, whether or not mvn is installed).
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/setup.sh
floatip_setup
if [ "$(id -u)" = 0 ]; then
  floatip_packages ip:iproute2 ping:iputils-ping arping:iputils-arping keepalived:keepalived \
    tcpdump:tcpdump setpriv:util-linux nft:nftables
fi
hack/bench.sh --dry-run >/dev/null
hack/kind-e2e.sh --dry-run >/dev/null
hack/scale-bench.sh --dry-run >/dev/null
hack/chaos.sh --dry-run >/dev/null
# the chart checks (HelmChartTest) run a real helm: the one hack/tools.sh fetched, if any
if [ -z "${FLOATIP_HELM:-}" ] && tools=$(hack/tools.sh --cached); then
  export FLOATIP_HELM=$tools/helm
fi
"$MVN" -B -ntp verify "$@"
# verify replays each fuzz target's committed inputs; this runs each one really fuzzing, briefly
# (the long run is `hack/fuzz.sh 1500`, docs/fuzzing.md)
FUZZ_JOBS=2 hack/fuzz.sh --no-build "${FLOATIP_FUZZ_SECONDS:-10}"
