#!/usr/bin/env bash
# The test command: format check, unit + scenario tests, layering, and (as root) the Linux tests.
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -ntp verify "$@"
