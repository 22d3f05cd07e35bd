#!/usr/bin/env bash
# The test command: format check, unit + scenario tests, layering, CRD / README drift checks and
# (as root) the Linux tests; plus the scripts' dry runs, so they cannot rot unnoticed.
set -euo pipefail
cd "$(dirname "$0")/.."
hack/bench.sh --dry-run >/dev/null
hack/kind-e2e.sh --dry-run >/dev/null
hack/scale-bench.sh --dry-run >/dev/null
# the chart checks (HelmChartTest) run a real helm: the one hack/tools.sh fetched, if any
if [ -z "${FLOATIP_HELM:-}" ] && tools=$(hack/tools.sh --cached); then
  export FLOATIP_HELM=$tools/helm
fi
exec mvn -B -ntp verify "$@"
