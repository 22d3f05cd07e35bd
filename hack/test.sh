#!/usr/bin/env bash
# The test command: format check, unit + scenario tests, layering, CRD / README drift checks and
# (as root) the Linux tests; plus the scripts' dry runs, so they cannot rot unnoticed.
set -euo pipefail
cd "$(dirname "$0")/.."
hack/bench.sh --dry-run >/dev/null
exec mvn -B -ntp verify "$@"
